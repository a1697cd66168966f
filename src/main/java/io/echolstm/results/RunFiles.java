package io.echolstm.results;

import io.echolstm.files.BoundedFile;
import io.echolstm.files.FileRefusedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Small text files a run keeps in its {@code run_id=R} directory (its lease and its plan record),
 * read and written through the Hadoop {@link FileSystem} API, so the results directory may be on
 * any Hadoop file system.
 *
 * <p>Their names start with {@code _}: Spark's partition discovery, pyarrow's dataset discovery and
 * the table's own reads ({@code run_id=*}/{@code point_id=*} Parquet files) skip them.
 */
final class RunFiles {
  private RunFiles() {}

  /**
   * The file system to keep run files on: the local one without its {@code .crc} side files, whose
   * separate rename would let a reader see a file and a checksum that do not match.
   */
  static FileSystem plain(FileSystem fs) {
    return fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
  }

  /**
   * Replaces {@code file} with {@code text} so a reader sees the old or the new content, never a
   * part: written to a hidden file next to it, then renamed over it (atomic on a POSIX local file
   * system; where rename refuses an existing target, as on HDFS, the old file is deleted first, and
   * a reader may find no file for that moment).
   */
  static void writeAtomically(FileSystem fs, Path file, String text) throws IOException {
    Path tmp = new Path(file.getParent(), "." + file.getName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FSDataOutputStream out = fs.create(tmp, true)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
      if (!fs.rename(tmp, file)) {
        fs.delete(file, false);
        if (!fs.rename(tmp, file)) {
          throw new IOException("cannot rename " + tmp + " to " + file);
        }
      }
    } finally {
      if (fs.exists(tmp)) {
        fs.delete(tmp, false);
      }
    }
  }

  /**
   * The file's text, or empty when there is no such file; read only when it is a regular file of at
   * most {@code maxBytes} ({@link BoundedFile}).
   *
   * @param kind what the file is, for messages, e.g. {@code lease file}
   * @throws FileRefusedException when it is not a regular file or larger than {@code maxBytes}
   */
  static Optional<String> read(FileSystem fs, Path file, long maxBytes, String kind)
      throws IOException {
    return BoundedFile.read(fs, file, maxBytes, kind)
        .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
  }
}
