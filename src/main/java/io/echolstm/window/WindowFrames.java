package io.echolstm.window;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@link LagWindows} in Spark SQL: {@code lag(value, k) OVER (PARTITION BY seq_id ORDER BY pos)}
 * for each step of the window and for the label, then the rows without full history dropped.
 */
public final class WindowFrames {
  /**
   * One row per sample: {@code (seq_id, pos, features[W] oldest first, label)}. Field names and
   * types are fixed; nullability is whatever Spark infers (no value is ever null after framing).
   */
  public static final StructType SCHEMA =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField("seq_id", LongType, false),
              DataTypes.createStructField("pos", IntegerType, false),
              DataTypes.createStructField(
                  "features", DataTypes.createArrayType(IntegerType, true), false),
              DataTypes.createStructField("label", IntegerType, true)));

  private WindowFrames() {}

  /**
   * Frames a {@code (seq_id, pos, value)} DataFrame. Sequences are co-located by {@code seq_id}
   * into {@code partitions} partitions first, so the window needs no further shuffle and each
   * partition's output is ordered by {@code (seq_id, pos)}, the same on every run.
   */
  public static Dataset<Row> frame(
      Dataset<Row> sequences, int window, int lagSteps, int partitions) {
    WindowSpec bySequence = Window.partitionBy("seq_id").orderBy("pos");
    Column[] steps = new Column[window];
    for (int k = 0; k < window; k++) {
      steps[k] = shifted(window - 1 - k, bySequence);
    }
    return sequences
        .repartition(partitions, col("seq_id"))
        .select(
            col("seq_id"),
            col("pos"),
            array(steps).as("features"),
            shifted(lagSteps, bySequence).as("label"))
        .where(col("pos").geq(LagWindows.firstViablePosition(window, lagSteps)))
        // Window output is already in this order; without any lag() (window 1, lag 0) the
        // shuffle alone would leave the order to chance, and training order matters.
        .sortWithinPartitions("seq_id", "pos");
  }

  /** The pandas {@code shift(k)}: the value {@code k} positions earlier in the same sequence. */
  private static Column shifted(int k, WindowSpec bySequence) {
    return k == 0 ? col("value") : lag(col("value"), k).over(bySequence);
  }
}
