package io.echolstm.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.config.ConfigLoader;
import io.echolstm.config.SettingsException;
import io.echolstm.results.ResultsTable;
import io.echolstm.results.RunLease;
import io.echolstm.results.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's plan check without Spark: what {@link RunGuard#open} checks before Spark starts, and what
 * {@link RunGuard#confirm} checks once the {@code auto} worker count is known.
 */
@Timeout(60)
class RunGuardTest {
  private static final RunLease.Timing FAST =
      new RunLease.Timing(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ZERO);
  private static final String MASTER = "local[2]";

  @TempDir Path dir;

  private Path results() {
    return dir.resolve("results");
  }

  private Path runDir() {
    return results().resolve("run_id=r");
  }

  private static SweepPlan plan(String... sets) {
    ConfigLoader loader = new ConfigLoader();
    for (String set : sets) {
      loader.set(set);
    }
    return SweepPlan.expand(loader.load(List.of()));
  }

  private RunGuard open(SweepPlan plan, String master, boolean overwrite) {
    return RunGuard.open(
        results().toString(), "r", new Configuration(), plan, master, overwrite, FAST);
  }

  /** Runs the plan's check as Main does, with {@code auto} resolving to {@code parallelism}. */
  private void run(SweepPlan plan, String master, boolean overwrite, int parallelism) {
    try (RunGuard guard = open(plan, master, overwrite)) {
      guard.confirm(parallelism);
    }
  }

  private RunRecord recorded() throws Exception {
    return RunRecord.read(FileSystem.getLocal(new Configuration()), toHadoop(runDir()), 1 << 20)
        .get();
  }

  private static org.apache.hadoop.fs.Path toHadoop(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  /** A committed point as the table holds it: its partition directory with a Parquet file. */
  private void commit(String pointId) throws Exception {
    Path point = Files.createDirectories(runDir().resolve("point_id=" + pointId));
    Files.writeString(point.resolve("part-00000.parquet"), "");
  }

  private void assertNoLease() {
    assertFalse(Files.exists(runDir().resolve(RunLease.FILE)), "the lease was released");
  }

  @Test
  void theSamePlanIsAcceptedAndItsRecordKept() throws Exception {
    SweepPlan plan = plan("sweep.lags=0-2");
    run(plan, MASTER, false, 2);
    RunRecord first = recorded();
    assertEquals("r", first.runId());
    assertEquals(MASTER, first.master());
    assertEquals(2, first.autoWorkers());
    assertEquals(
        plan.points().stream().map(SweepPoint::key).toList(),
        first.points().stream().map(RunRecord.Point::key).toList());
    assertEquals(
        plan.points().stream().map(SweepPoint::id).toList(),
        first.points().stream().map(RunRecord.Point::id).toList());
    assertNoLease();
    String json = Files.readString(runDir().resolve(RunRecord.FILE));
    assertTrue(json.contains("\"auto_workers\" : 2"), json);

    Thread.sleep(1_100); // a rewrite would record a later time
    run(plan, MASTER, false, 2);
    assertEquals(first, recorded());
    assertEquals(json, Files.readString(runDir().resolve(RunRecord.FILE)));
    assertNoLease();
  }

  @Test
  void otherPointsAreRefusedBeforeSparkNamingTheSettingsThatDiffer() throws Exception {
    run(plan("sweep.lags=0-2"), MASTER, false, 2);
    String before = Files.readString(runDir().resolve(RunRecord.FILE));

    SettingsException fewer =
        assertThrows(SettingsException.class, () -> open(plan("sweep.lags=0-1"), MASTER, false));
    String m = fewer.getMessage();
    assertEquals("--run-id", fewer.key());
    assertTrue(m.contains("run r was started with another plan"), m);
    assertTrue(
        m.contains("1 of the 3 recorded not in this plan, 0 of the 2 planned not recorded"), m);
    assertTrue(m.contains("lag 0,1,2 -> 0,1"), m);
    assertTrue(m.contains("--run-id NEW"), m);
    assertTrue(m.contains("--overwrite"), m);
    assertEquals(1, m.lines().count(), m);

    SettingsException rate =
        assertThrows(
            SettingsException.class,
            () -> open(plan("sweep.lags=0-2", "train.learning-rate=0.5"), MASTER, false));
    assertTrue(
        rate.getMessage().contains("3 of the 3 recorded not in this plan"), rate.getMessage());
    assertTrue(rate.getMessage().matches(".*learning_rate [0-9.]+ -> 0\\.5.*"), rate.getMessage());

    SettingsException more =
        assertThrows(SettingsException.class, () -> open(plan("sweep.lags=0-3"), MASTER, false));
    assertTrue(
        more.getMessage().contains("0 of the 3 recorded not in this plan, 1 of the 4 planned"),
        more.getMessage());

    assertEquals(before, Files.readString(runDir().resolve(RunRecord.FILE)), "record untouched");
    assertNoLease();
  }

  @Test
  void anotherMasterIsRefused() {
    run(plan("sweep.lags=0-2"), MASTER, false, 2);
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () -> open(plan("sweep.lags=0-2"), "spark://10.0.0.1:7077", false));
    assertTrue(e.getMessage().contains("master local[2] -> spark://10.0.0.1:7077"), e.getMessage());
    assertFalse(e.getMessage().contains("points differ"), e.getMessage());
    assertNoLease();
  }

  @Test
  void anotherAutoWorkerCountIsRefusedOnceSparkKnowsIt() throws Exception {
    SweepPlan plan = plan("sweep.lags=0-2");
    run(plan, MASTER, false, 2);
    try (RunGuard guard = open(plan, MASTER, false)) {
      SettingsException e = assertThrows(SettingsException.class, () -> guard.confirm(4));
      assertTrue(e.getMessage().contains("train.workers=auto resolved to 2 -> 4"), e.getMessage());
      assertFalse(e.getMessage().contains("points differ"), e.getMessage());
    }
    assertEquals(2, recorded().autoWorkers());
    assertNoLease();

    // Explicit workers are part of each point's key; no auto count is recorded.
    Files.delete(runDir().resolve(RunRecord.FILE));
    run(plan("sweep.lags=0-2", "train.workers=3"), MASTER, false, 2);
    assertNull(recorded().autoWorkers());
  }

  @Test
  void overwriteReplacesThePlanAndDeletesTheRunsPointsNotInIt() throws Exception {
    SweepPlan three = plan("sweep.lags=0-2");
    run(three, MASTER, false, 2);
    for (SweepPoint p : three.points()) {
      commit(p.id());
    }
    SweepPlan two = plan("sweep.lags=0-1");
    run(two, "local[4]", true, 4);
    RunRecord now = recorded();
    assertEquals(Set.copyOf(two.points().stream().map(SweepPoint::id).toList()), now.pointIds());
    assertEquals("local[4]", now.master());
    assertEquals(4, now.autoWorkers());
    assertEquals(
        Set.of(two.points().get(0).id(), two.points().get(1).id()),
        ResultsTable.committedPoints(
            FileSystem.getLocal(new Configuration()), toHadoop(results()), "r"));
    assertNoLease();
    // The replaced run resumes with its new plan.
    run(two, "local[4]", false, 4);
  }

  @Test
  void aRunWithoutARecordIsRefusedWhenItHoldsPointsOfAnotherPlan() throws Exception {
    SweepPlan plan = plan("sweep.lags=0-2");
    commit(plan.points().get(0).id());
    // Points of this plan only (a run from before plans were recorded): accepted and recorded.
    run(plan, MASTER, false, 2);
    assertEquals(3, recorded().points().size());

    Files.delete(runDir().resolve(RunRecord.FILE));
    commit("p00000000000000aa");
    SettingsException e = assertThrows(SettingsException.class, () -> open(plan, MASTER, false));
    assertTrue(
        e.getMessage().contains("no recorded plan and holds 1 committed point(s) not in this plan"),
        e.getMessage());
    assertNoLease();
  }

  @Test
  void anUnreadableRecordIsRefusedUnlessOverwritten() throws Exception {
    Files.createDirectories(runDir());
    Files.writeString(runDir().resolve(RunRecord.FILE), "not json");
    SettingsException e =
        assertThrows(SettingsException.class, () -> open(plan("sweep.lags=0"), MASTER, false));
    assertTrue(e.getMessage().contains("unreadable"), e.getMessage());
    run(plan("sweep.lags=0"), MASTER, true, 2);
    assertEquals(1, recorded().points().size());
  }

  @Test
  void aRunHeldByALiveDriverIsRefusedNamingIt() throws Exception {
    try (RunLease held =
        RunLease.take(FileSystem.getLocal(new Configuration()), toHadoop(runDir()), "r", FAST)) {
      SettingsException e =
          assertThrows(SettingsException.class, () -> open(plan("sweep.lags=0"), MASTER, false));
      assertEquals("--run-id", e.key());
      assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
      assertTrue(e.getMessage().contains("new --run-id"), e.getMessage());
      assertTrue(Files.exists(runDir().resolve(RunLease.FILE)), "the live lease is kept");
      assertFalse(Files.exists(runDir().resolve(RunRecord.FILE)), "nothing recorded");
    }
  }

  /** A live lease as another driver of this version writes it, as JSON fields. */
  private static java.util.Map<String, Object> liveLease() {
    java.util.Map<String, Object> lease = new java.util.LinkedHashMap<>();
    String now = java.time.Instant.now().toString();
    lease.put("run_id", "r");
    lease.put("token", "someone-else");
    lease.put("host", "node7");
    lease.put("pid", 4242);
    lease.put("pid_namespace", "pid:[1]");
    lease.put("started", now);
    lease.put("renewed", now);
    lease.put("heartbeat_millis", 10_000);
    lease.put("stale_after_millis", 60_000);
    return lease;
  }

  private void writeLease(String text) throws Exception {
    Files.createDirectories(runDir());
    Files.writeString(runDir().resolve(RunLease.FILE), text);
  }

  /**
   * Issue 16 case 8: a live lease without a field this version expects ended in a
   * NullPointerException (exit 1). Whatever a lease file holds that is not a lease this job wrote
   * (a field missing, wrong types, other JSON, garbage, too large), it counts as an unreadable
   * lease that is live until its file goes stale: refused in one line naming the file.
   */
  @Test
  void aLeaseFileThatIsNotALeaseIsRefusedNamingIt() throws Exception {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    List<String> texts = new java.util.ArrayList<>();
    for (String field : liveLease().keySet()) {
      var lease = liveLease();
      lease.remove(field);
      texts.add(mapper.writeValueAsString(lease));
      lease.put(field, null);
      texts.add(mapper.writeValueAsString(lease));
    }
    var wrongType = liveLease();
    wrongType.put("pid", "abc");
    texts.add(mapper.writeValueAsString(wrongType));
    texts.add(mapper.writeValueAsString(liveLease()) + " trailing");
    texts.add("[1, 2, 3]");
    texts.add("null");
    texts.add("");
    texts.add("\u0000\u0001garbage");
    texts.add("{\"pid\": 1".repeat(30_000));
    for (String text : texts) {
      writeLease(text);
      SettingsException e =
          assertThrows(
              SettingsException.class,
              () -> open(plan("sweep.lags=0"), MASTER, false),
              text.length() > 200 ? text.substring(0, 200) : text);
      assertEquals("--run-id", e.key());
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
      assertTrue(
          e.getMessage().contains("is being written by another driver (unreadable lease file ")
              && e.getMessage().contains(RunLease.FILE),
          e.getMessage());
      assertEquals(text, Files.readString(runDir().resolve(RunLease.FILE)), "left alone");
    }
  }

  @Test
  @Timeout(20)
  void aLeasePathThatIsADirectoryOrANamedPipeIsRefusedWithWhatToDo() throws Exception {
    Files.createDirectories(runDir().resolve(RunLease.FILE));
    SettingsException dirLease =
        assertThrows(SettingsException.class, () -> open(plan("sweep.lags=0"), MASTER, false));
    assertTrue(
        dirLease.getMessage().contains("is a directory, not a file; remove it if no driver"),
        dirLease.getMessage());
    Files.delete(runDir().resolve(RunLease.FILE));
    assertEquals(
        0,
        new ProcessBuilder("mkfifo", runDir().resolve(RunLease.FILE).toString()).start().waitFor());
    SettingsException fifo =
        assertThrows(SettingsException.class, () -> open(plan("sweep.lags=0"), MASTER, true));
    assertTrue(fifo.getMessage().contains("(a named pipe)"), fifo.getMessage());
  }

  /**
   * A plan record that is not one: refused unless --overwrite replaces it; one that no rename can
   * replace (a directory, a named pipe) refused with --overwrite too, never read.
   */
  @Test
  @Timeout(30)
  void aPlanRecordThatIsNotOneIsRefusedNamingIt() throws Exception {
    Path record = runDir().resolve(RunRecord.FILE);
    SweepPlan plan = plan("sweep.lags=0");
    List<String> texts =
        List.of(
            "{\"run_id\": \"r\"}",
            "{\"run_id\": \"r\", \"master\": \"local[2]\", \"points\": [{\"id\": null}]}",
            "{\"run_id\": \"r\", \"master\": \"local[2]\", \"points\": 7}",
            "[]",
            "null",
            "",
            "\u0000binary");
    for (String text : texts) {
      Files.createDirectories(runDir());
      Files.writeString(record, text);
      SettingsException e =
          assertThrows(SettingsException.class, () -> open(plan, MASTER, false), text);
      assertTrue(
          e.getMessage().contains("plan record " + "file:" + record + " is unreadable")
              || e.getMessage().contains(record + " is unreadable"),
          e.getMessage());
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
      assertNoLease();
    }
    // Larger than twice this plan's own record: not read.
    try (java.io.RandomAccessFile big = new java.io.RandomAccessFile(record.toFile(), "rw")) {
      big.setLength(4L << 30);
    }
    SettingsException large =
        assertThrows(SettingsException.class, () -> open(plan, MASTER, false));
    assertTrue(large.getMessage().contains("unreadable (larger than "), large.getMessage());
    run(plan, MASTER, true, 2);
    assertEquals(1, recorded().points().size(), "--overwrite replaced it");

    Files.delete(record);
    Files.createDirectories(record);
    SettingsException dir = assertThrows(SettingsException.class, () -> open(plan, MASTER, true));
    assertTrue(
        dir.getMessage().contains("is a directory, not a file; remove it"), dir.getMessage());
    assertNoLease();
    Files.delete(record);
    assertEquals(0, new ProcessBuilder("mkfifo", record.toString()).start().waitFor());
    SettingsException fifo = assertThrows(SettingsException.class, () -> open(plan, MASTER, true));
    assertTrue(fifo.getMessage().contains("(a named pipe)"), fifo.getMessage());
    assertNoLease();
  }
}
