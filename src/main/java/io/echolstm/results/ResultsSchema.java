package io.echolstm.results;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The results table's columns. The table is partitioned by {@code run_id} and {@code point_id}
 * (Hive-style directories), one Parquet file per trained point.
 */
public final class ResultsSchema {
  public static final String RUN_ID = "run_id";
  public static final String POINT_ID = "point_id";

  /** One evaluation during training; see {@link HistoryEntry}. */
  public static final StructType HISTORY_ENTRY =
      DataTypes.createStructType(
          List.of(
              field("epoch", IntegerType),
              field("train_windows", LongType),
              field("train_seconds", DoubleType),
              field("accuracy", DoubleType),
              field("reachable_accuracy", DoubleType),
              field("loss", DoubleType)));

  public static final StructType SCHEMA =
      DataTypes.createStructType(
          List.of(
              field(RUN_ID, StringType),
              field(POINT_ID, StringType),
              field("point_key", StringType),
              field("experiment", StringType),
              field("variant", StringType),
              field("control", BooleanType),
              field("lag", IntegerType),
              field("window", IntegerType),
              field("hidden", IntegerType),
              field("seed", LongType),
              field("accuracy", DoubleType),
              field("reachable_accuracy", DoubleType),
              field("exact_match_accuracy", DoubleType),
              field("loss", DoubleType),
              field("chance_accuracy", DoubleType),
              field("validation_accuracy", DoubleType),
              field("validation_loss", DoubleType),
              field("eval_windows", LongType),
              field("eval_labels", LongType),
              field("train_windows", LongType),
              field("epochs", IntegerType),
              field("stop_reason", StringType),
              field("target_accuracy", DoubleType),
              field("windows_to_target", LongType),
              field("seconds_to_target", DoubleType),
              field("history", DataTypes.createArrayType(HISTORY_ENTRY, false)),
              field("train_seconds", DoubleType),
              field("prepare_seconds", DoubleType),
              field("windows_per_second", DoubleType),
              field("final_train_score", DoubleType),
              field("sample_expected", StringType),
              field("sample_predicted", StringType),
              field("model_path", StringType),
              field("values", IntegerType),
              field("sequence_length", IntegerType),
              field("train_sequences", IntegerType),
              field("eval_sequences", IntegerType),
              field("validation_sequences", IntegerType),
              field("partitions", IntegerType),
              field("workers", IntegerType),
              field("batch_size", IntegerType),
              field("averaging_frequency", IntegerType),
              field("prefetch", IntegerType),
              field("save_updater", BooleanType),
              field("lstm", StringType),
              field("approach", StringType),
              field("repartition", StringType),
              field("learning_rate", DoubleType),
              field("max_epochs", IntegerType),
              field("max_seconds", DoubleType),
              field("patience", IntegerType),
              field("min_improvement", DoubleType),
              field("eval_every_windows", IntegerType),
              field("eval_batch_size", IntegerType),
              field("master", StringType),
              field("spark_version", StringType),
              field("dl4j_version", StringType),
              field("java_version", StringType),
              field("os_name", StringType),
              field("os_arch", StringType),
              field("started_at", TimestampType),
              field("ended_at", TimestampType)));

  private ResultsSchema() {}

  private static StructField field(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }
}
