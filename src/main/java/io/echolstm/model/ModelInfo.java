package io.echolstm.model;

import io.echolstm.config.Variant;
import java.util.Objects;
import java.util.Properties;

/**
 * What a saved network needs next to its parameters to be used: how a sequence is framed for it
 * (variant, window, lag), its one-hot width, and which sweep point trained it.
 *
 * @param variant how samples are framed and what the network outputs
 * @param window steps per sample
 * @param lag how far back the echoed value lies
 * @param values one-hot width: inputs and outputs are integers in {@code 0..values-1}
 * @param hidden LSTM units
 * @param sequenceLength values per sequence in training
 * @param experiment the experiment of the point that trained it
 * @param runId the run that trained it
 * @param pointId the point's id in the results table
 * @param pointKey every setting of the point
 */
public record ModelInfo(
    Variant variant,
    int window,
    int lag,
    int values,
    int hidden,
    int sequenceLength,
    String experiment,
    String runId,
    String pointId,
    String pointKey) {

  /** Bumped when the entries change in a way an older reader would misread. */
  public static final int FORMAT = 1;

  public ModelInfo {
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(experiment, "experiment");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(pointId, "pointId");
    Objects.requireNonNull(pointKey, "pointKey");
    if (window < 1 || lag < 0 || values < 2 || hidden < 1 || sequenceLength < 1) {
      throw new IllegalArgumentException(
          "window >= 1, lag >= 0, values >= 2, hidden >= 1 and sequence length >= 1 required,"
              + " found window "
              + window
              + ", lag "
              + lag
              + ", values "
              + values
              + ", hidden "
              + hidden
              + ", sequence length "
              + sequenceLength);
    }
  }

  /** As written into the model file. */
  Properties toProperties() {
    Properties p = new Properties();
    p.setProperty("format", String.valueOf(FORMAT));
    p.setProperty("variant", variant.id());
    p.setProperty("window", String.valueOf(window));
    p.setProperty("lag", String.valueOf(lag));
    p.setProperty("values", String.valueOf(values));
    p.setProperty("hidden", String.valueOf(hidden));
    p.setProperty("sequence_length", String.valueOf(sequenceLength));
    p.setProperty("experiment", experiment);
    p.setProperty("run_id", runId);
    p.setProperty("point_id", pointId);
    p.setProperty("point_key", pointKey);
    return p;
  }

  /**
   * Reads {@link #toProperties()}'s output.
   *
   * @throws IllegalArgumentException naming the first missing or bad entry
   */
  static ModelInfo fromProperties(Properties p) {
    int format = integer(p, "format");
    if (format != FORMAT) {
      throw new IllegalArgumentException(
          "format " + format + " is not the one this version reads (" + FORMAT + ")");
    }
    return new ModelInfo(
        Variant.parse("variant", text(p, "variant")),
        integer(p, "window"),
        integer(p, "lag"),
        integer(p, "values"),
        integer(p, "hidden"),
        integer(p, "sequence_length"),
        text(p, "experiment"),
        text(p, "run_id"),
        text(p, "point_id"),
        text(p, "point_key"));
  }

  private static String text(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("no '" + key + "' entry");
    }
    return value;
  }

  private static int integer(Properties p, String key) {
    String value = text(p, key);
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + key + "' is not an integer: '" + value + "'");
    }
  }
}
