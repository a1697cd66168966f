package io.echolstm.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Parses integer lists such as {@code 0-4}, {@code 0,2,7} or {@code 1-3,8}. */
public final class IntLists {
  /**
   * Most values a list may hold, however it is written (one range or many); guards against typos
   * like {@code 0-1000000}.
   */
  static final int MAX_VALUES = 10_000;

  private IntLists() {}

  /**
   * Returns the listed integers in the written order. Safe at the ends of {@code int}: bounds are
   * compared and counted as {@code long}, and a value outside {@code int} is refused, not wrapped.
   *
   * @throws IllegalArgumentException for an empty list, a non-integer, a value outside {@code int},
   *     a descending range, a value listed twice or more than {@value #MAX_VALUES} values
   */
  public static List<Integer> parse(String text) {
    List<Integer> out = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (String raw : text.split(",")) {
      String part = raw.trim();
      if (part.isEmpty()) {
        continue;
      }
      int dash = part.indexOf('-', 1);
      if (dash > 0) {
        long from = integer(part.substring(0, dash), part);
        long to = integer(part.substring(dash + 1), part);
        if (to < from) {
          throw new IllegalArgumentException("range '" + part + "' goes down");
        }
        if (to - from + 1 > MAX_VALUES - out.size()) {
          throw tooMany(part);
        }
        for (long i = from; i <= to; i++) {
          add(out, seen, (int) i);
        }
      } else {
        if (out.size() >= MAX_VALUES) {
          throw tooMany(part);
        }
        add(out, seen, integer(part, part));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("must list at least one value, found none");
    }
    return List.copyOf(out);
  }

  private static IllegalArgumentException tooMany(String part) {
    return new IllegalArgumentException(
        "list is too long at '" + part + "': at most " + MAX_VALUES + " values");
  }

  private static void add(List<Integer> out, Set<Integer> seen, int value) {
    if (!seen.add(value)) {
      throw new IllegalArgumentException("value " + value + " is listed twice");
    }
    out.add(value);
  }

  private static int integer(String text, String part) {
    String digits = text.trim();
    if (!digits.matches("[+-]?[0-9]+")) {
      throw new IllegalArgumentException("expected an integer or a range, found '" + part + "'");
    }
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "value '"
              + digits
              + "' in '"
              + part
              + "' is out of range ("
              + Integer.MIN_VALUE
              + " to "
              + Integer.MAX_VALUE
              + ")");
    }
  }
}
