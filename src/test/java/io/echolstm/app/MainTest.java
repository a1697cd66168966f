package io.echolstm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.config.ConfigLoader;
import io.echolstm.config.Setting;
import io.echolstm.config.Settings;
import io.echolstm.config.Variant;
import io.echolstm.results.RunLease;
import io.echolstm.results.RunRecord;
import io.echolstm.sweep.PointFailedException;
import io.echolstm.sweep.SweepPlan;
import io.echolstm.sweep.SweepPoint;
import io.echolstm.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input fails before Spark starts: exit 2, one line naming the key, nothing written. */
class MainTest {
  @TempDir Path dir;

  private static Outcome run(String... args) {
    return Outcome.run(args);
  }

  private void assertRefused(Outcome o, String key) {
    assertEquals(Main.BAD_INPUT, o.code(), o.err());
    assertEquals(1, o.err().strip().lines().count(), o.err());
    assertTrue(o.err().contains("key " + key), o.err());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sweep.lags=-1",
        "sweep.lags=",
        "sweep.windows=26",
        "data.values=1",
        "data.train-sequences=0",
        "model.hidden=x",
        "bogus.key=1",
        "sweep.variants=nope",
        "sweep.variants=stateless,stateless",
        "model.hidden=5000",
        "data.values=100000",
        "train.prefetch=1000",
        "sweep.lags=2147483647-2147483647",
        "sweep.lags=0-2147483648",
        "sweep.windows=99999999999",
        "seed=",
        "seed=1,1",
        "seed=1-3,2",
        "seed=x",
        "seed=9223372036854775808",
        "sweep.lag-search=nope",
        "sweep.lag-search=frontier"
      })
  @Timeout(30)
  void badSettingsExitTwoAndWriteNothing(String assignment) {
    Path results = dir.resolve("results");
    Outcome o = run("sweep", "--set", assignment, "--results", results.toString());
    assertRefused(o, assignment.substring(0, assignment.indexOf('=')));
    assertFalse(Files.exists(results));
  }

  @Test
  void missingConfigFile() {
    assertRefused(run("sweep", "--conf", dir.resolve("none.properties").toString()), "--conf");
  }

  @Test
  void unknownExperiment() {
    assertRefused(run("sweep", "--experiment", "no-such-thing"), "--experiment");
  }

  @Test
  void resultsPathThatIsAFile() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertRefused(run("sweep", "--results", file.toString()), "--results");
    assertEquals("x", Files.readString(file));
  }

  @Test
  void resultsPathThatCannotBeCreated() throws IOException {
    Path underFile = Files.writeString(dir.resolve("plain"), "x").resolve("results");
    assertRefused(run("sweep", "--results", underFile.toString()), "--results");
  }

  /**
   * Issue 16 cases 2 and 3: 'out/a:b' and 'out/b[1]' passed validation, trained and committed, then
   * the summary failed or came back empty and report found no table. Every command that takes
   * --results refuses them before Spark, in one line, and creates nothing.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "out/a:b",
        "out/b[1]",
        "out/{x}",
        "out/a*",
        "out/a?",
        "out/a\\b",
        "file://otherhost/x"
      })
  @Timeout(30)
  void resultsPathsTheTableCannotCarryAreRefusedByEveryCommand(String results) {
    Path target = dir.resolve(results.startsWith("file:") ? "x" : results);
    String given = results.startsWith("file:") ? results : target.toString();
    for (String command : List.of("sweep", "plan", "report")) {
      Outcome o = run(command, "--results", given);
      assertRefused(o, "--results");
      assertFalse(Files.exists(dir.resolve("out")), command);
    }
  }

  /** Issue 16 case 7: file://localhost/PATH failed with "Wrong FS" and a stack trace. */
  @Test
  @Timeout(30)
  void aFileUrlNamingLocalhostIsTheLocalPath() {
    Path results = dir.resolve("local-results");
    Outcome o = run("plan", "--results", "file://localhost" + results);
    assertEquals(Main.OK, o.code(), o.err());
    assertTrue(o.out().contains("results in file://" + results), o.out());
  }

  /**
   * Issue 16 case 10: an unreachable results file system ended in a 72-line stack trace and exit 1.
   * Every command that opens it says, in one line, which path and why; nothing runs.
   */
  @Test
  @Timeout(60)
  void anUnreachableResultsFileSystemIsOneLineNamingThePath() {
    String results = "hdfs://127.0.0.1:1/x";
    for (String[] args :
        List.of(
            new String[] {"plan", "--results", results},
            new String[] {"plan", "--run-id", "r1", "--results", results},
            new String[] {"sweep", "--run-id", "r1", "--results", results},
            new String[] {"report", "--results", results})) {
      Outcome o = run(args);
      assertRefused(o, "--results");
      assertTrue(o.err().contains(results) && o.err().contains("Connection refused"), o.err());
    }
  }

  /** A bad option or command: exit 2, one line naming it and pointing at the command's help. */
  private void assertBadOption(Outcome o, String named, String help) {
    assertEquals(Main.BAD_INPUT, o.code(), o.err());
    assertEquals(1, o.err().strip().lines().count(), o.err());
    assertTrue(o.err().contains(named), o.err());
    assertTrue(o.err().contains("'" + help + " --help'"), o.err());
    assertEquals("", o.out());
  }

  @Test
  void unknownOptionAndCommand() {
    assertBadOption(run("sweep", "--frobnicate"), "'--frobnicate'", "echo-lstm sweep");
    assertBadOption(run("plan", "--frobnicate"), "'--frobnicate'", "echo-lstm plan");
    assertBadOption(run("train"), "'train'", "echo-lstm");
    assertBadOption(run("sweep", "--set"), "'--set'", "echo-lstm sweep");
    assertBadOption(run("sweep", "--results"), "'--results'", "echo-lstm sweep");
    assertRefused(run("sweep", "--run-id", "a/b"), "--run-id");
    assertRefused(run("plan", "--run-id", "a/b"), "--run-id");
    Outcome none = run();
    assertEquals(Main.BAD_INPUT, none.code());
    assertTrue(none.err().contains("expected a command: sweep, plan, report, predict"), none.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sweep", "plan"})
  void commandHelpListsEveryOptionAndKey(String command) {
    Outcome o = run(command, "--help");
    assertEquals(Main.OK, o.code(), o.err());
    assertTrue(o.out().startsWith("Usage: echo-lstm " + command + " "), o.out());
    for (String option :
        List.of(
            "--conf=FILE",
            "--experiment=NAME",
            "--set=KEY=VALUE",
            "--results=DIR",
            "--run-id=ID",
            "--overwrite",
            "--help",
            "--version")) {
      assertTrue(o.out().contains(option), option + " not in " + command + " --help");
    }
    for (Setting<?> setting : Settings.ALL) {
      assertTrue(
          o.out().contains("  " + setting.key() + " "),
          setting.key() + " not in " + command + " --help");
    }
    assertEquals(command.equals("sweep"), o.out().contains("--verbose"), o.out());
  }

  /** Every subcommand's help lists every option it accepts, from its own declarations. */
  @ParameterizedTest
  @ValueSource(strings = {"sweep", "plan", "report", "predict"})
  void everyCommandsHelpListsItsOptions(String command) {
    Outcome o = run(command, "--help");
    assertEquals(Main.OK, o.code(), o.err());
    picocli.CommandLine.Model.CommandSpec spec =
        Main.commandLine(System.out, System.err, Termination.unattached(System.err))
            .getSubcommands()
            .get(command)
            .getCommandSpec();
    assertFalse(spec.options().isEmpty());
    for (picocli.CommandLine.Model.OptionSpec option : spec.options()) {
      assertTrue(o.out().contains(option.longestName()), option.longestName() + " in " + o.out());
    }
  }

  @Test
  void topLevelHelpNamesTheCommandsAndVersionNamesTheStack() {
    Outcome help = run("--help");
    assertEquals(Main.OK, help.code());
    assertTrue(help.out().contains("Usage: echo-lstm"), help.out());
    for (String command : List.of("sweep", "plan", "report", "predict")) {
      assertTrue(help.out().lines().anyMatch(l -> l.strip().startsWith(command + " ")), help.out());
    }
    assertTrue(help.out().lines().anyMatch(l -> l.strip().startsWith("predict ")), help.out());
    for (String[] args : new String[][] {{"--version"}, {"sweep", "--version"}}) {
      Outcome v = run(args);
      assertEquals(Main.OK, v.code());
      assertTrue(v.out().matches("(?s)echo-lstm [0-9][^\\n]*\\nSpark .*DL4J .*Java .*"), v.out());
    }
  }

  /** The tutorial config, planned: its 8 points, controls marked, nothing written. */
  @Test
  void planListsThePointsWithoutTraining() {
    Path results = dir.resolve("results");
    // Its speed (under 10 s through scripts/run.sh) is measured by scripts/bench.sh plan.
    Outcome o = run("plan", "--results", results.toString());
    assertEquals(Main.OK, o.code(), o.err());
    List<String> points = o.out().lines().filter(l -> l.matches(" +[0-9]+/8  .*")).toList();
    assertEquals(8, points.size(), o.out());
    assertTrue(o.out().contains("8 points: 8 to train, 0 already committed"), o.out());
    SweepPlan plan = Prepared.of(options("--results", results.toString())).plan();
    for (int i = 0; i < 8; i++) {
      SweepPoint p = plan.points().get(i);
      assertTrue(points.get(i).contains(p.label()), points.get(i));
      assertEquals(p.control(), points.get(i).contains("[control"), points.get(i));
    }
    assertTrue(plan.points().stream().anyMatch(SweepPoint::control));
    assertFalse(Files.exists(results), "plan wrote to the results directory");
  }

  /** Points a run committed show as skipped under its id, and are retrained with --overwrite. */
  @Test
  void planMarksCommittedPointsAsSkipped() throws IOException {
    Path results = dir.resolve("results");
    SweepPlan plan = Prepared.of(options("--results", results.toString())).plan();
    String done = plan.points().get(2).id();
    Path point = results.resolve("run_id=r1").resolve("point_id=" + done);
    Files.createDirectories(point);
    Files.writeString(point.resolve("part-00000.parquet"), "");
    Outcome o = run("plan", "--results", results.toString(), "--run-id", "r1");
    assertEquals(Main.OK, o.code(), o.err());
    List<String> skipped = o.out().lines().filter(l -> l.contains("[skipped")).toList();
    assertEquals(1, skipped.size(), o.out());
    assertTrue(skipped.get(0).contains("(id " + done + ")"), o.out());
    assertTrue(o.out().contains("8 points: 7 to train, 1 already committed"), o.out());
    Outcome other = run("plan", "--results", results.toString(), "--run-id", "r2");
    assertFalse(other.out().contains("[skipped"), other.out());
    Outcome overwrite =
        run("plan", "--results", results.toString(), "--run-id", "r1", "--overwrite");
    assertFalse(overwrite.out().contains("[skipped"), overwrite.out());
  }

  /**
   * A frontier search needs a target (what would a probe reach?) and a range: without either it is
   * refused before Spark starts, one line, exit code 2, by sweep and plan alike.
   */
  @ParameterizedTest
  @ValueSource(strings = {"sweep", "plan"})
  void aFrontierSearchWithoutTargetOrRangeIsRefused(String command) {
    Path results = dir.resolve("results");
    Outcome noTarget =
        run(command, "--set", "sweep.lag-search=frontier", "--results", results.toString());
    assertRefused(noTarget, "sweep.lag-search");
    assertTrue(noTarget.err().contains("needs train.target-accuracy"), noTarget.err());
    Outcome noRange =
        run(
            command,
            "--set",
            "sweep.lag-search=frontier",
            "--set",
            "train.target-accuracy=0.99",
            "--set",
            "sweep.lags=",
            "--results",
            results.toString());
    assertRefused(noRange, "sweep.lags");
    Outcome downward =
        run(
            command,
            "--set",
            "experiment.echo-lag.sweep.lag-search=frontier",
            "--set",
            "sweep.lags=9-1",
            "--results",
            results.toString());
    assertRefused(downward, "sweep.lags");
    assertEquals("", noTarget.out() + noRange.out() + downward.out());
    assertFalse(Files.exists(results));
  }

  /**
   * A frontier search is planned as one line per search (configuration and seed) with the most
   * probes it makes; with several seeds, each is a search, and grid points are listed as before.
   */
  @Test
  void planSaysWhatAFrontierSearchProbesAtMost() throws IOException {
    Path results = dir.resolve("results");
    List<String> args =
        List.of(
            "--experiment",
            "echo-lag",
            "--set",
            "sweep.lag-search=frontier",
            "--set",
            "train.target-accuracy=0.99",
            "--set",
            "sweep.lags=0-24",
            "--set",
            "model.hidden=8,16",
            "--set",
            "seed=1-2",
            "--results",
            results.toString());
    Outcome o = run(plan(args));
    assertEquals(Main.OK, o.code(), o.err());
    List<String> searches = o.out().lines().filter(l -> l.matches("  search [0-9]/4  .*")).toList();
    assertEquals(4, searches.size(), o.out());
    assertEquals(
        "  search 1/4  echo-lag variant=stateless window=5 hidden=8 seed=1, lags 0-24: at most 10"
            + " probes",
        searches.get(0));
    assertTrue(searches.get(3).contains("hidden=16 seed=2, lags 0-24"), searches.get(3));
    assertTrue(o.out().startsWith("plan for run "), o.out());
    assertTrue(
        o.out().lines().findFirst().orElseThrow().contains(": 4 frontier searches"), o.out());
    assertTrue(
        o.out().contains("4 frontier searches: at most 40 probes of their 100 candidate points"),
        o.out());
    assertFalse(o.out().contains("points: "), "no grid points: " + o.out());

    // Under a run id, a search's probes already committed are counted: the search reuses them.
    SweepPlan plan = Prepared.of(options(args.toArray(String[]::new))).plan();
    SweepPoint probe = plan.searches().get(1).candidates().get(0);
    Path point = results.resolve("run_id=r1").resolve("point_id=" + probe.id());
    Files.createDirectories(point);
    Files.writeString(point.resolve("part-00000.parquet"), "");
    List<String> underRunId = new ArrayList<>(args);
    underRunId.addAll(List.of("--run-id", "r1"));
    Outcome resumed = run(plan(underRunId));
    assertEquals(Main.OK, resumed.code(), resumed.err());
    assertTrue(
        resumed.out().contains("hidden=8 seed=2, lags 0-24: at most 10 probes  [1 probe already"),
        resumed.out());
    assertTrue(resumed.out().contains("; 1 already committed"), resumed.out());
  }

  /** {@code plan} with {@code args}, as an argument array. */
  private static String[] plan(List<String> args) {
    List<String> all = new ArrayList<>(List.of("plan"));
    all.addAll(args);
    return all.toArray(String[]::new);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sweep.lags=-1", "sweep.variants=stateless,stateless", "bogus.key=1"})
  void planRefusesWhatSweepRefuses(String assignment) {
    Outcome o = run("plan", "--set", assignment, "--results", dir.resolve("r").toString());
    assertRefused(o, assignment.substring(0, assignment.indexOf('=')));
    assertEquals("", o.out());
  }

  /** {@code args} parsed into the options sweep and plan share. */
  private static RunOptions options(String... args) {
    RunOptions options = new RunOptions();
    new picocli.CommandLine(options).parseArgs(args);
    return options;
  }

  /**
   * Issue 16 case 4: two sweeps without --run-id started in the same second picked the same id, and
   * the second was refused. Default ids differ per driver even within a millisecond, are valid run
   * ids, and sort by start time.
   */
  @Test
  void defaultRunIdsAreUniqueAndSortByStartTime() throws Exception {
    Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = new RunOptions().runId();
      assertEquals(id, RunOptions.checkRunId(id));
      assertTrue(id.matches("\\d{8}T\\d{6}\\.\\d{3}Z-[0-9a-f]{8}"), id);
      assertTrue(ids.add(id), "repeated: " + id);
    }
    String earlier = new RunOptions().runId();
    Thread.sleep(5);
    String later = new RunOptions().runId();
    assertTrue(earlier.compareTo(later) < 0, earlier + " then " + later);
    RunOptions one = new RunOptions();
    assertEquals(one.runId(), one.runId(), "one id per driver");
    Outcome a = run("plan", "--results", dir.resolve("r").toString());
    Outcome b = run("plan", "--results", dir.resolve("r").toString());
    assertFalse(a.out().lines().findFirst().equals(b.out().lines().findFirst()), a.out() + b.out());
  }

  @Test
  void runIdOverTheLimitIsCalledTooLong() {
    Outcome o = run("sweep", "--run-id", "a".repeat(RunOptions.MAX_RUN_ID + 1));
    assertRefused(o, "--run-id");
    assertTrue(o.err().contains("too long"), o.err());
    assertTrue(o.err().contains(String.valueOf(RunOptions.MAX_RUN_ID)), o.err());
    assertEquals(
        "a".repeat(RunOptions.MAX_RUN_ID),
        options("--run-id", "a".repeat(RunOptions.MAX_RUN_ID)).runId());
  }

  @Test
  void resultsPathsThatCannotWorkAreRefusedBeforeSpark() throws IOException {
    Outcome s3 = run("sweep", "--results", "s3a://bucket/results");
    assertRefused(s3, "--results");
    assertTrue(s3.err().contains("s3a"), s3.err());
    Path dangling = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("gone"));
    assertRefused(run("sweep", "--results", dangling.toString()), "--results");
    assertRefused(run("sweep", "--results", dangling.resolve("sub").toString()), "--results");
  }

  @Test
  void exportOnANonLocalMasterWithALocalDefaultFileSystemIsRefusedBeforeSpark() {
    String before = System.getProperty("spark.master");
    System.setProperty("spark.master", "spark://127.0.0.1:7077");
    try {
      Outcome o =
          run("sweep", "--set", "train.approach=export", "--results", dir.resolve("r").toString());
      assertRefused(o, "train.approach");
      assertTrue(o.err().contains("direct"), o.err());
    } finally {
      if (before == null) {
        System.clearProperty("spark.master");
      } else {
        System.setProperty("spark.master", before);
      }
    }
    SweepPlan export =
        SweepPlan.expand(new ConfigLoader().set("train.approach=export").load(List.of()));
    Configuration local = new Configuration();
    Prepared.checkApproach(export, "local[*]", local);
    Prepared.checkApproach(export, "local[2]", local);
    assertThrows(
        io.echolstm.config.SettingsException.class,
        () -> Prepared.checkApproach(export, "local[2,3]", local));
    Configuration shared = new Configuration();
    shared.set("fs.defaultFS", "hdfs://namenode:8020");
    Prepared.checkApproach(export, "spark://127.0.0.1:7077", shared);
    SweepPlan direct =
        SweepPlan.expand(new ConfigLoader().set("train.approach=direct").load(List.of()));
    Prepared.checkApproach(direct, "spark://127.0.0.1:7077", local);
  }

  /** scripts/run.sh names the project: its default config is found from any directory. */
  @Test
  void defaultConfigComesFromTheProjectHome() throws IOException {
    Path home = dir.resolve("home");
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("conf").resolve("tutorial.properties"), "home.marker = 1\n");
    String before = System.getProperty(RunOptions.HOME_PROPERTY);
    System.setProperty(RunOptions.HOME_PROPERTY, home.toString());
    try {
      // The marker key is unknown: the refusal shows the project's file was the one read.
      assertRefused(run("sweep", "--results", dir.resolve("r").toString()), "home.marker");
      // A user's --conf stays relative to the current directory.
      assertEquals(
          Path.of("mine.properties"), options("--conf", "mine.properties").confFiles().get(0));
    } finally {
      if (before == null) {
        System.clearProperty(RunOptions.HOME_PROPERTY);
      } else {
        System.setProperty(RunOptions.HOME_PROPERTY, before);
      }
    }
  }

  @Test
  void aFailureAfterSparkStartedIsOneLineNamingTheStageAndThePoint() {
    Throwable[] causes = {
      new SparkException("Job aborted due to stage failure: Task 0 failed\n\tat a.b.C(C.java:1)"),
      new AssertionError("expected 3"),
      new OutOfMemoryError("Java heap space"),
      new StackOverflowError()
    };
    for (Throwable cause : causes) {
      String line =
          SweepCommand.failureLine(
              "running the sweep",
              new PointFailedException(
                  "point 3/8", "echo-lag variant=stateless lag=2", "training", cause));
      assertEquals(1, line.lines().count(), line);
      assertTrue(
          line.startsWith(
                  "sweep failed at point 3/8 [echo-lag variant=stateless lag=2] while training: "
                      + (cause instanceof OutOfMemoryError ? "out of memory (" : ""))
              && line.contains(cause.getClass().getSimpleName()),
          line);
    }
    String line =
        SweepCommand.failureLine("reading the summary", new IllegalStateException("x\ny"));
    assertTrue(line.startsWith("sweep failed while reading the summary: IllegalStateException: x"));
    assertEquals(1, line.lines().count(), line);
  }

  @Test
  void missingPointsAreNamed() {
    SweepPlan plan = SweepPlan.expand(new ConfigLoader().set("sweep.lags=0-2").load(List.of()));
    Set<String> committed = Set.of(plan.points().get(0).id(), plan.points().get(2).id());
    assertEquals(
        "",
        SweepCommand.missingPoints(
            plan.points(),
            Set.of(
                plan.points().get(0).id(), plan.points().get(1).id(), plan.points().get(2).id())));
    String missing = SweepCommand.missingPoints(plan.points(), committed);
    assertTrue(missing.startsWith("1 of 3 points (point 2/3 ["), missing);
    assertTrue(missing.contains("lag=1"), missing);
  }

  /** Issue 8: 50,000 planned points wrote 30 MB of "planned:" lines at INFO. */
  @Test
  void thePlanIsOneInfoLine() {
    List<String> info = new ArrayList<>();
    AbstractAppender appender =
        new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            if (event.getLevel().isMoreSpecificThan(Level.INFO)) {
              info.add(event.getMessage().getFormattedMessage());
            }
          }
        };
    appender.start();
    org.apache.logging.log4j.core.Logger logger =
        (org.apache.logging.log4j.core.Logger) LogManager.getLogger(SweepCommand.class);
    Level level = logger.getLevel();
    logger.addAppender(appender);
    logger.setLevel(Level.INFO);
    try {
      SweepPlan plan = SweepPlan.expand(new ConfigLoader().set("sweep.lags=0-9").load(List.of()));
      SweepCommand.logPlan(options("--run-id", "r"), plan, 1);
    } finally {
      logger.removeAppender(appender);
      logger.setLevel(level);
    }
    assertEquals(1, info.size(), info.toString());
    assertTrue(info.get(0).contains("10 points in 1 experiments"), info.get(0));
  }

  // ---- a run cannot be mixed up (issue 8) ----------------------------------------------------

  private static org.apache.hadoop.fs.Path hadoopPath(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  private static List<String> names(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Records {@code plan} as run {@code r}'s plan in {@code results}. */
  private static void record(Path results, SweepPlan plan, String master, Integer autoWorkers)
      throws IOException {
    new RunRecord(
            "r",
            master,
            autoWorkers,
            "2025-01-01T00:00:00Z",
            plan.points().stream().map(p -> new RunRecord.Point(p.id(), p.key())).toList())
        .write(FileSystem.getLocal(new Configuration()), hadoopPath(results.resolve("run_id=r")));
  }

  @Test
  @Timeout(60)
  void aRerunWithAnotherPlanIsRefusedBeforeSpark() throws IOException {
    Path results = dir.resolve("results");
    Path runDir = results.resolve("run_id=r");
    // Recorded: one point, not the tutorial config's plan that Main computes.
    record(
        results,
        SweepPlan.expand(new ConfigLoader().set("sweep.lags=0").load(List.of())),
        SparkSetup.master(),
        null);
    String before = Files.readString(runDir.resolve(RunRecord.FILE));
    Outcome o = run("sweep", "--results", results.toString(), "--run-id", "r");
    assertRefused(o, "--run-id");
    assertTrue(o.err().contains("run r was started with another plan"), o.err());
    assertTrue(o.err().contains("points differ"), o.err());
    assertTrue(o.err().contains("--run-id NEW") && o.err().contains("--overwrite"), o.err());
    assertEquals(before, Files.readString(runDir.resolve(RunRecord.FILE)));
    assertEquals(List.of(RunRecord.FILE), names(runDir), "no lease left, nothing written");

    // plan refuses what sweep refuses, with the same line; with --overwrite it lists the points.
    Outcome planned = run("plan", "--results", results.toString(), "--run-id", "r");
    assertEquals(o.err(), planned.err());
    assertEquals(Main.BAD_INPUT, planned.code());
    Outcome replacing =
        run("plan", "--results", results.toString(), "--run-id", "r", "--overwrite");
    assertEquals(Main.OK, replacing.code(), replacing.err());
    assertTrue(replacing.out().contains("8 points: 8 to train"), replacing.out());
    assertEquals(before, Files.readString(runDir.resolve(RunRecord.FILE)));
    assertEquals(List.of(RunRecord.FILE), names(runDir), "plan wrote nothing");
  }

  @Test
  @Timeout(60)
  void aRunAnotherDriverHoldsIsRefusedBeforeSpark() throws IOException {
    Path results = dir.resolve("results");
    Path runDir = results.resolve("run_id=r");
    try (RunLease held =
        RunLease.take(
            FileSystem.getLocal(new Configuration()),
            hadoopPath(runDir),
            "r",
            RunLease.Timing.DEFAULT)) {
      Outcome o = run("sweep", "--results", results.toString(), "--run-id", "r");
      assertRefused(o, "--run-id");
      assertTrue(o.err().contains("being written by another driver"), o.err());
      assertTrue(o.err().contains("pid " + ProcessHandle.current().pid()), o.err());
      assertTrue(o.err().contains("host " + held.owner().host()), o.err());
      assertEquals(List.of(RunLease.FILE), names(runDir), "the live lease is untouched");
    }
  }

  /**
   * The one check that needs Spark: what {@code train.workers=auto} resolves to. Refused after
   * Spark started, still with exit code 2, one line, and nothing trained or written.
   */
  @Test
  @Timeout(180)
  void anotherAutoWorkerCountIsRefusedOnceSparkStartedWithExitTwo() throws IOException {
    Path results = dir.resolve("results");
    Path runDir = results.resolve("run_id=r");
    Path conf =
        Files.writeString(
            dir.resolve("tiny.properties"),
            String.join(
                "\n",
                "experiments = tiny",
                "data.values = 10",
                "data.sequence-length = 8",
                "data.train-sequences = 20",
                "data.eval-sequences = 10",
                "data.validation-sequences = 10",
                "data.partitions = 1",
                "model.hidden = 4",
                "sweep.lags = 0,1",
                "sweep.windows = 3",
                "train.workers = auto",
                "train.epochs = 1",
                ""));
    SweepPlan plan = SweepPlan.expand(new ConfigLoader().file(conf).load(List.of()));
    // Recorded when auto meant 3 workers; this driver's local[2] makes it 2.
    record(results, plan, "local[2]", 3);
    String before = Files.readString(runDir.resolve(RunRecord.FILE));
    Outcome o =
        Outcome.runOnSpark(
            "local[2]",
            "sweep",
            "--conf",
            conf.toString(),
            "--results",
            results.toString(),
            "--run-id",
            "r");
    assertRefused(o, "--run-id");
    assertTrue(o.err().contains("train.workers=auto resolved to 3 -> 2"), o.err());
    assertFalse(o.err().contains("points differ"), o.err());
    assertEquals(before, Files.readString(runDir.resolve(RunRecord.FILE)));
    assertEquals(List.of(RunRecord.FILE), names(runDir), "nothing trained, no lease left");
  }

  // ---- predict ------------------------------------------------------------------------------

  /**
   * A small trained stateless model (window 3, lag 1, values 0..9), saved as the sweep saves it.
   */
  private Path savedModel() throws IOException {
    TinyModels.Problem echo = new TinyModels.Problem(Variant.STATELESS, 10, 3, 1, 8);
    return TinyModels.save(TinyModels.trained(echo, 400, 7), echo.info(), dir.resolve("model.zip"));
  }

  @Test
  void predictPrintsTheTutorialsLinesForASavedModel() throws IOException {
    Path model = savedModel();
    Outcome o = run("predict", "--model", model.toString(), "--sequence", "3, 1,4,1,5,9,2,6");
    assertEquals(Main.OK, o.code(), o.err());
    assertEquals(
        List.of(
            "model: stateless, window 3, lag 1, values 0..9, hidden 16 (experiment tiny, run"
                + " test-run, point p0123456789abcdef)",
            "Expected:  [1, 4, 1, 5, 9, 2]",
            "Predicted: [1, 4, 1, 5, 9, 2]"),
        o.out().lines().toList());
    assertEquals("", o.err());
  }

  private static void assertPredictRefused(Outcome o, String message) {
    assertEquals(Main.BAD_INPUT, o.code(), o.err());
    assertEquals("echo-lstm: " + message, o.err().strip());
    assertEquals("", o.out());
  }

  @Test
  void predictRefusesBadSequencesWithExitCode2() throws IOException {
    String model = savedModel().toString();
    assertPredictRefused(
        run("predict", "--model", model, "--sequence", "3,14,15,92,65,35"),
        "sequence value 2 is out of range: 14 (this model reads integers 0..9)");
    assertPredictRefused(
        run("predict", "--model", model, "--sequence", "-1,2,3"),
        "sequence value 1 is out of range: -1 (this model reads integers 0..9)");
    assertPredictRefused(
        run("predict", "--model", model, "--sequence", "1,x,3"),
        "sequence value 2 is not an integer: 'x'");
    assertPredictRefused(
        run("predict", "--model", model, "--sequence", "1,2"),
        "sequence of 2 values is shorter than the model's window of 3");
    assertPredictRefused(
        run("predict", "--model", model, "--sequence", ""),
        "sequence is empty: expected integers like 3,14,15,92,65,35");
  }

  @Test
  void predictRefusesMissingAndCorruptFilesWithExitCode2() throws IOException {
    Path missing = dir.resolve("nothing-here.zip");
    assertPredictRefused(
        run("predict", "--model", missing.toString(), "--sequence", "1,2,3"),
        "model file does not exist: " + missing);
    Path random = dir.resolve("random.zip");
    byte[] bytes = new byte[1000];
    new java.util.Random(1).nextBytes(bytes);
    Files.write(random, bytes);
    assertPredictRefused(
        run("predict", "--model", random.toString(), "--sequence", "1,2,3"),
        "not an echo-lstm model file: " + random + " is not a zip archive");
    byte[] model = Files.readAllBytes(savedModel());
    Path cut = Files.write(dir.resolve("cut.zip"), java.util.Arrays.copyOf(model, 900));
    Outcome o = run("predict", "--model", cut.toString(), "--sequence", "1,2,3");
    assertEquals(Main.BAD_INPUT, o.code(), o.err());
    assertEquals(1, o.err().strip().lines().count(), o.err());
    assertTrue(o.err().contains(cut.toString()), o.err());
  }

  @Test
  void predictNeedsAModelAndASequence() {
    assertBadOption(run("predict", "--sequence", "1,2,3"), "'--model=FILE'", "echo-lstm predict");
    assertBadOption(run("predict", "--model", "m.zip"), "'--sequence", "echo-lstm predict");
  }
}
