package io.echolstm.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which LSTM layer implementation the network uses; both compute the same function. */
public enum LstmImplementation {
  /** The fast layer ({@code model.FastLstm}): DL4J's LSTM math with fewer, larger native calls. */
  FAST,
  /** DL4J's own {@code LSTM} layer. */
  DL4J;

  /** The name used in configs. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static LstmImplementation parse(String text) {
    for (LstmImplementation v : values()) {
      if (v.id().equals(text)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "unknown LSTM implementation '"
            + text
            + "', expected one of "
            + Arrays.stream(values())
                .map(LstmImplementation::id)
                .collect(Collectors.joining(", ")));
  }
}
