package io.echolstm.files;

import java.io.IOException;

/**
 * A file that cannot be what the job expected: missing, not a regular file, too large or
 * unreadable. The message is one line that names the file and says why.
 */
public final class FileRefusedException extends IOException {
  /** Why the file was refused. */
  public enum Reason {
    /** There is no such file. */
    MISSING,
    /** A directory, named pipe, socket or device. */
    NOT_A_FILE,
    /** Larger than the bound. */
    TOO_LARGE,
    /** The file system refused to read it (permissions, I/O). */
    UNREADABLE
  }

  private final Reason reason;

  public FileRefusedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public FileRefusedException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
