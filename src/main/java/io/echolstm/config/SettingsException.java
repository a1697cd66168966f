package io.echolstm.config;

/**
 * A setting is missing, unknown or has a bad value. The message always names the key, so a user can
 * find the line to fix: {@code window must be >= 1, found 0 (key sweep.windows)}.
 */
public final class SettingsException extends IllegalArgumentException {
  private final String key;

  public SettingsException(String key, String problem) {
    super(problem + " (key " + key + ")");
    this.key = key;
  }

  /** The key whose value was refused, as the user wrote it. */
  public String key() {
    return key;
  }
}
