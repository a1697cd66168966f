package io.echolstm.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One setting, declared once: its key, how its text is parsed, the check its value must pass
 * (including a documented ceiling for every size), its default and a one-line doc. When the setting
 * decides a point's result, the declaration also names its point-key entry and results column and
 * how to read its value from a {@link PointSettings}. The loader, the point key ({@link PointKey}),
 * the results schema, {@code --help} and the README's tables all iterate over {@link Settings#ALL}.
 *
 * @param <T> the parsed value's type
 */
public final class Setting<T> {
  private final String key;
  private final String defaultText;
  private final String range;
  private final String doc;
  private final Function<String, T> parser;
  private final Consumer<T> check;
  private final String pointKeyName;
  private final String column;
  private final Class<?> columnType;
  private final Function<PointSettings, Object> pointValue;
  private final Function<Object, String> keyFormat;

  private Setting(
      String key,
      String defaultText,
      String range,
      String doc,
      Function<String, T> parser,
      Consumer<T> check,
      String pointKeyName,
      String column,
      Class<?> columnType,
      Function<PointSettings, Object> pointValue,
      Function<Object, String> keyFormat) {
    this.key = key;
    this.defaultText = defaultText;
    this.range = range;
    this.doc = doc;
    this.parser = parser;
    this.check = check;
    this.pointKeyName = pointKeyName;
    this.column = column;
    this.columnType = columnType;
    this.pointValue = pointValue;
    this.keyFormat = keyFormat;
  }

  /** A declaration whose value does not decide a point's result (no point key, no column). */
  static <T> Setting<T> of(
      String key,
      String defaultText,
      String range,
      String doc,
      Function<String, T> parser,
      Consumer<T> check) {
    return new Setting<>(
        key, defaultText, range, doc, parser, check, null, null, null, null, String::valueOf);
  }

  /**
   * This declaration, also recorded per point: as {@code name=value} in the point key ({@link
   * PointKey}: a setting declared after the first release only when not at its default) and as the
   * results column {@code column} of Java type {@code type} (Integer, Long, Double, Boolean or
   * String; null values are written as SQL NULL and as {@code none} in the key). The name and the
   * value's text are part of the ids of stored points: they cannot change later.
   */
  <C> Setting<T> perPoint(
      String name, String column, Class<C> type, Function<PointSettings, C> value) {
    return new Setting<>(
        key, defaultText, range, doc, parser, check, name, column, type, value::apply, keyFormat);
  }

  /** Like {@link #perPoint} with the point-key name as the column name. */
  <C> Setting<T> perPoint(String name, Class<C> type, Function<PointSettings, C> value) {
    return perPoint(name, name, type, value);
  }

  /** How a non-null point value is written in the point key (default {@code String.valueOf}). */
  Setting<T> keyFormat(Function<Object, String> format) {
    return new Setting<>(
        key,
        defaultText,
        range,
        doc,
        parser,
        check,
        pointKeyName,
        column,
        columnType,
        pointValue,
        format);
  }

  public String key() {
    return key;
  }

  public String defaultValue() {
    return defaultText;
  }

  /** The accepted values, e.g. {@code 1..10000}, as listed in {@code --help} and the README. */
  public String range() {
    return range;
  }

  public String doc() {
    return doc;
  }

  /**
   * Parses and checks {@code text}.
   *
   * @throws SettingsException naming this key when the text is not a valid value
   */
  public T parse(String text) {
    T value;
    try {
      value = parser.apply(text);
    } catch (SettingsException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new SettingsException(key, e.getMessage());
    }
    return check(value);
  }

  /**
   * Returns {@code value} when it passes this declaration's check; the settings records call this
   * from their constructors, so every condition is written once, here.
   *
   * @throws SettingsException naming this key and the bad value
   */
  public T check(T value) {
    check.accept(value);
    return value;
  }

  /** True when the setting decides a point's result: it is in the point key and a column. */
  public boolean perPoint() {
    return pointValue != null;
  }

  /** The setting's name in the point key, or empty for run-level settings. */
  public Optional<String> pointKeyName() {
    return Optional.ofNullable(pointKeyName);
  }

  /** The results column holding the point's value, or empty for run-level settings. */
  public Optional<String> column() {
    return Optional.ofNullable(column);
  }

  /** The column's Java type (Integer, Long, Double, Boolean or String), or null. */
  public Class<?> columnType() {
    return columnType;
  }

  /** The point's value as written to the results column (null for "none"). */
  public Object pointValue(PointSettings point) {
    return pointValue.apply(point);
  }

  /** {@code name=value} as it appears in the point key. */
  public String pointKeyEntry(PointSettings point) {
    Object value = pointValue(point);
    return pointKeyName + "=" + (value == null ? "none" : keyFormat.apply(value));
  }

  @Override
  public String toString() {
    return key;
  }

  // ---- value kinds ------------------------------------------------------------------------------

  static Setting<Integer> integer(String key, String what, int dflt, int min, int max, String doc) {
    return of(
        key,
        String.valueOf(dflt),
        min + ".." + max,
        doc,
        text -> parseInt(text),
        v -> within(key, what, v, min, max));
  }

  /** A count or {@code auto}, which parses to {@code auto} (0); a written count is checked. */
  static Setting<Integer> autoInteger(
      String key, String what, int auto, int min, int max, String doc) {
    Consumer<Integer> range = v -> within(key, what, v, min, max);
    return of(
        key,
        "auto",
        "auto or " + min + ".." + max,
        doc,
        text -> {
          if (text.equals("auto")) {
            return auto;
          }
          int v = parseInt(text);
          range.accept(v);
          return v;
        },
        v -> {
          if (v != auto) {
            range.accept(v);
          }
        });
  }

  static Setting<Double> decimal(
      String key, String dflt, String range, String doc, Consumer<Double> check) {
    return of(key, dflt, range, doc, Setting::parseDouble, check);
  }

  static Setting<OptionalDouble> optionalDecimal(
      String key, String range, String doc, Consumer<Double> check) {
    return of(
        key,
        "none",
        "none or " + range,
        doc,
        text -> text.equals("none") ? OptionalDouble.empty() : OptionalDouble.of(parseDouble(text)),
        v -> {
          Objects.requireNonNull(v, key);
          v.ifPresent(check::accept);
        });
  }

  static Setting<Boolean> bool(String key, boolean dflt, String doc) {
    return of(
        key,
        String.valueOf(dflt),
        "true, false",
        doc,
        text ->
            switch (text.toLowerCase(Locale.ROOT)) {
              case "true" -> true;
              case "false" -> false;
              default ->
                  throw new IllegalArgumentException(
                      "expected true or false, found '" + text + "'");
            },
        v -> Objects.requireNonNull(v, key));
  }

  static <E extends Enum<E>> Setting<E> enumeration(
      String key, Class<E> type, String dflt, String doc) {
    List<String> ids = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      ids.add(id(e));
    }
    return of(
        key,
        dflt,
        String.join(", ", ids),
        doc,
        text -> {
          for (E e : type.getEnumConstants()) {
            if (id(e).equals(text.toLowerCase(Locale.ROOT).replace('_', '-'))) {
              return e;
            }
          }
          throw new IllegalArgumentException(
              "expected one of " + String.join(", ", ids) + ", found '" + text + "'");
        },
        v -> Objects.requireNonNull(v, key));
  }

  /** An integer list ({@link IntLists} syntax) of distinct values, each within [min, max]. */
  static Setting<List<Integer>> intList(
      String key, String what, String dflt, int min, int max, String doc) {
    return of(
        key,
        dflt,
        "list of " + min + ".." + max + ", no repeats",
        doc,
        IntLists::parse,
        list -> {
          distinctNonEmpty(key, list);
          for (int v : list) {
            within(key, what, v, min, max);
          }
        });
  }

  /** An integer list ({@link IntLists} syntax) of distinct values anywhere in {@code long}. */
  static Setting<List<Long>> longList(String key, String dflt, String doc) {
    return of(
        key,
        dflt,
        "list of integers, no repeats",
        doc,
        IntLists::parseLongs,
        list -> distinctNonEmpty(key, list));
  }

  /** A comma-separated list of distinct ids, each parsed by {@code element}. */
  static <E> Setting<List<E>> list(
      String key, String dflt, String range, String doc, Function<String, E> element) {
    return of(
        key,
        dflt,
        range + ", no repeats",
        doc,
        text -> {
          List<E> out = new ArrayList<>();
          for (String part : text.split(",")) {
            if (!part.isBlank()) {
              out.add(element.apply(part.trim()));
            }
          }
          return out;
        },
        list -> distinctNonEmpty(key, list));
  }

  /** The lower-case, dash-separated name used in configs and results for an enum constant. */
  public static String id(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static void within(String key, String what, int value, int min, int max) {
    if (value < min) {
      throw new SettingsException(key, what + " must be >= " + min + ", found " + value);
    }
    if (value > max) {
      throw new SettingsException(key, what + " must be <= " + max + ", found " + value);
    }
  }

  private static void distinctNonEmpty(String key, List<?> list) {
    Objects.requireNonNull(list, key);
    if (list.isEmpty()) {
      throw new SettingsException(key, "must list at least one value, found none");
    }
    Set<Object> seen = new HashSet<>();
    for (Object v : list) {
      if (!seen.add(v)) {
        String text = v instanceof Enum<?> e ? id(e) : String.valueOf(v);
        throw new SettingsException(key, "value " + text + " is listed twice");
      }
    }
  }

  /**
   * An integer as written in a config: ASCII digits with an optional sign. Java's own parsers also
   * take other scripts' digits.
   */
  static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

  /**
   * A decimal number as written in a config: ASCII digits with an optional sign, fraction and
   * exponent ({@code 0.01}, {@code .5}, {@code 1e-3}). {@link Double#parseDouble} also takes
   * hexadecimal ({@code 0x1p-3}), type suffixes ({@code 1f}, {@code 1d}), {@code NaN} and {@code
   * Infinity}, which a config never means.
   */
  static final Pattern DECIMAL =
      Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");

  private static int parseInt(String text) {
    if (!INTEGER.matcher(text).matches()) {
      throw new IllegalArgumentException("expected an integer, found '" + text + "'");
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "integer out of range (" + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + "): " + text);
    }
  }

  private static double parseDouble(String text) {
    if (!DECIMAL.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "expected a number (decimal, such as 0.01 or 1e-3), found '" + text + "'");
    }
    return Double.parseDouble(text);
  }
}
