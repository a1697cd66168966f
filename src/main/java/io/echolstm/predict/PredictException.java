package io.echolstm.predict;

/** Input {@code predict} refuses (a bad model file, a bad sequence), said in one line. */
public final class PredictException extends Exception {
  public PredictException(String message) {
    super(message);
  }

  public PredictException(String message, Throwable cause) {
    super(message, cause);
  }
}
