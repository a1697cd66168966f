package io.echolstm.files;

import io.echolstm.files.FileRefusedException.Reason;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads a whole file the job was handed, but only a regular file and only up to a bound: a
 * directory, a named pipe (whose read would wait for a writer forever), a device such as {@code
 * /dev/zero} (endless) or a file larger than the bound is refused with a {@link
 * FileRefusedException} whose one-line message names the file, before anything is read. The bound
 * is checked on the bytes read too, so a file that grows while it is read cannot exceed it.
 */
public final class BoundedFile {
  /** The largest bound: a Java array's length. */
  public static final long MAX_BOUND = Integer.MAX_VALUE - 16L;

  private BoundedFile() {}

  /**
   * The bytes of the local file {@code file}.
   *
   * @param maxBytes the most bytes the file may have
   * @param kind what the file should be, for messages, e.g. {@code config file}
   * @throws FileRefusedException when the file is missing, not a regular file, larger than {@code
   *     maxBytes} or unreadable
   */
  public static byte[] read(java.nio.file.Path file, long maxBytes, String kind)
      throws FileRefusedException {
    checkBound(maxBytes);
    return readLocal(file, maxBytes, kind, file);
  }

  /** {@link #read(java.nio.file.Path, long, String)}, naming the file {@code shown} in messages. */
  private static byte[] readLocal(java.nio.file.Path file, long maxBytes, String kind, Object shown)
      throws FileRefusedException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new FileRefusedException(Reason.MISSING, kind + " does not exist: " + shown, e);
    } catch (IOException e) {
      throw new FileRefusedException(Reason.UNREADABLE, cannotRead(kind, shown, e), e);
    }
    if (attributes.isDirectory()) {
      throw new FileRefusedException(
          Reason.NOT_A_FILE, kind + " " + shown + " is a directory, not a file");
    }
    if (!attributes.isRegularFile()) {
      throw new FileRefusedException(
          Reason.NOT_A_FILE, kind + " " + shown + " is not a regular file (" + special(file) + ")");
    }
    if (attributes.size() > maxBytes) {
      throw tooLarge(kind, shown, attributes.size() + " bytes", maxBytes);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return readAtMost(in, maxBytes, kind, shown);
    } catch (FileRefusedException e) {
      throw e;
    } catch (IOException e) {
      throw new FileRefusedException(Reason.UNREADABLE, cannotRead(kind, shown, e), e);
    }
  }

  /**
   * The bytes of {@code file} on any Hadoop file system, or empty when there is no such file. On
   * the local file system the file's type is checked as {@link #read(java.nio.file.Path, long,
   * String)} does; elsewhere (HDFS, object stores) a directory is refused and the length bounded.
   *
   * @throws FileRefusedException when the file is not a regular file or larger than {@code
   *     maxBytes}
   * @throws IOException when the file system fails
   */
  public static Optional<byte[]> read(FileSystem fs, Path file, long maxBytes, String kind)
      throws IOException {
    checkBound(maxBytes);
    java.nio.file.Path local = localPath(fs, file);
    if (local != null) {
      if (!Files.exists(local) && !Files.isSymbolicLink(local)) {
        return Optional.empty();
      }
      try {
        return Optional.of(readLocal(local, maxBytes, kind, file));
      } catch (FileRefusedException e) {
        if (e.reason() == Reason.MISSING) {
          return Optional.empty(); // deleted between the two looks
        }
        throw e;
      }
    }
    FileStatus status;
    try {
      status = fs.getFileStatus(file);
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
    if (status.isDirectory()) {
      throw new FileRefusedException(
          Reason.NOT_A_FILE, kind + " " + file + " is a directory, not a file");
    }
    if (!status.isFile()) {
      throw new FileRefusedException(
          Reason.NOT_A_FILE, kind + " " + file + " is not a regular file");
    }
    if (status.getLen() > maxBytes) {
      throw tooLarge(kind, file, status.getLen() + " bytes", maxBytes);
    }
    try (InputStream in = fs.open(file)) {
      return Optional.of(readAtMost(in, maxBytes, kind, file));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
  }

  /** The local path of {@code file} when {@code fs} is the local file system, else null. */
  private static java.nio.file.Path localPath(FileSystem fs, Path file) {
    if (!"file".equalsIgnoreCase(fs.getUri().getScheme())) {
      return null;
    }
    return java.nio.file.Path.of(fs.makeQualified(file).toUri());
  }

  private static byte[] readAtMost(InputStream in, long maxBytes, String kind, Object file)
      throws IOException {
    byte[] bytes = in.readNBytes((int) maxBytes + 1);
    if (bytes.length > maxBytes) {
      throw tooLarge(kind, file, "more than " + maxBytes + " bytes", maxBytes);
    }
    return bytes;
  }

  private static FileRefusedException tooLarge(
      String kind, Object file, String size, long maxBytes) {
    return new FileRefusedException(
        Reason.TOO_LARGE,
        kind + " " + file + " is too large: " + size + ", at most " + maxBytes + " are read");
  }

  private static String cannotRead(String kind, Object file, IOException e) {
    String why =
        e instanceof AccessDeniedException
            ? "permission denied"
            : e.getClass().getSimpleName()
                + (e.getMessage() == null
                    ? ""
                    : " " + e.getMessage().lines().findFirst().orElse(""));
    return "cannot read " + kind + " " + file + ": " + why;
  }

  /** What kind of special file {@code file} is, from its Unix mode where the platform has one. */
  private static String special(java.nio.file.Path file) {
    try {
      int type = ((Integer) Files.getAttribute(file, "unix:mode")) & 0170000;
      return switch (type) {
        case 0010000 -> "a named pipe";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        case 0140000 -> "a socket";
        default -> "a special file";
      };
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "a named pipe, socket or device";
    }
  }

  private static void checkBound(long maxBytes) {
    if (maxBytes < 0 || maxBytes > MAX_BOUND) {
      throw new IllegalArgumentException("bound out of range: " + maxBytes);
    }
  }
}
