package io.echolstm.sweep;

/**
 * A point failed: says which one ({@code point 3/8} and its label) and at which stage, with the
 * original failure (a Spark exception, an {@link Error}) as the cause.
 */
public final class PointFailedException extends RuntimeException {
  private final String progress;
  private final String label;
  private final String stage;

  public PointFailedException(String progress, String label, String stage, Throwable cause) {
    super(progress + " [" + label + "] while " + stage, cause);
    this.progress = progress;
    this.label = label;
    this.stage = stage;
  }

  /** Which point of the run, e.g. {@code point 3/8}. */
  public String progress() {
    return progress;
  }

  public String label() {
    return label;
  }

  /** What the point was doing, e.g. {@code training}. */
  public String stage() {
    return stage;
  }
}
