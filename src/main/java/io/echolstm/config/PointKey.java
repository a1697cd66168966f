package io.echolstm.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a point's key (the {@code point_key} column) and id ({@code point_id}) are written, so that a
 * release that adds a setting keeps the ids of the points existing tables hold, and their runs
 * resume. The key is {@code experiment=NAME} followed by {@code name=value} entries:
 *
 * <ol>
 *   <li>the entries of {@link #FROZEN}, always, defaults included, in that order: every key written
 *       before this rule lists exactly them;
 *   <li>then each other per-point setting (one declared since), in declaration order, only when the
 *       point's value differs from its value in the point of the defaults (the declared defaults,
 *       and the first value of each swept list).
 * </ol>
 *
 * <p>So adding a setting needs no change here: at its default it leaves every key as it was, and a
 * point that sets it gets a key no earlier point had. Changing any setting's value changes the key.
 * A per-point setting must keep its key name and its value's text for good, and a setting in {@link
 * #FROZEN} cannot be removed without changing every id.
 */
public final class PointKey {
  /**
   * The point-key names of the settings every key has listed since the first release, in key order.
   * Frozen: settings declared later are keyed only when set (see the class comment), so this list
   * never grows.
   */
  static final List<String> FROZEN =
      List.of(
          "variant",
          "lag",
          "window",
          "hidden",
          "seed",
          "values",
          "sequence_length",
          "train_sequences",
          "eval_sequences",
          "validation_sequences",
          "partitions",
          "workers",
          "batch_size",
          "averaging_frequency",
          "prefetch",
          "save_updater",
          "lstm",
          "approach",
          "repartition",
          "epochs",
          "learning_rate",
          "target_accuracy",
          "max_seconds",
          "patience",
          "min_improvement",
          "eval_every_windows",
          "eval_batch_size");

  private final List<Setting<?>> frozen = new ArrayList<>();

  /** The later settings, each with its key entry in the point of the defaults. */
  private final Map<Setting<?>, String> later = new LinkedHashMap<>();

  /**
   * The key of the points of {@code perPoint}'s settings ({@link Settings#perPoint()} in the job).
   *
   * @param defaults the point of the defaults: a later setting whose entry equals its entry there
   *     is left out of a key
   * @throws IllegalStateException when a {@link #FROZEN} name has no declaration
   */
  public PointKey(List<Setting<?>> perPoint, PointSettings defaults) {
    Map<String, Setting<?>> byName = new LinkedHashMap<>();
    for (Setting<?> s : perPoint) {
      byName.put(s.pointKeyName().orElseThrow(), s);
    }
    for (String name : FROZEN) {
      Setting<?> s = byName.remove(name);
      if (s == null) {
        throw new IllegalStateException(
            "point-key entry "
                + name
                + " has no per-point declaration: every existing point id depends on it");
      }
      frozen.add(s);
    }
    for (Setting<?> s : byName.values()) {
      later.put(s, s.pointKeyEntry(defaults));
    }
  }

  /** The key of {@code point} of experiment {@code experiment}. */
  public String key(String experiment, PointSettings point) {
    StringBuilder key = new StringBuilder("experiment=").append(experiment);
    for (Setting<?> s : frozen) {
      key.append(' ').append(s.pointKeyEntry(point));
    }
    later.forEach(
        (s, atDefault) -> {
          String entry = s.pointKeyEntry(point);
          if (!entry.equals(atDefault)) {
            key.append(' ').append(entry);
          }
        });
    return key.toString();
  }

  /**
   * {@code key} without the entry of {@code setting}: what the point shares with the points that
   * differ from it in that setting alone (e.g. the other lags of a frontier search).
   */
  public static String without(String key, Setting<?> setting) {
    String entry = setting.pointKeyName().orElseThrow() + "=";
    StringBuilder out = new StringBuilder();
    for (String part : key.split(" ")) {
      if (!part.startsWith(entry)) {
        out.append(out.length() == 0 ? "" : " ").append(part);
      }
    }
    return out.toString();
  }

  /** A short, path-safe id of {@code key}: {@code p} and 16 hex digits of its SHA-256. */
  public static String id(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "p" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
