package io.echolstm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/ensure-chromium}, which {@code mvn verify} runs before the integration tests, on a
 * PATH of stand-ins: {@code id} says who runs it, {@code apt-get} and {@code sudo} log their calls
 * and "install" a chromium into the PATH, so every branch runs here without touching the machine.
 */
class EnsureChromiumTest {
  private static final Path SCRIPT = SweepProcess.ROOT.resolve("scripts/ensure-chromium");

  @TempDir Path dir;

  private record Run(int code, String stderr, String calls) {}

  /** A stand-in command in the PATH directory: a bash script with this body. */
  private void stub(String name, String body) throws IOException {
    Path file = dir.resolve("bin/" + name);
    Files.writeString(file, "#!/bin/bash\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** The PATH directory, with the real {@code env} and the stand-in {@code id}. */
  private void machine(int uid) throws IOException {
    Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(dir.resolve("bin/env"), Path.of("/usr/bin/env"));
    stub("id", "echo " + uid);
  }

  /** An apt-get that logs its arguments and, on install, puts a chromium into the PATH. */
  private void aptGet() throws IOException {
    stub(
        "apt-get",
        "echo \"apt-get $* (DEBIAN_FRONTEND=$DEBIAN_FRONTEND)\" >> "
            + dir.resolve("calls")
            + "\nif [[ $1 == install ]]; then echo '#!/bin/bash' > "
            + dir.resolve("bin/chromium")
            + "; /usr/bin/chmod +x "
            + dir.resolve("bin/chromium")
            + "; fi");
  }

  private Run run(Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", SCRIPT.toString());
    pb.environment().clear();
    pb.environment().put("PATH", dir.resolve("bin").toString());
    pb.environment().putAll(env);
    Path err = dir.resolve("stderr");
    Process p =
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the script did not finish");
    Path calls = dir.resolve("calls");
    return new Run(
        p.exitValue(),
        Files.readString(err, StandardCharsets.UTF_8),
        Files.exists(calls) ? Files.readString(calls) : "");
  }

  private static void assertSaysWhatToDo(Run r) {
    assertEquals(1, r.code(), r.stderr());
    assertTrue(r.stderr().contains("apt-get install chromium"), r.stderr());
    assertTrue(r.stderr().contains("CHROMIUM=/path/to/chromium"), r.stderr());
    assertTrue(r.stderr().contains("-DskipITs"), r.stderr());
  }

  @Test
  void aChromiumOnThePathIsUsedAndNothingInstalled() throws Exception {
    machine(0);
    aptGet();
    stub("chromium", "");
    Run r = run(Map.of());
    assertEquals(0, r.code(), r.stderr());
    assertTrue(r.stderr().contains("using " + dir.resolve("bin/chromium")), r.stderr());
    assertEquals("", r.calls());
  }

  @Test
  void anExplicitChromiumIsCheckedAndNeverInstalled() throws Exception {
    machine(0);
    aptGet();
    stub("chrome", "");
    Run named = run(Map.of("CHROMIUM", dir.resolve("bin/chrome").toString()));
    assertEquals(0, named.code(), named.stderr());

    Run nowhere = run(Map.of("CHROMIUM", dir.resolve("nowhere/chromium").toString()));
    assertSaysWhatToDo(nowhere);
    assertTrue(nowhere.stderr().contains("is not an executable file"), nowhere.stderr());
    assertEquals("", nowhere.calls(), "an explicit CHROMIUM is never installed");
  }

  @Test
  void missingAsRootItIsInstalledWithAptGet() throws Exception {
    machine(0);
    aptGet();
    Run r = run(Map.of());
    assertEquals(0, r.code(), r.stderr());
    assertEquals(
        List.of(
            "apt-get update -qq (DEBIAN_FRONTEND=)",
            "apt-get install -y -qq chromium (DEBIAN_FRONTEND=noninteractive)"),
        r.calls().lines().toList());
    assertTrue(r.stderr().contains("installed " + dir.resolve("bin/chromium")), r.stderr());
  }

  @Test
  void missingAsAUserItIsInstalledThroughSudoWithoutAPassword() throws Exception {
    machine(1000);
    aptGet();
    stub(
        "sudo",
        "echo \"sudo $*\" >> " + dir.resolve("calls") + "\n[[ $1 == -n ]] && shift\n\"$@\"");
    Run r = run(Map.of());
    assertEquals(0, r.code(), r.stderr());
    assertTrue(r.calls().contains("sudo -n apt-get update -qq"), r.calls());
    assertTrue(
        r.calls().contains("sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install"),
        r.calls());
  }

  @Test
  void whenItCannotBeInstalledTheBuildStopsSayingWhatToDo() throws Exception {
    machine(1000);
    aptGet();
    Run noSudo = run(Map.of());
    assertSaysWhatToDo(noSudo);
    assertTrue(noSudo.stderr().contains("needs root"), noSudo.stderr());
    assertEquals("", noSudo.calls());

    Files.delete(dir.resolve("bin/apt-get"));
    Files.writeString(dir.resolve("bin/id"), "#!/bin/bash\necho 0\n");
    Run noApt = run(Map.of());
    assertSaysWhatToDo(noApt);
    assertTrue(noApt.stderr().contains("no apt-get"), noApt.stderr());

    stub("apt-get", "exit 100");
    Run failed = run(Map.of());
    assertSaysWhatToDo(failed);
    assertTrue(failed.stderr().contains("apt-get update failed"), failed.stderr());
    assertFalse(Files.exists(dir.resolve("bin/chromium")));
  }
}
