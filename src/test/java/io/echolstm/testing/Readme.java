package io.echolstm.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The README's generated sections, for the tests that compare them with their source. */
public final class Readme {
  private Readme() {}

  /**
   * The lines between {@code <!-- NAME:begin ...-->} and {@code <!-- NAME:end -->} in README.md.
   */
  public static String section(String name) throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int begin = readme.indexOf('\n', readme.indexOf("<!-- " + name + ":begin")) + 1;
    int end = readme.indexOf("<!-- " + name + ":end -->");
    assertTrue(begin > 0 && end > begin, "README.md lacks the " + name + " markers");
    return readme.substring(begin, end);
  }
}
