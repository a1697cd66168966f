package io.echolstm.sweep;

import io.echolstm.config.SettingsException;
import io.echolstm.config.TrainSettings;
import io.echolstm.files.FileRefusedException;
import io.echolstm.results.ResultsTable;
import io.echolstm.results.RunLease;
import io.echolstm.results.RunRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a run from being mixed up: one driver at a time writes it ({@link RunLease}), and all its
 * rows come from one plan ({@link RunRecord}).
 *
 * <p>{@link #open} runs before Spark starts: it takes the run's lease and compares the plan with
 * the recorded one as far as it can without Spark (the points and the master). {@link #confirm}
 * runs once Spark is up and knows what {@code train.workers=auto} resolves to: it compares that too
 * and records the plan. Either refuses a different plan with a {@link SettingsException} (exit code
 * 2) unless {@code --overwrite} asked to replace the run: then the new plan is recorded and the
 * run's committed points that are not in it are deleted, so the run holds this plan's points only.
 */
public final class RunGuard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunGuard.class);

  private final FileSystem fs;
  private final Path resultsDir;
  private final String runId;
  private final RunRecord planned;
  private final boolean usesAutoWorkers;
  private final boolean overwrite;
  private final RunLease lease;
  private Optional<RunRecord> recorded = Optional.empty();

  private RunGuard(
      FileSystem fs,
      Path resultsDir,
      String runId,
      RunRecord planned,
      boolean usesAutoWorkers,
      boolean overwrite,
      RunLease lease) {
    this.fs = fs;
    this.resultsDir = resultsDir;
    this.runId = runId;
    this.planned = planned;
    this.usesAutoWorkers = usesAutoWorkers;
    this.overwrite = overwrite;
    this.lease = lease;
  }

  /**
   * Takes run {@code runId}'s lease in the table at {@code resultsDir} and checks {@code plan}
   * against the run's recorded plan, with the lease timing of the system properties ({@link
   * RunLease.Timing#fromSystemProperties()}).
   *
   * @throws SettingsException (key {@code --run-id}) when another driver holds the run, or the
   *     run's recorded plan differs and {@code overwrite} is false
   */
  public static RunGuard open(
      String resultsDir,
      String runId,
      Configuration hadoop,
      SweepPlan plan,
      String master,
      boolean overwrite) {
    RunLease.Timing timing;
    try {
      timing = RunLease.Timing.fromSystemProperties();
    } catch (IllegalArgumentException e) {
      throw new SettingsException(RunLease.Timing.STALE_PROPERTY, e.getMessage());
    }
    return open(resultsDir, runId, hadoop, plan, master, overwrite, timing);
  }

  /**
   * What {@link #open} checks of the recorded plan, read-only (no lease taken, nothing written):
   * {@code plan} refuses what {@code sweep} would.
   *
   * @throws SettingsException (key {@code --run-id}) when the run's recorded plan differs and
   *     {@code overwrite} is false
   */
  public static void checkPlan(
      String resultsDir,
      String runId,
      Configuration hadoop,
      SweepPlan plan,
      String master,
      boolean overwrite) {
    FileSystem fs = fileSystem(resultsDir, hadoop);
    try (RunGuard guard =
        new RunGuard(
            fs,
            fs.makeQualified(new Path(resultsDir)),
            runId,
            record(runId, master, plan),
            usesAuto(plan),
            overwrite,
            null)) {
      guard.checkRecordedPlan();
    }
  }

  /** Its own instance: closing it cannot close the cached one Spark's writers use. */
  private static FileSystem fileSystem(String resultsDir, Configuration hadoop) {
    try {
      return FileSystem.newInstance(new Path(resultsDir).toUri(), hadoop);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open results directory " + resultsDir, e);
    }
  }

  private static boolean usesAuto(SweepPlan plan) {
    return plan.points().stream().anyMatch(p -> p.train().workers() == TrainSettings.AUTO_WORKERS);
  }

  private static RunRecord record(String runId, String master, SweepPlan plan) {
    return new RunRecord(
        runId,
        master,
        null,
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
        plan.points().stream().map(p -> new RunRecord.Point(p.id(), p.key())).toList());
  }

  static RunGuard open(
      String resultsDir,
      String runId,
      Configuration hadoop,
      SweepPlan plan,
      String master,
      boolean overwrite,
      RunLease.Timing timing) {
    FileSystem fs = fileSystem(resultsDir, hadoop);
    Path dir = fs.makeQualified(new Path(resultsDir));
    RunLease lease;
    try {
      lease = RunLease.take(fs, ResultsTable.runDirectory(dir, runId), runId, timing);
    } catch (RunLease.UnusableException e) {
      closeQuietly(fs);
      throw new SettingsException("--run-id", e.getMessage());
    } catch (RunLease.HeldException e) {
      closeQuietly(fs);
      throw new SettingsException(
          "--run-id",
          e.getMessage()
              + ": wait for it to end, or start another run with a new --run-id; the lease of a"
              + " driver that died is taken over once it has had no heartbeat for "
              + timing.staleAfter().toSeconds()
              + " s (at once on the driver's own host)");
    } catch (RuntimeException e) {
      closeQuietly(fs);
      throw e;
    }
    RunGuard guard =
        new RunGuard(fs, dir, runId, record(runId, master, plan), usesAuto(plan), overwrite, lease);
    try {
      guard.checkRecordedPlan();
    } catch (RuntimeException e) {
      guard.close();
      throw e;
    }
    return guard;
  }

  /** The run's directory in the table. */
  public Path runDirectory() {
    return ResultsTable.runDirectory(resultsDir, runId);
  }

  /** Before Spark: the points and the master against the recorded plan. */
  private void checkRecordedPlan() {
    try {
      recorded = RunRecord.read(fs, runDirectory(), planned.readBound());
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof FileRefusedException) {
        // A directory or device where the record belongs: --overwrite could not replace it either.
        throw new SettingsException(
            "--run-id",
            "run "
                + runId
                + " cannot be checked: "
                + e.getCause().getMessage()
                + "; remove it, or start another run with a new --run-id");
      }
      throw e;
    } catch (IllegalStateException e) {
      if (!overwrite) {
        throw new SettingsException(
            "--run-id",
            e.getMessage()
                + ": start another run with a new --run-id, or replace run "
                + runId
                + " with --overwrite");
      }
      LOG.warn("run {}: {}; --overwrite replaces it", runId, e.getMessage());
      recorded = Optional.empty();
    }
    if (recorded.isPresent()) {
      refuseUnlessOverwrite(recorded.get().differences(planned));
    } else {
      long foreign = committedNotPlanned().size();
      if (foreign > 0) {
        refuseUnlessOverwrite(
            List.of(
                "it has no recorded plan and holds "
                    + foreign
                    + " committed point(s) not in this plan"));
      }
    }
  }

  /**
   * Once Spark is up: compares what {@code train.workers=auto} resolves to ({@code
   * defaultParallelism}) with the recorded plan, then records the plan (a new run, or one {@code
   * --overwrite} replaces, whose committed points not in the plan are deleted first).
   *
   * @throws SettingsException when the resolved worker count differs and {@code overwrite} is false
   */
  public void confirm(int defaultParallelism) {
    RunRecord now =
        planned.withAutoWorkers(usesAutoWorkers ? Math.max(1, defaultParallelism) : null);
    List<String> differences = recorded.map(r -> r.differences(now)).orElse(List.of());
    if (recorded.isPresent() && differences.isEmpty()) {
      return;
    }
    refuseUnlessOverwrite(differences);
    lease.ensureHeld();
    if (overwrite) {
      Set<String> removed = committedNotPlanned();
      for (String id : removed) {
        try {
          ResultsTable.deletePoint(fs, resultsDir, runId, id);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot delete point " + id + " of run " + runId, e);
        }
      }
      if (!differences.isEmpty() || !removed.isEmpty()) {
        LOG.warn(
            "run {}: --overwrite replaces its plan ({}); deleted {} committed point(s) not in the"
                + " new plan",
            runId,
            differences.isEmpty() ? "no plan was recorded" : String.join("; ", differences),
            removed.size());
      }
    }
    now.write(fs, runDirectory());
    LOG.info("run {}: plan recorded in {}", runId, runDirectory());
  }

  /** Throws if this driver no longer holds the run's lease; call before each write to the table. */
  public void ensureHeld() {
    lease.ensureHeld();
  }

  private Set<String> committedNotPlanned() {
    try {
      Set<String> committed = ResultsTable.committedPoints(fs, resultsDir, runId);
      committed.removeAll(planned.pointIds());
      return committed;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the points of run " + runId, e);
    }
  }

  private void refuseUnlessOverwrite(List<String> differences) {
    if (differences.isEmpty() || overwrite) {
      return;
    }
    throw new SettingsException(
        "--run-id",
        "run "
            + runId
            + " was started with another plan ("
            + new Path(runDirectory(), RunRecord.FILE)
            + "): "
            + String.join("; ", differences)
            + ". To keep it, start this plan as a new run with --run-id NEW; to replace run "
            + runId
            + " with this plan, rerun with --overwrite (every point is retrained and the run's"
            + " points not in this plan are deleted)");
  }

  /** Releases the lease (stops its heartbeat). Idempotent. */
  @Override
  public void close() {
    if (lease != null) {
      lease.close();
    }
    closeQuietly(fs);
  }

  private static void closeQuietly(FileSystem fs) {
    try {
      fs.close();
    } catch (IOException e) {
      LOG.debug("closing the results file system failed", e);
    }
  }
}
