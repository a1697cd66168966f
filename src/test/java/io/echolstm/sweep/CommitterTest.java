package io.echolstm.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.config.ConfigLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The background commits: in order, all of them, the first failure kept and named. */
class CommitterTest {
  private static final List<SweepPoint> POINTS =
      SweepPlan.expand(new ConfigLoader().set("sweep.lags=0-2").load(List.of())).points();

  private static PlannedPoint planned(int i) {
    return new PlannedPoint(POINTS.get(i), i, POINTS.size(), false, false);
  }

  /** A commit that waits for {@code latch}, then runs {@code then}. */
  private static Committer.Commit awaiting(CountDownLatch latch, Runnable then) {
    return stage -> {
      try {
        latch.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      then.run();
    };
  }

  @Test
  void commitsRunInTheOrderTheyWereQueued() {
    List<Integer> done = Collections.synchronizedList(new ArrayList<>());
    Committer committer = new Committer(3);
    for (int i = 0; i < 3; i++) {
      int point = i;
      committer.submit(planned(i), stage -> done.add(point));
    }
    committer.close();
    assertEquals(List.of(0, 1, 2), done);
    assertNull(committer.failure());
  }

  @Test
  void aFailedCommitIsNamedKeptAndLaterCommitsStillRun() throws InterruptedException {
    List<Integer> done = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch failed = new CountDownLatch(1);
    Committer committer = new Committer(3);
    committer.submit(planned(0), stage -> done.add(0));
    committer.submit(
        planned(1),
        stage -> {
          stage.enter("saving the model");
          failed.countDown();
          throw new IllegalStateException("disk full");
        });
    committer.submit(planned(2), stage -> done.add(2));
    failed.await();
    PointFailedException e = assertThrows(PointFailedException.class, committer::close);
    assertEquals("point 2/3", e.progress());
    assertEquals("saving the model", e.stage());
    assertEquals("disk full", e.getCause().getMessage());
    assertSame(e, committer.failure(), "the failure the pipeline sees before a point starts");
    assertEquals(List.of(0, 2), done, "the other points were committed");
  }

  /** A finished point waits while the committer holds its most: points cannot outrun their rows. */
  @Test
  void aPointWaitsWhileTheMostCommitsArePending() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    Committer committer = new Committer(1);
    committer.submit(planned(0), awaiting(release, () -> {}));
    Thread second = new Thread(() -> committer.submit(planned(1), stage -> {}));
    second.start();
    second.join(300);
    assertTrue(second.isAlive(), "the second point waits for the first commit");
    release.countDown();
    second.join(10_000);
    assertFalse(second.isAlive(), "then it is queued");
    committer.close();
  }

  /** A shutdown runs what is queued before Spark stops, and takes nothing more. */
  @Test
  void stoppingRunsTheQueuedCommitsAndTakesNoMore() throws InterruptedException {
    List<Integer> done = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch first = new CountDownLatch(1);
    Committer committer = new Committer(3);
    committer.submit(planned(0), awaiting(first, () -> done.add(0)));
    committer.submit(planned(1), stage -> done.add(1));
    Thread stopping = new Thread(committer::stop);
    stopping.start();
    stopping.join(300);
    assertTrue(stopping.isAlive(), "stop waits for the commit in flight");
    first.countDown();
    stopping.join(10_000);
    assertFalse(stopping.isAlive());
    assertEquals(List.of(0, 1), done, "both queued commits ran");
    committer.submit(planned(2), stage -> done.add(2));
    committer.close();
    assertEquals(List.of(0, 1), done, "a point finished after the stop is not committed");
  }
}
