package io.echolstm.results;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a results directory's path may hold: checked once, where the user gives it, so that every
 * later use (Hadoop paths, the table's own listing, Spark's reader, the README's DuckDB glob {@code
 * DIR/run_id=*}{@code /point_id=*}{@code /*.parquet}) sees a path it can carry.
 *
 * <p>Refused: control characters (the path could not be shown on one line); a {@code :} in a path
 * segment (Hadoop reads {@code a:b} as scheme {@code a} when it lists the segment as a child, so
 * the table could be written but never read back); glob metacharacters {@code * ? [ ] { } \}
 * (Hadoop's and Spark's readers and DuckDB's glob would match other directories, or none); a {@code
 * file:} path with a host other than {@code localhost}, or not absolute. Everything else (spaces,
 * {@code %}, {@code #}, {@code +}, {@code =}, {@code ,}, {@code @}, quotes, letters of any script,
 * {@code ..} segments) is carried as it is. {@code file://localhost/P} is the same file as {@code
 * file:///P} and is written so; trailing slashes are dropped.
 */
public final class ResultsPath {
  /** The characters Hadoop's glob, Spark's reader and DuckDB's glob read as patterns. */
  public static final String GLOB_CHARACTERS = "*?[]{}\\";

  /** A scheme as Hadoop finds one: letters before a ':' that comes before any '/'. */
  private static final Pattern SCHEME =
      Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):([^/].*|/.*|)$");

  private ResultsPath() {}

  /**
   * {@code dir} as the job uses it: checked, with trailing slashes dropped and {@code
   * file://localhost/} written {@code file:///}.
   *
   * @throws IllegalArgumentException saying, in one line, what the path cannot hold
   */
  public static String check(String dir) {
    if (dir == null || dir.isBlank()) {
      throw new IllegalArgumentException("results directory must not be empty");
    }
    for (int i = 0; i < dir.length(); i++) {
      char c = dir.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException(
            String.format(
                "results directory must not hold control characters, found U+%04X in %s",
                (int) c, dir.replaceAll("\\p{Cntrl}", "?")));
      }
    }
    String scheme = null;
    String authority = null;
    String path = dir;
    Matcher m = SCHEME.matcher(dir);
    if (m.matches() && dir.indexOf(':') < slash(dir)) {
      scheme = m.group(1);
      String rest = m.group(2);
      if (rest.startsWith("//")) {
        int end = rest.indexOf('/', 2);
        authority = end < 0 ? rest.substring(2) : rest.substring(2, end);
        path = end < 0 ? "" : rest.substring(end);
      } else {
        path = rest;
      }
      if (scheme.equalsIgnoreCase("file")) {
        if (authority != null && !authority.isEmpty() && !authority.equalsIgnoreCase("localhost")) {
          throw new IllegalArgumentException(
              "a file: results path names no host (found '"
                  + authority
                  + "'): write file:/PATH or file:///PATH, or a plain local path: "
                  + dir);
        }
        if (!path.startsWith("/")) {
          throw new IllegalArgumentException(
              "a file: results path must be absolute (file:/PATH or file:///PATH): " + dir);
        }
        authority = "";
      }
    }
    String[] segments = path.split("/", -1);
    for (String segment : segments) {
      if (segment.indexOf(':') >= 0) {
        throw new IllegalArgumentException(
            "results directory must not hold ':' in a path segment (Hadoop reads '"
                + segment
                + "' as a URI with a scheme): "
                + dir);
      }
      for (char c : GLOB_CHARACTERS.toCharArray()) {
        if (segment.indexOf(c) >= 0) {
          throw new IllegalArgumentException(
              "results directory must not hold the glob character '"
                  + c
                  + "' (the table's readers would match other directories, or none; not any of "
                  + GLOB_CHARACTERS
                  + "): "
                  + dir);
        }
      }
    }
    String trimmed = path.replaceAll("/+$", "");
    if (trimmed.isEmpty() && path.startsWith("/")) {
      trimmed = "/";
    }
    if (scheme == null) {
      return trimmed;
    }
    String prefix = scheme.toLowerCase(Locale.ROOT).equals("file") ? "file" : scheme;
    return prefix + ":" + (authority == null ? "" : "//" + authority) + trimmed;
  }

  /** True when {@code dir} names a scheme, as Hadoop reads it. */
  public static boolean hasScheme(String dir) {
    return SCHEME.matcher(dir).matches() && dir.indexOf(':') < slash(dir);
  }

  private static int slash(String dir) {
    int slash = dir.indexOf('/');
    return slash < 0 ? Integer.MAX_VALUE : slash;
  }
}
