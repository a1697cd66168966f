package io.echolstm.results;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The Parquet results table under one directory. Each point is written as its own {@code
 * run_id=R/point_id=P} partition with Spark's dynamic partition overwrite, so writing a point twice
 * replaces it instead of duplicating it, and points written earlier are never touched.
 */
public final class ResultsTable {
  private final SparkSession spark;
  private final String dir;

  public ResultsTable(SparkSession spark, String dir) {
    this.spark = spark;
    this.dir = dir;
  }

  public String dir() {
    return dir;
  }

  /** The saved networks kept with this table (under {@code DIR/_models}). */
  public ModelStore models() {
    return new ModelStore(dir, spark.sparkContext().hadoopConfiguration());
  }

  /** Commits one point's row. */
  public void write(ResultRow row) {
    spark
        .createDataFrame(List.of(row.toRow()), ResultsSchema.SCHEMA)
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .option("partitionOverwriteMode", "dynamic")
        .partitionBy(ResultsSchema.RUN_ID, ResultsSchema.POINT_ID)
        .parquet(dir);
  }

  /**
   * Deletes the staging directories ({@code .spark-staging-*}) a crashed writer of this run left in
   * the table: Spark skips hidden directories, but other readers (a DuckDB {@code **} glob) read
   * their files, which may be partial. Only directories holding this run's partitions are touched,
   * so writers of other run ids are safe.
   *
   * @return how many were deleted
   */
  public int removeAbandonedStaging(String runId) {
    try {
      Path path = new Path(dir);
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(path)) {
        return 0;
      }
      int removed = 0;
      for (var status : fs.listStatus(path, p -> p.getName().startsWith(".spark-staging-"))) {
        if (holdsRun(fs, status.getPath(), ResultsSchema.RUN_ID + "=" + runId)) {
          fs.delete(status.getPath(), true);
          removed++;
        }
      }
      return removed;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot clean staging dirs in " + dir, e);
    }
  }

  private static boolean holdsRun(FileSystem fs, Path dir, String partition)
      throws java.io.IOException {
    for (var status : fs.listStatus(dir)) {
      if (status.isDirectory()
          && (status.getPath().getName().equals(partition)
              || holdsRun(fs, status.getPath(), partition))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Every row of the table, read with the explicit schema. Only the table's own files are read: the
   * Parquet files of its {@code run_id=R/point_id=P} partitions, so anything else kept in the
   * directory (a README, another tool's Parquet files) is ignored.
   */
  public Dataset<Row> read() {
    return readPartitions(ResultsSchema.RUN_ID + "=*");
  }

  /** The rows of one run. */
  public Dataset<Row> run(String runId) {
    return readPartitions(ResultsSchema.RUN_ID + "=" + glob(runId))
        .where(col(ResultsSchema.RUN_ID).equalTo(runId));
  }

  /** The Parquet files of the {@code runs/point_id=*} partitions, as a table (empty if none). */
  private Dataset<Row> readPartitions(String runs) {
    List<String> files = new ArrayList<>();
    try {
      Path root = new Path(dir);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] points =
          fs.globStatus(new Path(root, runs + "/" + ResultsSchema.POINT_ID + "=*"));
      for (FileStatus point : points == null ? new FileStatus[0] : points) {
        if (point.isDirectory()) {
          for (FileStatus f : fs.listStatus(point.getPath(), ResultsTable::isDataFile)) {
            files.add(f.getPath().toString());
          }
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read results directory " + dir, e);
    }
    if (files.isEmpty()) {
      return spark.createDataFrame(List.<Row>of(), ResultsSchema.SCHEMA);
    }
    // basePath: the partition columns come from the paths below the table's directory.
    return spark
        .read()
        .schema(ResultsSchema.SCHEMA)
        .option("basePath", new Path(dir).toString())
        .parquet(files.toArray(String[]::new));
  }

  private static boolean isDataFile(Path p) {
    return p.getName().endsWith(".parquet")
        && !p.getName().startsWith(".")
        && !p.getName().startsWith("_");
  }

  /** A run id as a literal in a Hadoop glob (run ids have no glob characters but '.'). */
  private static String glob(String runId) {
    return runId.replaceAll("([\\[\\]{}*?\\\\])", "\\\\$1");
  }

  /**
   * Ids of the points a run has already committed: the {@code point_id=P} directories of its {@code
   * run_id=R} directory that hold a Parquet file. A point's directory appears only when its write
   * commits (the output committer moves it in from a staging directory), so a listing is exact, and
   * much quicker than a Spark query.
   */
  public Set<String> committedPoints(String runId) {
    return committedPoints(dir, spark.sparkContext().hadoopConfiguration(), runId);
  }

  /** {@link #committedPoints(String)} of the table in {@code dir}, without a Spark session. */
  public static Set<String> committedPoints(String dir, Configuration hadoop, String runId) {
    try {
      Path root = new Path(dir);
      return committedPoints(root.getFileSystem(hadoop), root, runId);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read results directory " + dir, e);
    }
  }

  /** {@link #committedPoints(String)} of the table in {@code dir} on {@code fs}. */
  public static Set<String> committedPoints(FileSystem fs, Path dir, String runId)
      throws java.io.IOException {
    Set<String> ids = new HashSet<>();
    Path run = runDirectory(dir, runId);
    if (!fs.exists(run)) {
      return ids;
    }
    String prefix = ResultsSchema.POINT_ID + "=";
    for (var point : fs.listStatus(run, p -> p.getName().startsWith(prefix))) {
      if (isCommitted(fs, point)) {
        ids.add(point.getPath().getName().substring(prefix.length()));
      }
    }
    return ids;
  }

  /** True for a {@code point_id=P} directory holding a Parquet file: a committed point. */
  private static boolean isCommitted(FileSystem fs, FileStatus point) throws java.io.IOException {
    return point.isDirectory()
        && fs.listStatus(point.getPath(), p -> p.getName().endsWith(".parquet")).length > 0;
  }

  /** True when a run directory holds at least one committed point (stops at the first). */
  private static boolean hasCommittedPoint(FileSystem fs, Path run) throws java.io.IOException {
    String prefix = ResultsSchema.POINT_ID + "=";
    for (var point : fs.listStatus(run, p -> p.getName().startsWith(prefix))) {
      if (isCommitted(fs, point)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The {@code run_id=R} directory of a run in the table in {@code dir}: its points' partitions,
   * and the run's lease and plan record ({@link RunLease}, {@link RunRecord}).
   */
  public static Path runDirectory(Path dir, String runId) {
    return new Path(dir, ResultsSchema.RUN_ID + "=" + runId);
  }

  /** Deletes a committed point of a run: its {@code point_id=P} partition and its saved model. */
  public static void deletePoint(FileSystem fs, Path dir, String runId, String pointId)
      throws java.io.IOException {
    fs.delete(new Path(runDirectory(dir, runId), ResultsSchema.POINT_ID + "=" + pointId), true);
    fs.delete(new Path(dir, ModelStore.relativePath(runId, pointId)), false);
  }

  /**
   * Ids of the runs with at least one committed point in the table in {@code dir} (none when the
   * directory does not exist), sorted; a listing, without a Spark session.
   */
  public static java.util.SortedSet<String> runIds(String dir, Configuration hadoop) {
    java.util.SortedSet<String> ids = new java.util.TreeSet<>();
    try {
      Path root = new Path(dir);
      FileSystem fs = root.getFileSystem(hadoop);
      if (!fs.exists(root)) {
        return ids;
      }
      String prefix = ResultsSchema.RUN_ID + "=";
      for (var run : fs.listStatus(root, p -> p.getName().startsWith(prefix))) {
        String id = run.getPath().getName().substring(prefix.length());
        if (run.isDirectory() && hasCommittedPoint(fs, run.getPath())) {
          ids.add(id);
        }
      }
      return ids;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read results directory " + dir, e);
    }
  }
}
