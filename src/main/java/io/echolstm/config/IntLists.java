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
    return parse(text, Integer.MIN_VALUE, Integer.MAX_VALUE).stream().map(Long::intValue).toList();
  }

  /**
   * As {@link #parse(String)}, for values anywhere in {@code long} (seeds): safe at its ends too.
   *
   * @throws IllegalArgumentException as {@link #parse(String)} does, for a value outside {@code
   *     long}
   */
  public static List<Long> parseLongs(String text) {
    return parse(text, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  private static List<Long> parse(String text, long min, long max) {
    List<Long> out = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (String raw : text.split(",")) {
      String part = raw.trim();
      if (part.isEmpty()) {
        continue;
      }
      int dash = part.indexOf('-', 1);
      if (dash > 0) {
        long from = integer(part.substring(0, dash), part, min, max);
        long to = integer(part.substring(dash + 1), part, min, max);
        if (to < from) {
          throw new IllegalArgumentException("range '" + part + "' goes down");
        }
        // to - from overflows (goes negative) only for a range wider than any limit
        if (to - from < 0 || to - from >= MAX_VALUES - out.size()) {
          throw tooMany(part);
        }
        for (long i = from; ; i++) {
          add(out, seen, i);
          if (i == to) {
            break;
          }
        }
      } else {
        if (out.size() >= MAX_VALUES) {
          throw tooMany(part);
        }
        add(out, seen, integer(part, part, min, max));
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

  private static void add(List<Long> out, Set<Long> seen, long value) {
    if (!seen.add(value)) {
      throw new IllegalArgumentException("value " + value + " is listed twice");
    }
    out.add(value);
  }

  private static long integer(String text, String part, long min, long max) {
    String digits = text.trim();
    if (!digits.matches("[+-]?[0-9]+")) {
      throw new IllegalArgumentException("expected an integer or a range, found '" + part + "'");
    }
    long value;
    try {
      value = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw outOfRange(digits, part, min, max);
    }
    if (value < min || value > max) {
      throw outOfRange(digits, part, min, max);
    }
    return value;
  }

  private static IllegalArgumentException outOfRange(
      String digits, String part, long min, long max) {
    return new IllegalArgumentException(
        "value '" + digits + "' in '" + part + "' is out of range (" + min + " to " + max + ")");
  }
}
