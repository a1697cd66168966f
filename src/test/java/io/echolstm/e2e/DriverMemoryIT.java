package io.echolstm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's memory as {@code scripts/run.sh} sizes it: a heap of 1 GB plus 256 MB per core of a
 * local master (at most 16 counted), and on local masters a native-memory ceiling of twice the
 * heap, each replaced by what the user gives. Read from the command run.sh submits, through a
 * stand-in {@code SPARK_HOME} whose spark-submit prints its arguments.
 */
class DriverMemoryIT {
  private static final Path ROOT = SweepProcess.ROOT;
  private static final Pattern HEAP =
      Pattern.compile("^--driver-memory\\n([^\\n]+)$", Pattern.MULTILINE);
  private static final Pattern CEILING =
      Pattern.compile("-Dorg\\.bytedeco\\.javacpp\\.maxPhysicalBytes=(\\S+)");

  @TempDir Path dir;
  private Path sparkHome;

  @BeforeEach
  void standInSparkSubmit() throws IOException {
    sparkHome = dir.resolve("spark");
    Path submit = Files.createDirectories(sparkHome.resolve("bin")).resolve("spark-submit");
    Files.writeString(submit, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** The driver heap and the ceiling (null when none is passed) run.sh submits with. */
  private record Submitted(String heap, String ceiling) {}

  private Submitted submitted(Map<String, String> env) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("scripts/run.sh").toString());
    command.addAll(List.of("plan", "--conf", ROOT.resolve("conf/tutorial.properties").toString()));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment()
        .keySet()
        .removeAll(List.of("SPARK_SUBMIT_ARGS", "MASTER", "DRIVER_MEMORY", "MAX_PHYSICAL_MEMORY"));
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().putAll(env);
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("run.sh did not finish");
    }
    String printed = Files.readString(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    Matcher heap = HEAP.matcher(printed);
    assertTrue(heap.find(), printed);
    Matcher ceiling = CEILING.matcher(printed);
    return new Submitted(heap.group(1), ceiling.find() ? ceiling.group(1) : null);
  }

  private static int cores() {
    return Math.min(16, Runtime.getRuntime().availableProcessors());
  }

  @Test
  void theDefaultHeapGrowsWithTheLocalMastersCores() throws Exception {
    assertEquals(new Submitted("1792m", "3584m"), submitted(Map.of("MASTER", "local[3]")));
    assertEquals(new Submitted("1280m", "2560m"), submitted(Map.of("MASTER", "local")));
    assertEquals(new Submitted("1280m", "2560m"), submitted(Map.of("MASTER", "local[ 1 , 4 ]")));
    assertEquals(new Submitted("5120m", "10240m"), submitted(Map.of("MASTER", "local[64]")));
    int heap = 1024 + 256 * cores();
    assertEquals(
        new Submitted(heap + "m", 2 * heap + "m"), submitted(Map.of("MASTER", "local[*]")));
    assertEquals(new Submitted(heap + "m", 2 * heap + "m"), submitted(Map.of()));
  }

  @Test
  void aClusterDriverGetsTheHeapButNoCeiling() throws Exception {
    Submitted cluster =
        submitted(Map.of("MASTER", "spark://127.0.0.1:7077", "SPARK_PROPERTIES_FILE", ""));
    assertEquals(new Submitted(1024 + 256 * cores() + "m", null), cluster);
  }

  @Test
  void theUsersSizesWin() throws Exception {
    assertEquals(
        new Submitted("4g", "8192m"),
        submitted(Map.of("MASTER", "local[2]", "DRIVER_MEMORY", "4g")));
    assertEquals(
        new Submitted("3g", "6144m"),
        submitted(Map.of("MASTER", "local[2]", "SPARK_SUBMIT_ARGS", "--driver-memory 3g")));
    assertEquals(
        new Submitted("1536m", "0"),
        submitted(Map.of("MASTER", "local[2]", "MAX_PHYSICAL_MEMORY", "0")));
    assertEquals(
        new Submitted("2g", "2500m"),
        submitted(
            Map.of("MASTER", "local[2]", "DRIVER_MEMORY", "2g", "MAX_PHYSICAL_MEMORY", "2500m")));
  }
}
