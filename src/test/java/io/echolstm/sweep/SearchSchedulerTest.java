package io.echolstm.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.config.ConfigLoader;
import io.echolstm.results.PointIdentity;
import io.echolstm.results.PointOutcome;
import io.echolstm.results.Provenance;
import io.echolstm.results.ResultRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scheduler of frontier searches on a fake trainer: a task that trains nothing and answers each
 * probe from a known boundary. No Spark.
 */
class SearchSchedulerTest {
  /** Two hidden sizes, each a search over lags 0-9 (window 5, stateless: lags 5-9 are controls). */
  private static SweepPlan plan(String... sets) {
    ConfigLoader loader =
        new ConfigLoader()
            .set("sweep.lag-search=frontier")
            .set("train.target-accuracy=0.99")
            .set("sweep.lags=0-9")
            .set("model.hidden=8,16");
    for (String s : sets) {
      loader.set(s);
    }
    return SweepPlan.expand(loader.load(List.of()));
  }

  private static List<PlannedPoint> todo(SweepPlan plan) {
    return plan.points().stream().map(p -> new PlannedPoint(p, 0, 0, false, true)).toList();
  }

  /** A row as a trained point would have it: reached its target or not. */
  static ResultRow row(PlannedPoint p, boolean reached) {
    SweepPoint point = p.point();
    PointOutcome outcome =
        new PointOutcome(
            reached ? 1.0 : 0.01,
            reached ? 1.0 : 0.01,
            null,
            reached ? 0.1 : 4.6,
            0.01,
            reached ? 0.99 : 0.01,
            0.1,
            100,
            100,
            1000,
            1,
            reached ? "target" : "plateau",
            reached ? 500L : null,
            reached ? 1.0 : null,
            List.of(),
            1.0,
            1.0,
            0.1,
            0.1,
            1000.0,
            0.1,
            "[]",
            "[]",
            null,
            Instant.EPOCH,
            Instant.EPOCH);
    return new ResultRow(
        new PointIdentity("r", point.id(), point.key(), point.experiment(), point.control()),
        point,
        outcome,
        new Provenance("local[1]", "3.5.7", "1.0.0-M2", "17", "Linux", "amd64"));
  }

  /** The fake trainer: answers from {@code reaches}, records the probes in order. */
  private static final class FakeTrainer implements PointScheduler.Task {
    final List<PlannedPoint> runs = Collections.synchronizedList(new ArrayList<>());
    final Predicate<SweepPoint> reaches;

    FakeTrainer(Predicate<SweepPoint> reaches) {
      this.reaches = reaches;
    }

    @Override
    public ResultRow run(PlannedPoint point) {
      runs.add(point);
      return row(point, reaches.test(point.point()));
    }

    List<Integer> lags(int hidden) {
      synchronized (runs) {
        return runs.stream()
            .filter(p -> p.point().hidden() == hidden)
            .map(p -> p.point().lag())
            .toList();
      }
    }
  }

  /** Hidden 8 reaches up to lag 2, hidden 16 up to lag 4 (the window's last). */
  private static boolean boundary(SweepPoint p) {
    return p.lag() <= (p.hidden() == 8 ? 2 : 4);
  }

  @Test
  void eachSearchProbesItsOwnBoundary() {
    SweepPlan plan = plan();
    assertEquals(2, plan.searches().size());
    FakeTrainer trainer = new FakeTrainer(SearchSchedulerTest::boundary);
    List<Integer> fewer = new ArrayList<>();
    SearchScheduler scheduler = new SearchScheduler(1, Map.of(), fewer::add);
    scheduler.run(todo(plan), trainer);
    assertEquals(List.of(0, 1, 3, 7, 2), trainer.lags(8));
    assertEquals(List.of(0, 1, 3, 7, 9, 5, 4), trainer.lags(16));
    // Numbered as they start, out of the most the plan can still train: 2 x 8 at first, less as
    // each search ends early (the first after 5 of its 8 probes).
    assertEquals("point 1/≤16", trainer.runs.get(0).progress());
    assertEquals("point 6/≤13", trainer.runs.get(5).progress());
    assertEquals(List.of(3, 1), fewer);
    assertEquals(12, scheduler.probed().size());
    assertEquals(0, scheduler.reused());
  }

  /**
   * A resumed search reuses the probes it committed: with the first three probes of hidden 16 and
   * the first two of hidden 8 in the table, only the rest are trained, and the searches end where a
   * fresh one ends.
   */
  @Test
  void aResumedSearchReusesItsCommittedProbes() {
    SweepPlan plan = plan();
    Map<String, Boolean> committed = new HashMap<>();
    for (SweepPoint p : plan.points()) {
      if ((p.hidden() == 16 && List.of(0, 1, 3).contains(p.lag()))
          || (p.hidden() == 8 && List.of(0, 1).contains(p.lag()))) {
        committed.put(p.id(), boundary(p));
      }
    }
    FakeTrainer trainer = new FakeTrainer(SearchSchedulerTest::boundary);
    SearchScheduler scheduler = new SearchScheduler(1, committed, n -> {});
    scheduler.run(todo(plan), trainer);
    assertEquals(List.of(3, 7, 2), trainer.lags(8));
    assertEquals(List.of(7, 9, 5, 4), trainer.lags(16));
    assertEquals(5, scheduler.reused());
    assertEquals(12, scheduler.probed().size());

    // A committed probe is taken as the table has it, even against the trainer's answer: lag 3
    // of hidden 16 recorded as failed makes the search bisect below it.
    committed.replaceAll((id, reached) -> reached);
    SweepPoint lag3 =
        plan.points().stream().filter(p -> p.hidden() == 16 && p.lag() == 3).findFirst().get();
    committed.put(lag3.id(), false);
    FakeTrainer again = new FakeTrainer(SearchSchedulerTest::boundary);
    new SearchScheduler(1, committed, n -> {}).run(todo(plan), again);
    assertEquals(List.of(7, 2), again.lags(16));
  }

  /** Searches of different configurations run at once: each waits until the other has started. */
  @Test
  @Timeout(60)
  void searchesOfDifferentConfigurationsRunAtOnce() {
    SweepPlan plan = plan();
    CountDownLatch bothStarted = new CountDownLatch(2);
    FakeTrainer trainer =
        new FakeTrainer(
            p -> {
              if (p.lag() == 0) {
                bothStarted.countDown();
                try {
                  assertTrue(bothStarted.await(30, TimeUnit.SECONDS), "the other search started");
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              }
              return boundary(p);
            });
    new SearchScheduler(2, Map.of(), n -> {}).run(todo(plan), trainer);
    assertEquals(List.of(0, 1, 3, 7, 2), trainer.lags(8));
    assertEquals(List.of(0, 1, 3, 7, 9, 5, 4), trainer.lags(16));
  }

  /** Grid points of the plan run too, one unit each, beside the searches. */
  @Test
  void gridPointsRunBesideTheSearches() {
    SweepPlan frontier = plan("model.hidden=8");
    List<PlannedPoint> todo = new ArrayList<>(todo(frontier));
    SweepPlan grid = SweepPlan.expand(new ConfigLoader().set("sweep.lags=1,2").load(List.of()));
    grid.points().forEach(p -> todo.add(new PlannedPoint(p, 0, 0, false, true)));
    FakeTrainer trainer = new FakeTrainer(SearchSchedulerTest::boundary);
    SearchScheduler scheduler = new SearchScheduler(1, Map.of(), n -> {});
    scheduler.run(todo, trainer);
    assertEquals(List.of(0, 1, 3, 7, 2), trainer.lags(8));
    assertEquals(List.of(1, 2), trainer.lags(50));
    assertEquals(7, scheduler.probed().size());
  }

  /** After a failure no further probe starts, and the failure reaches the caller. */
  @Test
  void aFailureStopsTheSearches() {
    SweepPlan plan = plan();
    FakeTrainer trainer =
        new FakeTrainer(
            p -> {
              if (p.hidden() == 8 && p.lag() == 3) {
                throw new IllegalStateException("injected");
              }
              return boundary(p);
            });
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> new SearchScheduler(1, Map.of(), n -> {}).run(todo(plan), trainer));
    assertEquals("injected", e.getMessage());
    assertEquals(List.of(0, 1, 3), trainer.lags(8));
    assertEquals(List.of(), trainer.lags(16), "the next search never started");
  }
}
