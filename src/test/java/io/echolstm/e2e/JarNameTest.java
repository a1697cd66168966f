package io.echolstm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The scripts take the jar's name and the Spark version from the build ({@code scripts/pom-value},
 * which {@code scripts/run.sh} and {@code scripts/spark-submit} use), and the docs name the jar the
 * build makes.
 */
class JarNameTest {
  private static final Path ROOT = SweepProcess.ROOT;

  private static String pomValue(String name) throws Exception {
    Process p =
        new ProcessBuilder("/bin/bash", ROOT.resolve("scripts/pom-value").toString(), name)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "scripts/pom-value " + name);
    return out;
  }

  @Test
  void pomValueReadsWhatMavenReads() throws Exception {
    Pom pom = Pom.read();
    assertEquals(pom.artifactId(), pomValue("artifactId"));
    assertEquals(pom.version(), pomValue("version"));
    assertEquals(pom.property("spark.version"), pomValue("spark.version"));
  }

  @Test
  void theReadmeAndTheImageNameTheJarTheBuildMakes() throws Exception {
    // A concrete name (the README also writes the pattern as target/ARTIFACTID-VERSION.jar).
    Pattern jar = Pattern.compile("target/[a-z0-9][\\w.-]*\\.jar");
    for (String file : List.of("README.md", "docker/Dockerfile")) {
      Set<String> named = new TreeSet<>();
      Matcher m = jar.matcher(Files.readString(ROOT.resolve(file)));
      while (m.find()) {
        named.add(m.group());
      }
      assertEquals(Set.of(Pom.read().jar()), named, file + " names another jar");
    }
  }
}
