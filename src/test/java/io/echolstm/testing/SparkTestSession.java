package io.echolstm.testing;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Spark component tests extend this to share one small session per class: local, loopback, no UI,
 * few shuffle partitions.
 */
public abstract class SparkTestSession {
  protected static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = start();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  /** A new (or the running) test session, for tests that manage its lifetime themselves. */
  public static SparkSession start() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("echo-lstm-test")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
  }
}
