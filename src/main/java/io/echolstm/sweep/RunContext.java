package io.echolstm.sweep;

import io.echolstm.results.ResultsTable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * What the stages of a run's points share.
 *
 * @param defaultParallelism Spark's default parallelism as resolved once, when the run started:
 *     what {@code train.workers=auto} means for every point of the run, as its plan records it
 * @param guard the run's lease, checked before each commit
 * @param sequences the run's generated sequences, shared by its points
 */
record RunContext(
    SparkSession spark,
    JavaSparkContext jsc,
    ResultsTable results,
    String runId,
    int defaultParallelism,
    RunGuard guard,
    SequenceCache sequences) {}
