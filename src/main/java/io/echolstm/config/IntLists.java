package io.echolstm.config;

import java.util.ArrayList;
import java.util.List;

/** Parses integer lists such as {@code 0-4}, {@code 0,2,7} or {@code 1-3,8}. */
public final class IntLists {
  /** Longest list a single range may expand to; guards against typos like {@code 0-1000000}. */
  static final int MAX_RANGE = 10_000;

  private IntLists() {}

  /**
   * Returns the listed integers in the written order.
   *
   * @throws IllegalArgumentException for an empty list, a non-integer, a descending range or a
   *     value listed twice
   */
  public static List<Integer> parse(String text) {
    List<Integer> out = new ArrayList<>();
    for (String raw : text.split(",")) {
      String part = raw.trim();
      if (part.isEmpty()) {
        continue;
      }
      int dash = part.indexOf('-', 1);
      if (dash > 0) {
        int from = integer(part.substring(0, dash), part);
        int to = integer(part.substring(dash + 1), part);
        if (to < from) {
          throw new IllegalArgumentException("range '" + part + "' goes down");
        }
        if ((long) to - from >= MAX_RANGE) {
          throw new IllegalArgumentException("range '" + part + "' is too long");
        }
        for (int i = from; i <= to; i++) {
          add(out, i);
        }
      } else {
        add(out, integer(part, part));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("must list at least one value, found none");
    }
    return List.copyOf(out);
  }

  private static void add(List<Integer> out, int value) {
    if (out.contains(value)) {
      throw new IllegalArgumentException("value " + value + " is listed twice");
    }
    out.add(value);
  }

  private static int integer(String text, String part) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected an integer or a range, found '" + part + "'");
    }
  }
}
