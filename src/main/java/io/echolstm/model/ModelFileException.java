package io.echolstm.model;

import java.io.IOException;

/** A file that is not a readable echo-lstm model; the message says why in one line. */
public final class ModelFileException extends IOException {
  public ModelFileException(String message) {
    super(message);
  }

  public ModelFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
