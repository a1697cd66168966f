package io.echolstm.config;

import io.echolstm.files.BoundedFile;
import io.echolstm.files.FileRefusedException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * A config file's text, read and parsed strictly: a regular file of bounded size ({@link
 * BoundedFile}), UTF-8 (a leading byte-order mark skipped), no control characters but tabs, line
 * and form feeds, and Java's properties syntax. Every refusal is a {@link SettingsException} (key
 * {@code --conf}) that names the file and, where there is one, the line.
 */
final class ConfigText {
  private ConfigText() {}

  /** The file's text. */
  static String read(Path path, long maxBytes) {
    byte[] bytes;
    try {
      bytes = BoundedFile.read(path, maxBytes, "config file");
    } catch (FileRefusedException e) {
      throw new SettingsException("--conf", e.getMessage());
    }
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    String text;
    try {
      text = utf8.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      int line = lineOfByte(bytes, firstBadUtf8(bytes));
      throw new SettingsException(
          "--conf",
          "config file " + path + " line " + line + ": not UTF-8 text (is it a config file?)");
    }
    if (text.startsWith("\ufeff")) {
      text = text.substring(1); // a Windows editor's byte-order mark
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f) {
        throw new SettingsException(
            "--conf",
            String.format(
                "config file %s line %d: control character U+%04X (is it a config file?)",
                path, lineOf(text, i), (int) c));
      }
    }
    return text;
  }

  /**
   * The keys and values of {@code text}, in Java's properties syntax.
   *
   * @throws SettingsException naming the file and the line of a malformed {@code \\uXXXX} escape
   */
  static Properties parse(String text, Path path) {
    try {
      return load(text);
    } catch (IllegalArgumentException e) {
      List<String> lines = text.lines().toList();
      // The first line whose prefix fails to load is where the bad escape is: loading a prefix
      // never fails on a later line, so the prefixes fail from that line on.
      int lo = 1;
      int hi = lines.size();
      while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (fails(String.join("\n", lines.subList(0, mid)))) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      String shown = lines.isEmpty() ? "" : lines.get(lo - 1).strip();
      if (shown.length() > 80) {
        shown = shown.substring(0, 80) + "...";
      }
      throw new SettingsException(
          "--conf",
          "config file "
              + path
              + " line "
              + lo
              + ": malformed \\uXXXX escape (four hex digits expected): "
              + shown);
    }
  }

  private static Properties load(String text) {
    Properties props = new Properties();
    try {
      props.load(new StringReader(text));
    } catch (IOException e) {
      throw new IllegalStateException("reading a string failed", e);
    }
    return props;
  }

  private static boolean fails(String prefix) {
    try {
      load(prefix);
      return false;
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  private static int lineOf(String text, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /** The offset of the first byte that does not decode as UTF-8. */
  private static int firstBadUtf8(byte[] bytes) {
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
    utf8.decode(in, out, true);
    return in.position();
  }

  private static int lineOfByte(byte[] bytes, int offset) {
    int line = 1;
    for (int i = 0; i < Math.min(offset, bytes.length); i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
  }
}
