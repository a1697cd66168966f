package io.echolstm.testing;

import org.apache.spark.sql.SparkSession;

/** The session Spark component tests share within a class: small, local, loopback, no UI. */
public final class SparkTestSession {
  private SparkTestSession() {}

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
