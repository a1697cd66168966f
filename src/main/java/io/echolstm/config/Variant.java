package io.echolstm.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a point frames its samples and what the network predicts. */
public enum Variant {
  /** Each window is an independent sample; the label is the value {@code lag} steps back. */
  STATELESS;

  /** The name used in configs and in the results table. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Variant parse(String key, String text) {
    for (Variant v : values()) {
      if (v.id().equals(text)) {
        return v;
      }
    }
    throw new SettingsException(
        key,
        "unknown variant '"
            + text
            + "', expected one of "
            + Arrays.stream(values()).map(Variant::id).collect(Collectors.joining(", ")));
  }
}
