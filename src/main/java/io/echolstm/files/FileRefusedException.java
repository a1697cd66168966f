package io.echolstm.files;

import java.io.IOException;

/**
 * A file that cannot be what the job expected: missing, not a regular file, too large or
 * unreadable. The message is one line that names the file and says why.
 */
public final class FileRefusedException extends IOException {
  public FileRefusedException(String message) {
    super(message);
  }

  public FileRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
