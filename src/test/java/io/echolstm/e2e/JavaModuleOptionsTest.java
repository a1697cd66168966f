package io.echolstm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/**
 * The Java 17 module options are one list, {@code conf/java-module-options} (a JDK argument file),
 * which is Spark's own and which every launcher of the project reads instead of a copy.
 */
class JavaModuleOptionsTest {
  private static final Path ROOT = SweepProcess.ROOT;
  private static final String FILE = "conf/java-module-options";
  private static final List<String> LAUNCHERS =
      List.of("pom.xml", "scripts/spark-submit", "scripts/cluster.sh");

  /** The options of the argument file: its lines but comments and blank ones. */
  private static List<String> options() throws IOException {
    return Files.readAllLines(ROOT.resolve(FILE)).stream()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }

  @Test
  void theListIsWhatSparksLauncherAdds() throws IOException {
    assertEquals(
        Arrays.asList(JavaModuleOptions.defaultModuleOptions().split(" ")),
        options(),
        "Spark on the classpath adds other options than " + FILE);
  }

  @Test
  void thisTestJvmWasStartedWithIt() throws IOException {
    // Surefire's argLine names the file; java expanded it.
    List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
    assertTrue(jvm.containsAll(options()), "JVM started with " + jvm);
  }

  @Test
  void everyLauncherReadsTheFileAndCarriesNoCopy() throws IOException {
    for (String launcher : LAUNCHERS) {
      String text = Files.readString(ROOT.resolve(launcher));
      assertTrue(text.contains("/" + FILE), launcher + " does not read " + FILE);
      assertFalse(text.contains("--add-opens="), launcher + " carries its own --add-opens list");
    }
  }
}
