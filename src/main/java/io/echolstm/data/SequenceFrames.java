package io.echolstm.data;

import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark glue for {@link SequenceGenerator}: the driver only plans partitions; each executor task
 * generates its own sequences, so no training data passes through the driver.
 */
public final class SequenceFrames {
  /** One row per value: {@code (seq_id, pos, value)}. */
  public static final StructType SCHEMA =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField("seq_id", LongType, false),
              DataTypes.createStructField("pos", IntegerType, false),
              DataTypes.createStructField("value", IntegerType, false)));

  private SequenceFrames() {}

  /**
   * {@code count} sequences of {@code length} values in {@code 0..values-1}, generated in {@code
   * partitions} partitions. The same arguments give the same rows on any master.
   */
  public static Dataset<Row> generate(
      SparkSession spark,
      long seed,
      long stream,
      int count,
      int partitions,
      int values,
      int length) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Integer> plan = IntStream.range(0, partitions).boxed().collect(Collectors.toList());
    JavaRDD<Row> rows =
        jsc.parallelize(plan, partitions)
            .mapPartitionsWithIndex(
                new GeneratePartition(seed, stream, count, partitions, values, length), true);
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** Generates one partition's rows from (seed, stream, partition index) alone. */
  static final class GeneratePartition
      implements Function2<Integer, Iterator<Integer>, Iterator<Row>> {
    private final long seed;
    private final long stream;
    private final int total;
    private final int partitions;
    private final int values;
    private final int length;

    GeneratePartition(long seed, long stream, int total, int partitions, int values, int length) {
      this.seed = seed;
      this.stream = stream;
      this.total = total;
      this.partitions = partitions;
      this.values = values;
      this.length = length;
    }

    @Override
    public Iterator<Row> call(Integer partition, Iterator<Integer> ignored) {
      int count = SequenceGenerator.countIn(partition, total, partitions);
      long firstId = SequenceGenerator.firstIdIn(partition, total, partitions);
      List<int[]> sequences =
          SequenceGenerator.partition(seed, stream, partition, count, values, length);
      List<Row> rows = new ArrayList<>(count * length);
      for (int i = 0; i < sequences.size(); i++) {
        int[] sequence = sequences.get(i);
        for (int t = 0; t < sequence.length; t++) {
          rows.add(RowFactory.create(firstId + i, t, sequence[t]));
        }
      }
      return rows.iterator();
    }
  }
}
