package io.echolstm.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.e2e.SweepProcess.Outcome;
import io.echolstm.e2e.SweepProcess.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's cases that involve the launcher, through {@code scripts/run.sh} as a user runs it:
 * each ends in one line and the documented exit code. Kept small: the launches that start Spark
 * fail or stop within their first point.
 */
class LauncherFailuresIT {
  private static final Path ROOT = SweepProcess.ROOT;
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  @TempDir Path dir;

  /** The job's own lines on stderr: each "echo-lstm: ..." line. */
  private static List<String> jobLines(Outcome o) {
    return o.stderr().lines().filter(l -> l.startsWith("echo-lstm: ")).toList();
  }

  private static void assertNoStackTrace(Outcome o) {
    assertFalse(
        o.stderr().lines().anyMatch(l -> l.matches("\\s+at [\\w.$]+\\(.*\\)")),
        "no stack trace:\n" + o.tail());
  }

  /** run.sh with {@code env} (on top of the test's own), in {@code cwd}; waits for it. */
  private static Outcome runSh(Path cwd, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("scripts/run.sh").toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().remove("SPARK_SUBMIT_ARGS");
    pb.environment().remove("MASTER");
    pb.environment().putAll(env);
    Path out = Files.createTempFile(cwd, "out", ".txt");
    Path err = Files.createTempFile(cwd, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("run.sh did not finish:\n" + Files.readString(err));
    }
    Outcome o =
        new Outcome(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return o;
  }

  /**
   * Case 16: a master Spark does not know, or a SPARK_SUBMIT_ARGS spark-submit would refuse, ended
   * in spark-submit's raw "Exception in thread main" and exit 1. run.sh checks its environment
   * before it launches anything: exit 2 and one line naming the variable and what is wrong.
   */
  @Test
  void aBadLauncherEnvironmentIsOneLineNamingIt() throws Exception {
    Path cwd = Files.createDirectories(dir.resolve("env"));
    record Bad(Map<String, String> env, String named) {}
    List<Bad> cases =
        List.of(
            new Bad(Map.of("MASTER", "bogus://x"), "MASTER='bogus://x'"),
            new Bad(Map.of("MASTER", "local[0]"), "MASTER='local[0]'"),
            new Bad(Map.of("MASTER", "spark://nohost"), "MASTER='spark://nohost'"),
            new Bad(Map.of("MASTER", "yarn"), "MASTER=yarn needs SPARK_HOME"),
            new Bad(
                Map.of("SPARK_SUBMIT_ARGS", "--conf"), "SPARK_SUBMIT_ARGS: --conf needs a value"),
            new Bad(Map.of("SPARK_SUBMIT_ARGS", "--conf spark.x"), "--conf needs KEY=VALUE"),
            new Bad(Map.of("SPARK_SUBMIT_ARGS", "--frobnicate 1"), "'--frobnicate'"),
            new Bad(Map.of("SPARK_SUBMIT_ARGS", "--conf 'a=b"), "unmatched quote"),
            new Bad(Map.of("SPARK_SUBMIT_ARGS", "--master local"), "--master is run.sh's"),
            new Bad(Map.of("DRIVER_MEMORY", "lots"), "DRIVER_MEMORY='lots'"),
            new Bad(Map.of("DRIVER_MEMORY", "64m"), "DRIVER_MEMORY='64m' is too small"),
            new Bad(Map.of("MAX_PHYSICAL_MEMORY", "2.5g"), "MAX_PHYSICAL_MEMORY='2.5g'"));
    for (Bad bad : cases) {
      Outcome o = runSh(cwd, bad.env(), "plan");
      assertEquals(2, o.code(), bad + ":\n" + o.stderr());
      assertEquals(1, o.stderr().lines().count(), bad + ":\n" + o.stderr());
      assertTrue(o.stderr().startsWith("run.sh: ") && o.stderr().contains(bad.named()), o.stderr());
      assertEquals("", o.stdout(), bad.toString());
    }
  }

  /**
   * Case 9: --driver-java-options in SPARK_SUBMIT_ARGS (the README's way to pass driver Java
   * options) replaced run.sh's own, so the default config, the log config and the memory ceiling
   * were lost. They are added: the user's option reaches the driver (the lease timing it sets is
   * checked and refused), and so do run.sh's (the project's default config is found from another
   * directory).
   */
  @Test
  void driverJavaOptionsInSparkSubmitArgsAreAddedToRunShs() throws Exception {
    Path cwd = Files.createDirectories(dir.resolve("elsewhere"));
    Outcome o =
        runSh(
            cwd,
            Map.of(
                "SPARK_SUBMIT_ARGS",
                "--driver-java-options '-Decholstm.lease.heartbeat-seconds=5"
                    + " -Decholstm.lease.stale-seconds=6'"),
            "sweep",
            "--results",
            dir.resolve("results").toString());
    assertEquals(2, o.code(), o.tail());
    assertEquals(
        List.of(
            "echo-lstm: a lease must go stale only after at least two missed heartbeats: stale"
                + " after PT6S, heartbeat PT5S (key echolstm.lease.stale-seconds)"),
        jobLines(o),
        o.tail());
    assertFalse(Files.exists(dir.resolve("results")));
  }

  /**
   * Case 1: a task's OutOfMemoryError (valid settings, too little memory) reached Spark's
   * uncaught-exception handler, which ended the JVM with exit code 50 after the job had printed its
   * line. The sweep ends with exit code 1 and one line naming the point and the out-of-memory
   * error, its lease released and nothing left in the working directory; also when Spark is told to
   * end the JVM on a fatal error (the job's handler turns that exit into 1 as well).
   */
  @Test
  void aTaskOutOfMemoryIsExitOneWithOneLine() throws Exception {
    Path results = dir.resolve("oom-results");
    Sandbox sandbox = Sandbox.in(dir.resolve("oom"));
    // A 10,000-wide one-hot batch of 10,000 windows against a 1 GB native-memory ceiling.
    List<String> args =
        List.of(
            "sweep",
            "--conf",
            ROOT.resolve("conf/tutorial.properties").toString(),
            "--experiment",
            "echo-current",
            "--set",
            "data.values=10000",
            "--set",
            "train.batch-size=65536",
            "--set",
            "data.train-sequences=400",
            "--set",
            "data.eval-sequences=1",
            "--set",
            "data.validation-sequences=1",
            "--set",
            "data.partitions=1",
            "--set",
            "train.epochs=1",
            "--results",
            results.toString(),
            "--run-id",
            "oom");
    Map<String, String> small = Map.of("DRIVER_MEMORY", "1g", "MAX_PHYSICAL_MEMORY", "1000m");
    for (List<String> submitArgs :
        List.of(List.<String>of(), List.of("--conf", "spark.executor.killOnFatalError.depth=5"))) {
      Outcome o;
      try (SweepProcess run =
          SweepProcess.start(
              dir.resolve("oom-logs-" + submitArgs.size()),
              sandbox,
              "local[2]",
              submitArgs,
              small,
              args)) {
        o = run.await(TIMEOUT);
      }
      System.out.println(o.report());
      assertEquals(1, o.code(), submitArgs + "\n" + o.tail());
      List<String> lines = jobLines(o);
      assertEquals(1, lines.size(), o.tail());
      assertTrue(
          lines.get(0).startsWith("echo-lstm: sweep failed at point 1/1 [echo-current")
              && lines.get(0).contains("out of memory (OutOfMemoryError"),
          lines.get(0));
      assertTrue(TableFiles.leases(results).isEmpty(), "the lease is released");
      assertEquals(List.of(), TableFiles.tree(sandbox.work()), "nothing in the working directory");
    }
  }

  /**
   * Case 12: SIGTERM or Ctrl-C mid-sweep ended with "sweep failed ... Cannot call methods on a
   * stopped SparkContext" and up to 84 stack lines. Each stopping signal ends the sweep with the
   * shell's code for it (130, 143, 129) and one line saying it was interrupted, what it committed
   * and how to resume; the lease is released and a rerun resumes.
   */
  @Test
  void aSignalEndsTheSweepWithItsCodeAndOneLine() throws Exception {
    Path results = dir.resolve("signal-results");
    Sandbox sandbox = Sandbox.in(dir.resolve("signals"));
    Pattern committed = Pattern.compile("point 1/3 \\[.*; committed$");
    Pattern firstStarted = Pattern.compile("point 1/3 \\[.*\\]: starting");

    // SIGTERM once a point is committed: the line counts it, a rerun skips it.
    List<String> args =
        SweepProcess.smallSweep("0,1,2", 2, results, "term", "--set", "sweep.concurrency=1");
    Outcome term;
    try (SweepProcess run =
        SweepProcess.start(dir.resolve("term"), sandbox, "local[2]", List.of(), args)) {
      // A point's row is committed while the next point trains: point 2 runs by now.
      run.awaitLine(committed, TIMEOUT);
      run.signal("TERM");
      term = run.await(TIMEOUT);
    }
    System.out.println(term.report());
    assertEquals(143, term.code(), term.tail());
    // Rows are committed while the next points train: when point 1's commit is logged, point 2
    // trains or is committing, and point 3 may have started; the line says which and how many.
    List<String> termLines = jobLines(term);
    assertEquals(1, termLines.size(), term.tail());
    Matcher line =
        Pattern.compile(
                "echo-lstm: sweep interrupted by SIGTERM at point [23]/3 \\[echo-lag"
                    + " variant=stateless lag=[12] window=3 hidden=16\\] while [a-z ]+; ([12]) of 3"
                    + " points committed in "
                    + Pattern.quote(results.toString())
                    + " \\(run term\\); rerun with --run-id term to train the rest")
            .matcher(termLines.get(0));
    assertTrue(line.matches(), termLines.get(0));
    int committedPoints = Integer.parseInt(line.group(1));
    assertNoStackTrace(term);
    assertTrue(TableFiles.leases(results).isEmpty(), "the lease is released");
    Outcome plan = runSh(sandbox.work(), Map.of("MASTER", "local[2]"), planOf(args));
    assertEquals(0, plan.code(), plan.tail());
    assertTrue(
        plan.stdout()
            .contains(
                "3 points: "
                    + (3 - committedPoints)
                    + " to train, "
                    + committedPoints
                    + " already committed"),
        plan.stdout());

    // Ctrl-C, a closed terminal, a scheduler's time-limit warning: as the first point starts.
    for (String[] signal : new String[][] {{"INT", "130"}, {"HUP", "129"}, {"USR1", "138"}}) {
      List<String> again =
          SweepProcess.smallSweep("0,1,2", 2, results, "sig-" + signal[0].toLowerCase());
      Outcome o;
      try (SweepProcess run =
          SweepProcess.start(dir.resolve(signal[0]), sandbox, "local[2]", List.of(), again)) {
        run.awaitLine(firstStarted, TIMEOUT);
        run.signal(signal[0]);
        o = run.await(TIMEOUT);
      }
      assertEquals(Integer.parseInt(signal[1]), o.code(), o.tail());
      List<String> lines = jobLines(o);
      assertEquals(1, lines.size(), o.tail());
      assertTrue(
          lines.get(0).startsWith("echo-lstm: sweep interrupted by SIG" + signal[0] + " ")
              && lines.get(0).contains("; 0 of 3 points committed in "),
          lines.get(0));
      assertNoStackTrace(o);
      assertTrue(TableFiles.leases(results).isEmpty(), "the lease is released");
    }
  }

  /**
   * {@code scripts/run.sh} with no arguments runs the sweep as its child, then the report: a signal
   * sent to the script reaches the sweep once, which ends with its line and code, and so does the
   * script (no report).
   */
  @Test
  void aSignalToTheMainJobReachesTheSweep() throws Exception {
    Sandbox sandbox = Sandbox.in(dir.resolve("main-job"));
    Outcome o;
    try (SweepProcess run =
        SweepProcess.start(
            dir.resolve("main-job-logs"), sandbox, "local[2]", List.of(), List.of())) {
      run.awaitLine(Pattern.compile("point 1/8 \\[.*\\]: starting"), TIMEOUT);
      run.signal("TERM");
      o = run.await(TIMEOUT);
    }
    System.out.println(o.report());
    assertEquals(143, o.code(), o.tail());
    List<String> lines = jobLines(o);
    assertEquals(1, lines.size(), o.tail());
    assertTrue(lines.get(0).startsWith("echo-lstm: sweep interrupted by SIGTERM "), lines.get(0));
    assertFalse(o.stdout().contains("report of run"), "no report after an interrupted sweep");
    assertNoStackTrace(o);
    assertTrue(
        TableFiles.leases(sandbox.work().resolve("results")).isEmpty(), "the lease is released");
  }

  /** {@code plan} with the sweep's own options. */
  private static String[] planOf(List<String> sweepArgs) {
    List<String> plan = new ArrayList<>(sweepArgs);
    plan.set(0, "plan");
    return plan.toArray(String[]::new);
  }
}
