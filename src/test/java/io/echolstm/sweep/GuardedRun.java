package io.echolstm.sweep;

import io.echolstm.results.ResultsTable;
import io.echolstm.results.RunLease;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.SparkSession;

/** Runs a plan as the {@code sweep} command does: under the run's lease and plan check. */
final class GuardedRun {
  /** The default lease timing without the settle wait: these tests start one driver per run. */
  private static final RunLease.Timing TIMING =
      new RunLease.Timing(
          RunLease.Timing.DEFAULT.heartbeat(), RunLease.Timing.DEFAULT.staleAfter(), Duration.ZERO);

  private GuardedRun() {}

  /** Runs {@code plan} as run {@code runId} of {@code table} with the standard stages. */
  static SweepRunner.Summary run(
      SparkSession spark, ResultsTable table, String runId, SweepPlan plan) {
    return run(new SweepRunner(spark, table, runId, false), spark, table, runId, plan);
  }

  /** As above, each point's standard stages changed by {@code change} (e.g. one wrapped). */
  static SweepRunner.Summary run(
      SparkSession spark,
      ResultsTable table,
      String runId,
      SweepPlan plan,
      UnaryOperator<PointStages> change) {
    SweepRunner runner =
        new SweepRunner(spark, table, runId, false, run -> change.apply(PointStages.standard(run)));
    return run(runner, spark, table, runId, plan);
  }

  /** Runs {@code plan} with {@code runner}, made for run {@code runId} of {@code table}. */
  static SweepRunner.Summary run(
      SweepRunner runner, SparkSession spark, ResultsTable table, String runId, SweepPlan plan) {
    try (RunGuard guard =
        RunGuard.open(
            table.dir(),
            runId,
            spark.sparkContext().hadoopConfiguration(),
            plan,
            spark.sparkContext().master(),
            false,
            TIMING)) {
      return runner.run(plan, guard);
    }
  }
}
