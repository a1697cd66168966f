package io.echolstm.app;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What spark-submit set up for this JVM, known before any session starts (the master, the Hadoop
 * configuration), and the session itself.
 */
final class SparkSetup {
  private static final Logger LOG = LoggerFactory.getLogger(SparkSetup.class);

  static final String DEFAULT_MASTER = "local[*]";

  private SparkSetup() {}

  /** The session spark-submit configured, on {@link #DEFAULT_MASTER} when it names no master. */
  static SparkSession startSpark(String appName) {
    SparkConf conf = new SparkConf().setAppName(appName);
    if (!conf.contains("spark.master")) {
      conf.setMaster(DEFAULT_MASTER);
    }
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /** Stops {@code spark} if it started; a failure to stop is logged, not thrown. */
  static void stopQuietly(SparkSession spark) {
    if (spark != null) {
      try {
        spark.stop();
      } catch (Throwable t) {
        LOG.warn("stopping Spark failed", t);
      }
    }
  }

  /** The master the session will use: spark-submit's {@code spark.master}, else local. */
  static String master() {
    return System.getProperty("spark.master", DEFAULT_MASTER);
  }

  /**
   * The Hadoop configuration the session will have, without starting it: Hadoop's defaults and site
   * files plus the {@code spark.hadoop.*} properties spark-submit passes as system properties.
   */
  static Configuration hadoopConfiguration() {
    Configuration conf = new Configuration();
    String prefix = "spark.hadoop.";
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith(prefix)) {
        conf.set(name.substring(prefix.length()), System.getProperty(name));
      }
    }
    return conf;
  }
}
