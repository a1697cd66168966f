package io.echolstm.config;

import java.util.List;

/** Argument checks that throw {@link SettingsException} naming the key. */
public final class Check {
  private Check() {}

  public static int atLeast(String key, String what, int value, int min) {
    if (value < min) {
      throw new SettingsException(key, what + " must be >= " + min + ", found " + value);
    }
    return value;
  }

  public static double positive(String key, String what, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new SettingsException(key, what + " must be a positive number, found " + value);
    }
    return value;
  }

  public static <T> List<T> nonEmpty(String key, String what, List<T> values) {
    if (values.isEmpty()) {
      throw new SettingsException(key, what + " must list at least one value, found none");
    }
    return List.copyOf(values);
  }
}
