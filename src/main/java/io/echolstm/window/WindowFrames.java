package io.echolstm.window;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_repeat;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;

import io.echolstm.config.Variant;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@link Framing} in Spark SQL, over {@code (PARTITION BY seq_id ORDER BY pos)}: a window's steps
 * are one {@code collect_list(value)} over a rows frame ({@code ROWS BETWEEN W-1 PRECEDING AND
 * CURRENT ROW}; a seq2seq window's labels the same frame {@code lag} rows further back), padded at
 * the front with {@value Frame#MISSING} where the frame starts before the sequence; a last-step
 * label is {@code lag(value, lag)} (the tutorial's pandas {@code shift}/{@code concat}); whole
 * sequences are a running {@code collect_list}, and the stateful variant a per-sequence aggregate
 * of its windows.
 *
 * <p>The query has the same few expressions at any window length, and each row's frame costs time
 * in proportion to its window: framing is linear in the values it outputs. (One {@code lag()} per
 * step, as before, made the query itself grow with the window: window 300 took 31 s to plan and
 * frame a single window.)
 */
public final class WindowFrames {
  /**
   * One row per sample. Field names and types are fixed; nullability is whatever Spark infers (no
   * value is null after framing).
   */
  public static final StructType SCHEMA =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField("seq_id", LongType, false),
              DataTypes.createStructField("pos", IntegerType, false),
              DataTypes.createStructField(
                  "features", DataTypes.createArrayType(IntegerType, true), false),
              DataTypes.createStructField(
                  "labels", DataTypes.createArrayType(IntegerType, true), false),
              DataTypes.createStructField(
                  "reachable", DataTypes.createArrayType(BooleanType, true), false)));

  private WindowFrames() {}

  /**
   * Frames a {@code (seq_id, pos, value)} DataFrame: {@link #colocate co-located} into {@code
   * partitions} partitions first, then {@link #frame(Dataset, Variant, int, int, int) framed}.
   */
  public static Dataset<Row> frame(
      Dataset<Row> sequences,
      Variant variant,
      int window,
      int lagSteps,
      int sequenceLength,
      int partitions) {
    return frame(colocate(sequences, partitions), variant, window, lagSteps, sequenceLength);
  }

  /**
   * {@code sequences} with each sequence's rows in one of {@code partitions} partitions (hashed by
   * {@code seq_id}): the only shuffle framing needs. Cache the result to frame it several times
   * (for several points) with no shuffle at all: Spark knows the cached rows' partitioning.
   */
  public static Dataset<Row> colocate(Dataset<Row> sequences, int partitions) {
    return sequences.repartition(partitions, col("seq_id"));
  }

  /**
   * Frames {@code colocated} ({@link #colocate}): each partition's output is ordered by {@code
   * (seq_id, pos)}, the same on every run, and partitioned as its input, so the window functions
   * add no shuffle.
   */
  public static Dataset<Row> frame(
      Dataset<Row> colocated, Variant variant, int window, int lagSteps, int sequenceLength) {
    WindowSpec bySequence = Window.partitionBy("seq_id").orderBy("pos");
    int first = Framing.firstPosition(variant, window, lagSteps);
    boolean inWindow = lagSteps < window;
    Dataset<Row> framed =
        switch (variant) {
          case STATELESS, MASKED ->
              colocated.select(
                  col("seq_id"),
                  col("pos"),
                  span(window - 1, 0, bySequence).as("features"),
                  array(shifted(lagSteps, bySequence)).as("labels"),
                  array(lit(inWindow)).as("reachable"));
          case WHOLE_SEQUENCE ->
              colocated.select(
                  col("seq_id"),
                  col("pos"),
                  concat(
                          collect_list(col("value"))
                              .over(
                                  bySequence.rowsBetween(
                                      Window.unboundedPreceding(), Window.currentRow())),
                          array_repeat(
                              lit(Frame.MISSING), lit(sequenceLength - 1).minus(col("pos"))))
                      .as("features"),
                  array(shifted(lagSteps, bySequence)).as("labels"),
                  array(lit(true)).as("reachable"));
          case SEQ2SEQ -> {
            boolean[] reachable = new boolean[window];
            for (int k = 0; k < window; k++) {
              reachable[k] = k >= lagSteps;
            }
            yield colocated.select(
                col("seq_id"),
                col("pos"),
                span(window - 1, 0, bySequence).as("features"),
                span(window - 1 + lagSteps, lagSteps, bySequence).as("labels"),
                lit(reachable).as("reachable"));
          }
          case STATEFUL ->
              colocated
                  .select(
                      col("seq_id"),
                      col("pos"),
                      span(window - 1, 0, bySequence).as("features"),
                      shifted(lagSteps, bySequence).as("label"))
                  .where(col("pos").geq(first))
                  .groupBy("seq_id")
                  .agg(
                      sort_array(collect_list(struct(col("pos"), col("features"), col("label"))))
                          .as("samples"))
                  .select(
                      col("seq_id"),
                      lit(sequenceLength - 1).as("pos"),
                      expr("flatten(transform(samples, s -> s.features))").as("features"),
                      expr("flatten(transform(samples, s -> concat(array_repeat("
                              + Frame.MISSING
                              + ", "
                              + (window - 1)
                              + "), array(s.label))))")
                          .as("labels"),
                      // Reachable: every label present (the earlier windows held the value).
                      expr("flatten(transform(samples, s -> concat(array_repeat(false, "
                              + (window - 1)
                              + "), array(s.label <> "
                              + Frame.MISSING
                              + "))))")
                          .as("reachable"));
        };
    return framed
        .where(col("pos").geq(first))
        // Window output is already in this order; without any lag() (window 1, lag 0) or after
        // the stateful aggregate the order would be left to chance, and training order matters.
        .sortWithinPartitions("seq_id", "pos");
  }

  /**
   * The values {@code from} to {@code to} positions back ({@code from >= to >= 0}), oldest first:
   * one {@code collect_list} over that rows frame, padded at the front with {@value Frame#MISSING}
   * to {@code from - to + 1} values where the frame reaches before the sequence start.
   */
  private static Column span(int from, int to, WindowSpec bySequence) {
    Column values =
        collect_list(col("value"))
            .over(bySequence.rowsBetween(-(long) from, to == 0 ? Window.currentRow() : -(long) to));
    return concat(array_repeat(lit(Frame.MISSING), lit(from - to + 1).minus(size(values))), values);
  }

  /**
   * The pandas {@code shift(k)}: the value {@code k} positions earlier in the same sequence, or
   * {@value Frame#MISSING} before the sequence starts.
   */
  private static Column shifted(int k, WindowSpec bySequence) {
    return k == 0
        ? col("value")
        : coalesce(lag(col("value"), k).over(bySequence), lit(Frame.MISSING));
  }
}
