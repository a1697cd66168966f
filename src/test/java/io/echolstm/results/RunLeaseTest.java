package io.echolstm.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The run lease on the local Hadoop file system, with timings short enough for a test. */
@Timeout(60)
class RunLeaseTest {
  private static final RunLease.Timing FAST =
      new RunLease.Timing(Duration.ofMillis(100), Duration.ofMillis(1_000), Duration.ZERO);

  @TempDir java.nio.file.Path tmp;
  private FileSystem fs;
  private Path runDir;
  private java.nio.file.Path leaseFile;

  @BeforeEach
  void setUp() throws Exception {
    fs = FileSystem.getLocal(new Configuration());
    runDir = new Path(tmp.toUri().toString(), "run_id=r");
    leaseFile = tmp.resolve("run_id=r").resolve(RunLease.FILE);
  }

  private RunLease.Owner onDisk() throws Exception {
    return RunLease.readOwner(RunFiles.plain(fs), new Path(runDir, RunLease.FILE), FAST).get();
  }

  /** A lease file as another driver would have left it. */
  private void writeForeign(String host, long pid, String namespace, Instant renewed, long stale)
      throws Exception {
    Files.createDirectories(leaseFile.getParent());
    RunLease.Owner other =
        new RunLease.Owner(
            "r",
            "someone-else",
            host,
            pid,
            namespace,
            renewed.minusSeconds(60).toString(),
            renewed.toString(),
            stale / 4,
            stale);
    Files.writeString(leaseFile, RunLease.JSON.writeValueAsString(other));
  }

  @Test
  void takeRecordsTheOwnerAndReleaseRemovesTheLeaseAndTheEmptyRunDir() throws Exception {
    try (RunLease lease = RunLease.take(fs, runDir, "r", FAST)) {
      RunLease.Owner owner = onDisk();
      assertEquals(ProcessHandle.current().pid(), owner.pid());
      assertEquals(RunLease.HOST, owner.host());
      assertEquals("r", owner.runId());
      assertEquals(lease.owner().token(), owner.token());
      // Only the lease: no .crc side file, no temp file.
      assertEquals(List.of(RunLease.FILE), list());
      lease.ensureHeld();
    }
    assertFalse(Files.exists(leaseFile));
    assertFalse(Files.exists(leaseFile.getParent()), "the run dir the lease created is removed");
  }

  @Test
  void releaseKeepsTheRunDirWhenItHoldsMore() throws Exception {
    Files.createDirectories(leaseFile.getParent().resolve("point_id=pa"));
    RunLease.take(fs, runDir, "r", FAST).close();
    assertEquals(List.of("point_id=pa"), list());
  }

  @Test
  void theHeartbeatRenewsTheLease() throws Exception {
    try (RunLease lease = RunLease.take(fs, runDir, "r", FAST)) {
      Instant first = Instant.parse(onDisk().renewed());
      Thread.sleep(500);
      Instant later = Instant.parse(onDisk().renewed());
      assertTrue(later.isAfter(first), first + " then " + later);
      assertEquals(onDisk().started(), lease.owner().started());
      lease.ensureHeld();
    }
  }

  @Test
  void aLiveLeaseIsRefusedAndNamesItsOwner() throws Exception {
    try (RunLease first = RunLease.take(fs, runDir, "r", FAST)) {
      // Waits past several heartbeats: a renewed lease stays live.
      Thread.sleep(1_500);
      RunLease.HeldException e =
          assertThrows(RunLease.HeldException.class, () -> RunLease.take(fs, runDir, "r", FAST));
      assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
      assertTrue(e.getMessage().contains("host " + RunLease.HOST), e.getMessage());
      assertEquals(first.owner().token(), e.owner().token());
      assertEquals(first.owner().token(), onDisk().token(), "the refused taker wrote nothing");
    }
  }

  @Test
  void aLeaseWithoutHeartbeatIsTakenOverOnceStale() throws Exception {
    // On another host: its pid means nothing here, only the heartbeat counts.
    writeForeign("elsewhere", 1, "", Instant.now(), 60_000);
    assertThrows(RunLease.HeldException.class, () -> RunLease.take(fs, runDir, "r", FAST));
    writeForeign("elsewhere", 1, "", Instant.now().minusSeconds(61), 60_000);
    assertTrue(RunLease.staleness(onDisk(), Instant.now()).get().contains("no heartbeat"));
    try (RunLease lease = RunLease.take(fs, runDir, "r", FAST)) {
      assertEquals(lease.owner().token(), onDisk().token());
      assertEquals(ProcessHandle.current().pid(), onDisk().pid());
    }
  }

  @Test
  void aDeadOwnerOnThisHostIsTakenOverAtOnce() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
    long pid = gone.pid();
    writeForeign(RunLease.HOST, pid, RunLease.PID_NAMESPACE, Instant.now(), 60_000);
    assertTrue(
        RunLease.staleness(onDisk(), Instant.now()).get().contains("process " + pid),
        "a fresh heartbeat, but the process is gone");
    try (RunLease lease = RunLease.take(fs, runDir, "r", FAST)) {
      assertEquals(lease.owner().token(), onDisk().token());
    }
    // The same pid in another process namespace (another container) is not this host's process.
    writeForeign(RunLease.HOST, pid, "pid:[other]", Instant.now(), 60_000);
    assertTrue(RunLease.staleness(onDisk(), Instant.now()).isEmpty());
  }

  @Test
  void anOwnerWhoseLeaseWasTakenOverStopsWriting() throws Exception {
    try (RunLease lease = RunLease.take(fs, runDir, "r", FAST)) {
      // Another driver took it over (as it would after this one stalled past the stale time).
      writeForeign("elsewhere", 7, "", Instant.now(), 60_000);
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      IllegalStateException lost = null;
      while (lost == null && System.nanoTime() < deadline) {
        Thread.sleep(50);
        try {
          lease.ensureHeld();
        } catch (IllegalStateException e) {
          lost = e;
        }
      }
      assertTrue(lost != null, "the owner noticed it lost the lease");
      assertTrue(lost.getMessage().contains("host elsewhere, pid 7"), lost.getMessage());
    }
    assertEquals("someone-else", onDisk().token(), "releasing a lost lease leaves the new owner's");
  }

  @Test
  void ofTwoDriversTakingAtOnceExactlyOneWins() throws Exception {
    RunLease.Timing settling =
        new RunLease.Timing(
            Duration.ofMillis(100), Duration.ofMillis(1_000), Duration.ofMillis(300));
    for (int round = 0; round < 3; round++) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<RunLease>> takers = new ArrayList<>();
      Callable<RunLease> take =
          () -> {
            go.await();
            try {
              return RunLease.take(fs, runDir, "r", settling);
            } catch (RunLease.HeldException e) {
              return null;
            }
          };
      takers.add(pool.submit(take));
      takers.add(pool.submit(take));
      go.countDown();
      List<RunLease> winners = new ArrayList<>();
      for (Future<RunLease> f : takers) {
        RunLease lease = f.get(10, TimeUnit.SECONDS);
        if (lease != null) {
          winners.add(lease);
        }
      }
      pool.shutdown();
      assertEquals(1, winners.size(), "round " + round);
      assertEquals(winners.get(0).owner().token(), onDisk().token());
      winners.get(0).close();
      assertFalse(Files.exists(leaseFile));
    }
  }

  @Test
  void anUnreadableLeaseCountsAsLiveUntilItsFileIsStale() throws Exception {
    Files.createDirectories(leaseFile.getParent());
    Files.writeString(leaseFile, "{ cut sh");
    RunLease.HeldException e =
        assertThrows(RunLease.HeldException.class, () -> RunLease.take(fs, runDir, "r", FAST));
    assertTrue(
        e.getMessage().contains("unreadable lease file " + new Path(runDir, RunLease.FILE) + ": "),
        e.getMessage());
    Files.setLastModifiedTime(
        leaseFile, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(5)));
    try (RunLease lease = RunLease.take(fs, runDir, "r", FAST)) {
      assertNotEquals("?", onDisk().runId());
    }
  }

  @Test
  void timingsRefuseAStaleTimeOfFewerThanTwoBeats() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new RunLease.Timing(Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ZERO));
  }

  private List<String> list() throws Exception {
    try (var s = Files.list(leaseFile.getParent())) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
