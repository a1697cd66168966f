package io.echolstm.results;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

/**
 * The saved networks of a results table: {@code DIR/_models/run_id=R/point_id=P.zip}, on any Hadoop
 * file system. The directory's leading underscore keeps it out of the table: Spark's partition
 * discovery skips it and the {@code run_id=* /point_id=* /*.parquet} glob does not reach it.
 *
 * <p>A model is written under a hidden temporary name in its final directory and then renamed over
 * the final name, so a reader sees the old file or the new one, never half of one. The sweep saves
 * a point's model before it commits the point's row: a committed row never names a missing file.
 */
public final class ModelStore {
  /** The directory under the table holding the models. */
  public static final String DIR = "_models";

  private static final String SUFFIX = ".zip";
  private static final String TEMP_SUFFIX = ".tmp";

  /** Writes a model's bytes to a stream it does not close. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private final String dir;
  private final Configuration hadoop;

  public ModelStore(String dir, Configuration hadoop) {
    this.dir = dir;
    this.hadoop = hadoop;
  }

  /** A point's model path relative to the results directory, as the {@code model_path} column. */
  public static String relativePath(String runId, String pointId) {
    return DIR
        + "/"
        + ResultsSchema.RUN_ID
        + "="
        + runId
        + "/"
        + ResultsSchema.POINT_ID
        + "="
        + pointId
        + SUFFIX;
  }

  /**
   * Saves (or replaces) a point's model.
   *
   * @return its path relative to the results directory ({@link #relativePath})
   */
  public String save(String runId, String pointId, Content content) {
    String relative = relativePath(runId, pointId);
    try {
      Path target = new Path(dir, relative);
      FileSystem fs = target.getFileSystem(hadoop);
      target = fs.makeQualified(target);
      Path temp = temporary(target);
      fs.mkdirs(target.getParent());
      try (OutputStream out = fs.create(temp, true)) {
        content.writeTo(out);
      }
      replace(fs, temp, target);
      return relative;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the model of point " + pointId + " in " + dir, e);
    }
  }

  /**
   * Deletes the temporary files a crashed writer of this run left ({@code .point_id=P.zip.tmp}).
   *
   * @return how many were deleted
   */
  public int removeAbandonedTemps(String runId) {
    try {
      Path run = ResultsTable.runDirectory(new Path(dir, DIR), runId);
      FileSystem fs = run.getFileSystem(hadoop);
      if (!fs.exists(run)) {
        return 0;
      }
      int removed = 0;
      for (FileStatus f : fs.listStatus(run, p -> p.getName().endsWith(SUFFIX + TEMP_SUFFIX))) {
        if (f.getPath().getName().startsWith(".")) {
          fs.delete(f.getPath(), false);
          removed++;
        }
      }
      return removed;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean temporary model files in " + dir, e);
    }
  }

  private static Path temporary(Path target) {
    return new Path(target.getParent(), "." + target.getName() + TEMP_SUFFIX);
  }

  /**
   * Renames {@code temp} over {@code target}: atomically where the file system can (HDFS and the
   * local file system through {@link FileContext}); FileSystem's own rename refuses an existing
   * target, so elsewhere the old file is deleted first.
   */
  private void replace(FileSystem fs, Path temp, Path target) throws IOException {
    FileContext context;
    try {
      context = FileContext.getFileContext(target.toUri(), hadoop);
    } catch (UnsupportedFileSystemException e) {
      context = null;
    }
    if (context != null) {
      context.rename(temp, target, Options.Rename.OVERWRITE);
      return;
    }
    fs.delete(target, false);
    if (!fs.rename(temp, target)) {
      throw new IOException("cannot rename " + temp + " to " + target);
    }
  }
}
