package io.echolstm.app;

import io.echolstm.config.LagSearch;
import io.echolstm.config.SettingsException;
import io.echolstm.results.ResultsTable;
import io.echolstm.sweep.RunGuard;
import io.echolstm.sweep.SweepPlan;
import io.echolstm.sweep.SweepPoint;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code plan}: what {@code sweep} with the same options would do, without starting Spark: every
 * point on one line, controls and points the run already committed marked, and the counts.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    sortOptions = false,
    description = {
      "Print the points 'sweep' with the same options would train, one per line (controls and"
          + " points already committed under --run-id marked), without training anything.",
      "Validates exactly as 'sweep' does."
    })
final class PlanCommand implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;

  @Mixin RunOptions options = new RunOptions();

  PlanCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    Prepared prepared;
    Set<String> committed;
    try {
      prepared = Prepared.of(options);
      if (options.runId != null) {
        // A run's recorded plan: what sweep would refuse, plan refuses too.
        RunGuard.checkPlan(
            options.resultsDir(),
            options.runId(),
            prepared.hadoop(),
            prepared.plan(),
            prepared.master(),
            options.overwrite);
      }
      committed =
          options.overwrite || options.runId == null
              ? Set.of()
              : ResultsTable.committedPoints(
                  options.resultsDir(), prepared.hadoop(), options.runId());
    } catch (SettingsException e) {
      err.println("echo-lstm: " + e.getMessage());
      return Main.BAD_INPUT;
    } catch (java.io.UncheckedIOException e) {
      err.println("echo-lstm: " + Main.withCause(e) + " (key --results)");
      return Main.BAD_INPUT;
    }
    out.print(format(prepared, committed));
    return Main.OK;
  }

  /**
   * The plan's lines; {@code committed} holds the ids of points the run already wrote. Grid points
   * one per line; a frontier search one line, with the most probes it makes.
   */
  static String format(Prepared prepared, Set<String> committed) {
    RunOptions o = prepared.options();
    SweepPlan plan = prepared.plan();
    List<SweepPoint> points =
        plan.points().stream().filter(p -> p.lagSearch() == LagSearch.GRID).toList();
    List<SweepPlan.Search> searches = plan.searches();
    StringBuilder s = new StringBuilder();
    String what =
        searches.isEmpty()
            ? points.size() + " points"
            : (points.isEmpty() ? "" : points.size() + " grid points and ")
                + searches.size()
                + " frontier searches";
    s.append(
        String.format(
            "plan for run %s: %s from %d experiment(s) of %s, results in %s%s%n",
            o.runId(),
            what,
            prepared.experiments().size(),
            o.confFiles(),
            o.resultsDir(),
            o.overwrite ? " (--overwrite: committed points are retrained)" : ""));
    int width = String.valueOf(points.size()).length();
    int controls = 0;
    int skipped = 0;
    for (int i = 0; i < points.size(); i++) {
      SweepPoint p = points.get(i);
      String marks = "";
      if (p.control()) {
        controls++;
        marks += "  [control: the model cannot see the label]";
      }
      if (committed.contains(p.id())) {
        skipped++;
        marks += "  [skipped: already committed]";
      }
      s.append(
          String.format(
              "  %" + width + "d/%d  %s  (id %s)%s%n",
              i + 1,
              points.size(),
              p.label(),
              p.id(),
              marks));
    }
    int searchWidth = String.valueOf(searches.size()).length();
    int maxProbes = 0;
    int candidates = 0;
    int reusable = 0;
    for (int i = 0; i < searches.size(); i++) {
      SweepPlan.Search search = searches.get(i);
      long done = search.candidates().stream().filter(p -> committed.contains(p.id())).count();
      maxProbes += search.maxProbes();
      candidates += search.candidates().size();
      reusable += (int) done;
      s.append(
          String.format(
              "  search %" + searchWidth + "d/%d  %s: at most %d probes%s%n",
              i + 1,
              searches.size(),
              search.label(),
              search.maxProbes(),
              done == 0
                  ? ""
                  : "  [" + done + (done == 1 ? " probe" : " probes") + " already committed]"));
    }
    if (!points.isEmpty() || searches.isEmpty()) {
      s.append(
          String.format(
              "%d points: %d to train, %d already committed; %d controls%n",
              points.size(), points.size() - skipped, skipped, controls));
    }
    if (!searches.isEmpty()) {
      s.append(
          String.format(
              "%d frontier searches: at most %d probes of their %d candidate points (each"
                  + " search doubles, then bisects, for the largest lag that reaches"
                  + " train.target-accuracy); %d already committed%n",
              searches.size(), maxProbes, candidates, reusable));
    }
    return s.toString();
  }
}
