package io.echolstm.app;

import io.echolstm.config.SettingsException;
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

  /**
   * Spark's setting for how deep it looks into a failed task's causes for a fatal error before it
   * ends the executor's JVM with {@code System.exit}.
   */
  static final String KILL_ON_FATAL_ERROR_DEPTH = "spark.executor.killOnFatalError.depth";

  /**
   * The session spark-submit configured, on {@link #DEFAULT_MASTER} when it names no master. On a
   * local master the executor is this JVM, so a task's fatal error (an {@code OutOfMemoryError},
   * often wrapped by DL4J) must not end it: Spark would exit with its own code (50, 52) in the
   * middle of the driver's cleanup. {@value #KILL_ON_FATAL_ERROR_DEPTH} 0 makes such a task fail
   * like any other, and the sweep reports it (exit code 1, one line naming the point). On a cluster
   * Spark's default stays: an executor after a fatal error is replaced, the task retried elsewhere.
   */
  static SparkSession startSpark(String appName) {
    SparkConf conf = new SparkConf().setAppName(appName);
    if (!conf.contains("spark.master")) {
      conf.setMaster(DEFAULT_MASTER);
    }
    if (isLocal(conf.get("spark.master")) && !conf.contains(KILL_ON_FATAL_ERROR_DEPTH)) {
      conf.set(KILL_ON_FATAL_ERROR_DEPTH, "0");
    }
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /** True for the masters whose executor is the driver's JVM: local, local[N], local[N,F]. */
  static boolean isLocal(String master) {
    return master.equals("local") || master.startsWith("local[");
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

  private static final java.util.regex.Pattern LOCAL_MASTER =
      java.util.regex.Pattern.compile("local(\\[\\s*([0-9]+|\\*)\\s*(,\\s*([0-9]+)\\s*)?\\])?");

  private static final java.util.regex.Pattern OTHER_MASTER =
      java.util.regex.Pattern.compile(
          "spark://[^\\s:/,]+:[0-9]+(,[^\\s:/,]+:[0-9]+)*"
              + "|local-cluster\\[\\s*[1-9][0-9]*\\s*,\\s*[1-9][0-9]*\\s*,\\s*[1-9][0-9]*\\s*\\]"
              + "|yarn|k8s://\\S+|mesos://\\S+");

  /**
   * Refuses, before Spark starts, a master Spark would refuse only once it starts: the forms Spark
   * parses ({@code local}, {@code local[N]}, {@code local[*]}, {@code local[N,F]}, {@code
   * spark://HOST:PORT[,HOST:PORT...]}, {@code local-cluster[N,C,M]}, and {@code yarn}, {@code
   * k8s://...}, {@code mesos://...}, which spark-submit has vetted), with at least one thread and
   * one try per task.
   *
   * @throws SettingsException (key {@code spark.master}) naming the master
   */
  static void checkMaster(String master) {
    java.util.regex.Matcher local = LOCAL_MASTER.matcher(master);
    boolean ok = OTHER_MASTER.matcher(master).matches();
    if (local.matches()) {
      ok =
          (local.group(2) == null || local.group(2).equals("*") || positive(local.group(2)))
              && (local.group(4) == null || positive(local.group(4)));
    }
    if (!ok) {
      throw new SettingsException(
          "spark.master",
          "not a Spark master this job can run on: '"
              + master
              + "' (local, local[N], local[*], local[N,F] with N, F >= 1, spark://HOST:PORT, yarn,"
              + " k8s://..., mesos://...; scripts/run.sh takes it from MASTER, spark-submit from"
              + " --master)");
    }
  }

  private static boolean positive(String digits) {
    return digits.length() <= 9 && Integer.parseInt(digits) >= 1;
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
