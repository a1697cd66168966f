package io.echolstm.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.e2e.LocalCluster.Executor;
import io.echolstm.e2e.SweepProcess.Outcome;
import io.echolstm.e2e.SweepProcess.Sandbox;
import io.echolstm.testing.ComparableRows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep on a real standalone cluster ({@code scripts/cluster.sh}: a master and two one-core
 * workers on 127.0.0.1, executors in their own JVMs), submitted through {@code scripts/run.sh} with
 * {@code MASTER=spark://...} and the Direct training approach. The second test SIGKILLs one
 * executor JVM while it runs a training task: Spark must retry the task (standalone clusters allow
 * {@code spark.task.maxFailures} = 4), the master must replace the executor, and the sweep must
 * still end with one row per point.
 */
@TestMethodOrder(OrderAnnotation.class)
class ClusterIT {
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(8);

  /**
   * The small sweep of SweepEndToEndIT with 2 epochs instead of 4 (Direct training on two one-core
   * executors is slow here, and 1 epoch already reaches accuracy 1.0 for lags inside the window).
   */
  private static final int EPOCHS = 2;

  private static final List<String> SUBMIT_ARGS =
      List.of("--executor-memory", "1g", "--total-executor-cores", "2");

  /** The JVM option that scripts/run.sh and conf/spark-cluster.conf give driver and executors. */
  private static final String STATS_CLOCK =
      "-Dorg.deeplearning4j.spark.time.TimeSource=org.deeplearning4j.spark.time.SystemClockTimeSource";

  private static LocalCluster cluster;

  @TempDir Path dir;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster =
        LocalCluster.start(
            SweepProcess.ROOT.resolve("target/cluster-it"), 2, Duration.ofMinutes(5));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster == null) {
      return;
    }
    List<ProcessHandle> daemons = cluster.daemons();
    cluster.close();
    for (ProcessHandle p : daemons) {
      assertFalse(p.isAlive(), "cluster daemon " + p.pid() + " still runs after cluster.sh stop");
    }
    assertEquals(
        List.of(),
        cluster.processes().stream().map(p -> p.info().commandLine().orElse("?")).toList(),
        "processes of the cluster left after cluster.sh stop");
  }

  @Test
  @Order(1)
  void sweepRunsOnTheStandaloneCluster() throws Exception {
    Path results = dir.resolve("results");
    Sandbox sandbox = Sandbox.in(dir.resolve("sandbox"));
    Set<String> appsBefore = cluster.appIds();

    Outcome outcome;
    try (SweepProcess run = submit(sandbox, "0,3", results, "cluster")) {
      outcome = run.await(RUN_TIMEOUT);
    }
    System.out.println(outcome.report());
    assertEquals(0, outcome.code(), outcome.tail());
    assertTrue(outcome.stdout().contains("run cluster: 2 trained, 0 already done"), outcome.tail());

    String app = newApp(appsBefore);
    List<String> executors = cluster.executorDirs(app);
    assertTrue(
        executors.stream().anyMatch(e -> e.startsWith("worker-1/"))
            && executors.stream().anyMatch(e -> e.startsWith("worker-2/")),
        "executors on both workers: " + executors);

    checkRows(results, "cluster", List.of(0, 3));
    checkNothingLeft(sandbox, results, false);
    // Stats were collected (the resident workers' round times), on executors started with the
    // clock conf/spark-cluster.conf names for dl4j-spark's stats (its default NTP clock would fail
    // the training tasks of train.averaging=dl4j-spark on a machine without internet).
    assertTrue(outcome.stderr().contains("training stats:"), outcome.tail());
    assertTrue(outcome.stderr().contains("resident averaging: "), outcome.tail());
    for (Path log : cluster.executorLogs(app)) {
      String command = Files.readAllLines(log).get(0);
      assertTrue(
          command.startsWith("Spark Executor Command:") && command.contains(STATS_CLOCK),
          "executor started with the stats clock: " + command);
    }

    // The same sweep on local[2] (same partitions, 2 workers): the same rows.
    Path localResults = dir.resolve("results-local");
    Outcome local;
    try (SweepProcess run =
        SweepProcess.start(
            dir.resolve("local-logs"),
            Sandbox.in(dir.resolve("sandbox-local")),
            "local[2]",
            List.of(),
            sweepArgs("0,3", localResults, "local"))) {
      local = run.await(RUN_TIMEOUT);
    }
    System.out.println(local.report());
    assertEquals(0, local.code(), local.tail());
    assertEquals(List.of(), differences(results, "cluster", localResults, "local"));
  }

  /**
   * Columns that differ between two runs' rows, point by point, compared as {@link DeterminismIT}
   * compares them (timing columns and the run id left out), and {@code master} left out too: it
   * records the master, which differs by design.
   */
  private static List<String> differences(Path a, String runA, Path b, String runB) {
    Map<String, Map<String, Object>> rowsA;
    Map<String, Map<String, Object>> rowsB;
    org.apache.spark.sql.SparkSession spark = io.echolstm.testing.SparkTestSession.start();
    try {
      rowsA = ComparableRows.byPoint(spark.read().parquet(a.toString()).collectAsList(), runA);
      rowsB = ComparableRows.byPoint(spark.read().parquet(b.toString()).collectAsList(), runB);
    } finally {
      spark.stop();
    }
    assertEquals(rowsA.keySet(), rowsB.keySet(), "both runs trained the same points");
    assertFalse(rowsA.isEmpty());
    List<String> out = new ArrayList<>();
    for (String point : rowsA.keySet()) {
      Map<String, Object> ra = rowsA.get(point);
      Map<String, Object> rb = rowsB.get(point);
      for (String column : ra.keySet()) {
        if (!column.equals("master") && !Objects.equals(ra.get(column), rb.get(column))) {
          out.add(point + " " + column + ": " + ra.get(column) + " vs " + rb.get(column));
        }
      }
    }
    return out;
  }

  @Test
  @Order(2)
  void sweepSurvivesAKilledExecutor() throws Exception {
    Path results = dir.resolve("results");
    Sandbox sandbox = Sandbox.in(dir.resolve("sandbox"));
    Set<String> appsBefore = cluster.appIds();

    Outcome outcome;
    KilledTask killed;
    // One point (runtime): the kill lands mid-training, and the rest of it must survive that.
    // The test-only plugin HoldFirstTrainingTask holds each executor's first training task until
    // the kill is done, so the killed executor is certainly running a training task.
    Path hold = dir.resolve("hold");
    Files.createDirectories(hold);
    Path pluginJar = HoldFirstTrainingTask.writeJar(dir.resolve("hold-first-training-task.jar"));
    try (SweepProcess run =
        submit(
            sandbox,
            "1",
            results,
            "executor-lost",
            HoldFirstTrainingTask.submitArgs(pluginJar, hold))) {
      try {
        killed = killAnExecutorHoldingATrainingTask(appsBefore, hold, Duration.ofMinutes(5));
      } finally {
        Files.writeString(hold.resolve("release"), "");
      }
      outcome = run.await(RUN_TIMEOUT);
    }
    System.out.println(outcome.report());
    System.out.println("killed: " + killed);
    assertEquals(0, outcome.code(), outcome.tail());
    assertTrue(
        outcome.stdout().contains("run executor-lost: 1 trained, 0 already done"), outcome.tail());
    assertFalse(killed.executor().process().isAlive());

    {
      String lost = "(TID " + killed.tid() + ")";
      assertTrue(
          outcome
              .stderr()
              .lines()
              .anyMatch(
                  l ->
                      l.contains("Lost task")
                          && l.contains(lost)
                          && l.contains("ExecutorLostFailure")),
          "the driver saw task " + lost + " fail with its executor:\n" + outcome.tail());
      String log = outcome.stderr();
      assertTrue(
          // One evaluation chunk per epoch here: its line ends the first epoch's training.
          log.indexOf(lost) < log.indexOf("epoch 1 chunk 1/1:"),
          "the task was lost during the first epoch's training:\n" + outcome.tail());
    }
    // Two executors to start with, and one the master launched in place of the killed one.
    List<String> executors = cluster.executorDirs(killed.executor().appId());
    assertEquals(3, executors.size(), "executors of the app: " + executors);

    checkRows(results, "executor-lost", List.of(1));
    checkNothingLeft(sandbox, results, true);
  }

  private SweepProcess submit(Sandbox sandbox, String lags, Path results, String runId)
      throws IOException {
    return submit(sandbox, lags, results, runId, List.of());
  }

  private SweepProcess submit(
      Sandbox sandbox, String lags, Path results, String runId, List<String> extraSubmitArgs)
      throws IOException {
    List<String> submitArgs = new ArrayList<>(SUBMIT_ARGS);
    submitArgs.addAll(extraSubmitArgs);
    Path executorTmp = sandbox.tmp().resolve("executors");
    Files.createDirectories(executorTmp);
    submitArgs.add("--conf");
    submitArgs.add("spark.executor.extraJavaOptions=-Djava.io.tmpdir=" + executorTmp);
    return SweepProcess.start(
        sandbox.work().resolveSibling("logs"),
        sandbox,
        cluster.masterUrl(),
        submitArgs,
        sweepArgs(lags, results, runId));
  }

  private static List<String> sweepArgs(String lags, Path results, String runId) {
    return SweepProcess.smallSweep(
        lags,
        EPOCHS,
        results,
        runId,
        "--set",
        "train.approach=direct",
        "--set",
        "train.workers=2",
        // Timed on the executors too: they must get dl4j-spark's stats clock from the launcher.
        "--set",
        "train.collect-stats=true");
  }

  /** The one application the cluster ran since {@code before}. */
  private static String newApp(Set<String> before) throws IOException {
    Set<String> apps = new HashSet<>(cluster.appIds());
    apps.removeAll(before);
    assertEquals(1, apps.size(), "new applications on the cluster: " + apps);
    return apps.iterator().next();
  }

  /**
   * One row per point, in lag order; lags inside the window (3) learned, the others (controls) at
   * chance; the cluster and the training approach recorded.
   */
  private static void checkRows(Path results, String runId, List<Integer> lags) {
    List<Map<String, Object>> rows =
        TableFiles.duckDb(
            results,
            "run_id, point_id, lag, control, accuracy, loss, master, approach, workers,"
                + " count(*) OVER (PARTITION BY point_id) AS n",
            "ORDER BY lag");
    assertEquals(lags, rows.stream().map(r -> r.get("lag")).toList(), "one row per point: " + rows);
    for (Map<String, Object> r : rows) {
      assertEquals(1L, ((Number) r.get("n")).longValue(), "duplicate point: " + r);
      assertEquals(runId, r.get("run_id"));
      assertEquals(cluster.masterUrl(), r.get("master"));
      assertTrue(((String) r.get("master")).startsWith("spark://127.0.0.1:"), r.toString());
      assertEquals("direct", r.get("approach"));
      assertEquals(2, r.get("workers"), "one parameter-averaging worker per executor");
      double accuracy = (Double) r.get("accuracy");
      if ((Integer) r.get("lag") < 3) {
        assertEquals(false, r.get("control"));
        assertTrue(accuracy >= 0.9, "lag inside the window learned: " + r);
      } else {
        assertEquals(true, r.get("control"));
        assertTrue(accuracy <= 0.25, "control near chance: " + r);
        assertTrue((Double) r.get("loss") > 1.8, "control loss near ln 10: " + r);
      }
    }
  }

  /**
   * Nothing half-written in the table, nothing left in the driver's working and temp dirs or the
   * executors' temp dir, and (once the worker has cleaned up after the finished application) no
   * executor scratch dirs under the workers' local dirs.
   *
   * @param executorKilled an executor was SIGKILLed: the native libraries that lz4-java and
   *     snappy-java copy to {@code java.io.tmpdir} and delete only on a normal JVM exit may stay
   */
  private static void checkNothingLeft(Sandbox sandbox, Path results, boolean executorKilled)
      throws Exception {
    List<String> workerScratch = List.of();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      workerScratch = new ArrayList<>();
      for (int w = 1; w <= cluster.workers(); w++) {
        for (String entry : TableFiles.tree(cluster.localDir(w))) {
          // spark-<uuid> is the worker's own root, removed when the worker stops.
          if (!entry.matches("spark-[0-9a-f-]{36}")) {
            workerScratch.add("worker-" + w + "/" + entry);
          }
        }
      }
      if (workerScratch.isEmpty()) {
        break;
      }
      Thread.sleep(500); // the worker deletes an application's dirs asynchronously
    }
    List<String> scratch = workerScratch;
    List<String> temp = new ArrayList<>(sandbox.tmpLeftovers());
    temp.remove("executors");
    List<String> expectedTemp =
        executorKilled
            ? temp.stream().filter(p -> p.matches("executors/[^/]+\\.so(\\.lck)?")).toList()
            : List.of();
    if (!expectedTemp.isEmpty()) {
      System.out.println("left in java.io.tmpdir by the SIGKILLed executor: " + expectedTemp);
    }
    assertAll(
        "files left behind",
        () -> assertEquals(List.of(), TableFiles.strays(results), "in the table"),
        () -> assertEquals(List.of(), TableFiles.tree(sandbox.work()), "in the working dir"),
        () -> assertEquals(expectedTemp, temp, "in the driver's and executors' temp dirs"),
        () -> assertEquals(List.of(), scratch, "in the workers' local dirs"));
  }

  /** An executor that was SIGKILLed, and the training task (TID) it was running then. */
  private record KilledTask(Executor executor, String tid) {}

  private static final Pattern TASK_LINE =
      Pattern.compile("Executor: (Running|Finished) task \\S+ in stage \\S+ \\(TID (\\d+)\\)");

  /** What executor logs show of tasks: started (by TID) and, of those, finished. */
  private record Tasks(Set<String> started, Set<String> finished) {
    static Tasks of(Path stderr) throws IOException {
      Tasks t = new Tasks(new HashSet<>(), new HashSet<>());
      if (!Files.exists(stderr)) {
        return t;
      }
      // Leniently decoded: the executor may be in the middle of writing a line.
      String log = new String(Files.readAllBytes(stderr), StandardCharsets.UTF_8);
      for (String line : log.lines().toList()) {
        Matcher m = TASK_LINE.matcher(line);
        if (m.find()) {
          (m.group(1).equals("Running") ? t.started : t.finished).add(m.group(2));
        }
      }
      return t;
    }
  }

  /**
   * Waits until an executor of the new application holds a training task in the test plugin (its
   * {@code held-<pid>} file names its pid, the task's TID and its stage, which the plugin found to
   * run dl4j-spark's training workers), SIGKILLs that executor, and checks that its log shows the
   * task started and never finished. Fails when no training task is held in time, or the held task
   * is not running in the killed executor: the kill must land mid-task.
   */
  private static KilledTask killAnExecutorHoldingATrainingTask(
      Set<String> appsBefore, Path hold, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<Path> held;
      try (var files = Files.list(hold)) {
        held = files.filter(p -> p.getFileName().toString().startsWith("held-")).sorted().toList();
      }
      if (!held.isEmpty()) {
        String[] pidTidStage = Files.readString(held.get(0)).trim().split(" ");
        long pid = Long.parseLong(pidTidStage[0]);
        String tid = pidTidStage[1];
        String stage = pidTidStage[2];
        List<String> stages = Files.readAllLines(hold.resolve("stages"));
        assertTrue(
            stages.stream().anyMatch(l -> l.startsWith(stage + " training ")),
            "the held task's stage " + stage + " runs the training workers: " + stages);
        Executor e =
            cluster.executors().stream()
                .filter(x -> !appsBefore.contains(x.appId()) && x.process().pid() == pid)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no executor of the app has pid " + pid));
        e.process().destroyForcibly();
        try {
          e.process().onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException ex) {
          throw new AssertionError("executor " + e + " survived SIGKILL", ex);
        }
        // The log as the executor left it: the held task started and never finished.
        Tasks tasks = Tasks.of(e.stderr());
        assertTrue(
            tasks.started().contains(tid) && !tasks.finished().contains(tid),
            "TID " + tid + " was running in the killed executor: " + tasks);
        System.out.println("stages the plugin classified:\n" + String.join("\n", stages));
        return new KilledTask(e, tid);
      }
      Thread.sleep(50);
    }
    Path stages = hold.resolve("stages");
    throw new AssertionError(
        "no executor held a training task within "
            + timeout
            + "; stages seen:\n"
            + (Files.exists(stages) ? Files.readString(stages) : "none"));
  }
}
