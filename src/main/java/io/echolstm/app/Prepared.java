package io.echolstm.app;

import io.echolstm.config.Approach;
import io.echolstm.config.ConfigLoader;
import io.echolstm.config.ExperimentSettings;
import io.echolstm.config.SettingsException;
import io.echolstm.results.ResultsPath;
import io.echolstm.sweep.SweepPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * What {@code sweep} and {@code plan} both build from their options before any work, with the
 * Hadoop configuration and the master they were checked against.
 */
record Prepared(
    RunOptions options,
    List<ExperimentSettings> experiments,
    SweepPlan plan,
    Configuration hadoop,
    String master) {

  /**
   * Loads, validates and expands everything {@code options} name, and checks the results directory
   * and the training approach against the master, without starting Spark.
   *
   * @throws SettingsException naming the key or option at fault
   */
  static Prepared of(RunOptions options) {
    options.runId();
    ConfigLoader loader = new ConfigLoader();
    options.confFiles().forEach(loader::file);
    options.sets.forEach(loader::set);
    List<ExperimentSettings> experiments = loader.load(options.experiments);
    SweepPlan plan = SweepPlan.expand(experiments);
    Configuration hadoop = SparkSetup.hadoopConfiguration();
    String master = SparkSetup.master();
    SparkSetup.checkMaster(master);
    checkResultsDir(options.resultsDir(), hadoop);
    checkApproach(plan, master, hadoop);
    return new Prepared(options, experiments, plan, hadoop, master);
  }

  /**
   * Refuses Export training where dl4j-spark would refuse it after Spark started: a master other
   * than {@code local}, {@code local[N]} or {@code local[*]} with a {@code file:} default file
   * system (the exported minibatches would not be visible to other executors).
   */
  static void checkApproach(SweepPlan plan, String master, Configuration hadoop) {
    boolean export = plan.points().stream().anyMatch(p -> p.train().approach() == Approach.EXPORT);
    if (!export || master.matches("local(\\[([0-9]+|\\*)\\])?")) {
      return;
    }
    String scheme = FileSystem.getDefaultUri(hadoop).getScheme();
    if (scheme == null || scheme.equals("file")) {
      throw new SettingsException(
          "train.approach",
          "train.approach=export needs a shared default file system on master "
              + master
              + ", but fs.defaultFS is "
              + FileSystem.getDefaultUri(hadoop)
              + ": use train.approach=direct, or set spark.hadoop.fs.defaultFS to a shared file"
              + " system (e.g. hdfs://...)");
    }
  }

  /**
   * Refuses, before Spark starts, a results path that cannot work: one whose scheme has no file
   * system on the classpath (e.g. {@code s3a://} here), one whose file system cannot be reached
   * (tried with few retries, so an unreachable name node is reported in seconds), a dangling
   * symbolic link, a file, or a directory that cannot be created. {@code dir} has passed {@link
   * RunOptions#checkResults}.
   */
  static void checkResultsDir(String dir, Configuration hadoop) {
    if (ResultsPath.hasScheme(dir) && !dir.startsWith("file:")) {
      String scheme = dir.substring(0, dir.indexOf(':'));
      try {
        FileSystem.getFileSystemClass(scheme.toLowerCase(java.util.Locale.ROOT), hadoop);
      } catch (java.io.IOException | RuntimeException e) {
        throw new SettingsException(
            "--results",
            "no file system for scheme '"
                + scheme
                + "' on the classpath: "
                + dir
                + " (file: and hdfs: work; see README"
                + (dir.contains("/") ? "" : "; a ':' before the first '/' starts a scheme")
                + ")");
      }
      probe(dir, hadoop);
      return; // a remote file system: Spark checks the rest when writing
    }
    Path path = Path.of(dir.startsWith("file:") ? dir.replaceFirst("^file:(//)?", "") : dir);
    if (Files.exists(path) && !Files.isDirectory(path)) {
      throw new SettingsException(
          "--results", "results path exists and is not a directory: " + dir);
    }
    Path existing = path.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      if (Files.isSymbolicLink(existing)) {
        throw new SettingsException(
            "--results", "results path has a dangling symbolic link " + existing + ": " + dir);
      }
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
      throw new SettingsException("--results", "results directory is not writable: " + dir);
    }
  }

  /**
   * Looks at a remote results directory once, on a file system instance of its own whose client
   * gives up after a few connection attempts (Hadoop's default retries an unreachable host for
   * minutes).
   */
  private static void probe(String dir, Configuration hadoop) {
    Configuration quick = new Configuration(hadoop);
    quick.setInt("ipc.client.connect.max.retries", 1);
    quick.setInt("ipc.client.connect.max.retries.on.timeouts", 1);
    quick.setInt("ipc.client.connect.timeout", 5_000);
    quick.setBoolean("dfs.client.retry.policy.enabled", false);
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir);
    try (FileSystem fs = FileSystem.newInstance(path.toUri(), quick)) {
      if (fs.exists(path) && !fs.getFileStatus(path).isDirectory()) {
        throw new SettingsException(
            "--results", "results path exists and is not a directory: " + dir);
      }
    } catch (java.io.IOException | RuntimeException e) {
      if (e instanceof SettingsException s) {
        throw s;
      }
      throw new SettingsException(
          "--results", "cannot reach results directory " + dir + ": " + Main.rootCause(e));
    }
  }
}
