package io.echolstm.sweep;

import io.echolstm.config.LagSearch;
import io.echolstm.config.SweepSettings;
import io.echolstm.results.Provenance;
import io.echolstm.results.ResultsSchema;
import io.echolstm.results.ResultsTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plan: skips the points the run already committed, and has a {@link PointScheduler} run the
 * others through their {@link PointStages} ({@link PointPipeline}), each point's row committed as
 * soon as it is done, so a failure loses at most the points in flight.
 */
public final class SweepRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SweepRunner.class);

  /**
   * What a run did.
   *
   * @param trained points trained now
   * @param skipped points the run had committed before (grid points, and probes a search reused)
   * @param pointIds the points the run's table must hold now, in plan order: every grid point, and
   *     the probes the searches made
   */
  public record Summary(int trained, int skipped, List<String> pointIds) {}

  private final SparkSession spark;
  private final JavaSparkContext jsc;
  private final ResultsTable results;
  private final String runId;
  private final boolean overwrite;
  private final Function<RunContext, PointStages> stages;

  /**
   * Spark's default parallelism as resolved once, when the runner is made: what {@code
   * train.workers=auto} means for every point of the run, as its plan records it.
   */
  private final int defaultParallelism;

  public SweepRunner(SparkSession spark, ResultsTable results, String runId, boolean overwrite) {
    this(spark, results, runId, overwrite, PointStages::standard);
  }

  /** As above, each point run through the stages {@code stages} makes for the run. */
  SweepRunner(
      SparkSession spark,
      ResultsTable results,
      String runId,
      boolean overwrite,
      Function<RunContext, PointStages> stages) {
    this.spark = spark;
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.results = results;
    this.runId = runId;
    this.overwrite = overwrite;
    this.stages = stages;
    this.defaultParallelism = jsc.defaultParallelism();
  }

  /**
   * Runs the plan as the holder of {@code guard}'s lease: first {@link RunGuard#confirm confirms}
   * the plan (the resolved worker count included), and checks the lease is still held before each
   * commit. Only then are the staging directories this run's crashed writers left removed: holding
   * the lease, no live driver writes this run.
   *
   * @throws io.echolstm.config.SettingsException when the guard refuses the plan; nothing was done
   * @throws PointFailedException when a point failed (the points committed before stay)
   */
  public Summary run(SweepPlan plan, RunGuard guard) {
    guard.confirm(defaultParallelism);
    int abandoned = results.removeAbandonedStaging(runId);
    if (abandoned > 0) {
      LOG.info("removed {} staging dirs a crashed writer of run {} left", abandoned, runId);
    }
    int abandonedModels = results.models().removeAbandonedTemps(runId);
    if (abandonedModels > 0) {
      LOG.info("removed {} model files a crashed writer of run {} left", abandonedModels, runId);
    }
    Set<String> done = overwrite ? Set.of() : results.committedPoints(runId);
    Provenance provenance = Provenance.of(spark);
    try (SequenceCache sequences = new SequenceCache(spark)) {
      RunContext run =
          new RunContext(spark, jsc, results, runId, defaultParallelism, guard, sequences);
      PointStages pointStages = stages.apply(run);
      return plan.searches().isEmpty()
          ? runGrid(plan, done, run, pointStages, provenance)
          : runSearches(plan, done, run, pointStages, provenance);
    }
  }

  /** Runs a plan without searches: every point the run has not committed, in plan order. */
  private Summary runGrid(
      SweepPlan plan,
      Set<String> done,
      RunContext run,
      PointStages pointStages,
      Provenance provenance) {
    List<SweepPoint> points = plan.points();
    List<PlannedPoint> todo = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      SweepPoint point = points.get(i);
      PlannedPoint planned =
          new PlannedPoint(point, i, points.size(), plan.savesModel(point), false);
      if (done.contains(point.id())) {
        LOG.info("{} [{}]: already in run {}, skipped", planned.progress(), point.label(), runId);
      } else {
        todo.add(planned);
      }
    }
    int concurrency = Math.min(Math.max(1, todo.size()), concurrency(plan));
    LOG.info("{} points to train, {} at a time", todo.size(), concurrency);
    runAndCommit(
        concurrency,
        committer ->
            new PoolScheduler(concurrency)
                .run(
                    todo,
                    new PointPipeline(
                        run,
                        pointStages,
                        provenance,
                        new SweepProgress(todo.size(), System.nanoTime()),
                        committer)));
    return new Summary(
        todo.size(), points.size() - todo.size(), points.stream().map(SweepPoint::id).toList());
  }

  /**
   * Runs a plan with frontier searches ({@link SearchScheduler}): the grid points the run has not
   * committed, and every search, which reuses the probes the run committed before. The summary
   * names the grid points and the probes, in plan order.
   */
  private Summary runSearches(
      SweepPlan plan,
      Set<String> done,
      RunContext run,
      PointStages pointStages,
      Provenance provenance) {
    List<SweepPoint> points = plan.points();
    List<PlannedPoint> todo = new ArrayList<>();
    int skippedGrid = 0;
    for (SweepPoint point : points) {
      if (point.lagSearch() == LagSearch.GRID && done.contains(point.id())) {
        LOG.info("[{}]: already in run {}, skipped", point.label(), runId);
        skippedGrid++;
      } else {
        // numbered by the scheduler as they start: which probes run is decided as it goes
        todo.add(new PlannedPoint(point, 0, 0, plan.savesModel(point), true));
      }
    }
    Map<String, Boolean> committed = done.isEmpty() ? Map.of() : reachedTargets(done);
    int units =
        plan.searches().size()
            + (int) todo.stream().filter(p -> p.point().lagSearch() == LagSearch.GRID).count();
    int concurrency = Math.min(Math.max(1, units), concurrency(plan));
    int bound = SweepPlan.maxPoints(todo.stream().map(PlannedPoint::point).toList());
    LOG.info(
        "{} frontier searches and {} grid points to run, at most {} points to train, {} at a time",
        plan.searches().size(),
        units - plan.searches().size(),
        bound,
        concurrency);
    SweepProgress progress = new SweepProgress(bound, true, System.nanoTime());
    SearchScheduler scheduler = new SearchScheduler(concurrency, committed, progress::fewer);
    runAndCommit(
        concurrency,
        committer ->
            scheduler.run(
                todo, new PointPipeline(run, pointStages, provenance, progress, committer)));
    Set<String> probed = scheduler.probed();
    List<String> ids =
        points.stream()
            .filter(p -> p.lagSearch() == LagSearch.GRID || probed.contains(p.id()))
            .map(SweepPoint::id)
            .toList();
    return new Summary(
        ids.size() - skippedGrid - scheduler.reused(), skippedGrid + scheduler.reused(), ids);
  }

  /**
   * Whether each committed point of the run reached its target accuracy on validation (its {@code
   * windows_to_target} is set), by point id: what a resumed search needs of the probes it made.
   */
  private Map<String, Boolean> reachedTargets(Set<String> committed) {
    Map<String, Boolean> reached = new HashMap<>();
    for (Row r :
        results.run(runId).select(ResultsSchema.POINT_ID, "windows_to_target").collectAsList()) {
      if (committed.contains(r.getString(0))) {
        reached.put(r.getString(0), !r.isNullAt(1));
      }
    }
    return reached;
  }

  /**
   * Runs {@code points} (handed the run's {@link Committer}) and waits for their commits. A
   * training failure is rethrown after the points already finished are committed; a commit failure
   * when nothing else failed.
   */
  private void runAndCommit(int concurrency, Consumer<Committer> points) {
    Committer committer = new Committer(concurrency);
    try {
      points.accept(committer);
    } catch (RuntimeException | Error e) {
      try {
        committer.close();
      } catch (PointFailedException commitFailure) {
        if (commitFailure != e) {
          e.addSuppressed(commitFailure);
        }
      }
      throw e;
    }
    committer.close();
  }

  /**
   * Points trained at once: the plan's setting, or (auto) as many as the cluster's cores hold when
   * each point uses its own workers' cores.
   */
  int concurrency(SweepPlan plan) {
    if (plan.concurrency() != SweepSettings.AUTO_CONCURRENCY) {
      return plan.concurrency();
    }
    int cores = defaultParallelism;
    int workers = plan.points().stream().mapToInt(p -> p.workers(cores)).max().orElse(cores);
    return Math.max(1, cores / Math.max(1, workers));
  }
}
