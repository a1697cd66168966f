package io.echolstm.e2e;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One {@code scripts/run.sh} launch as a child process, started the way a user starts it, with
 * everything it could leave behind kept where a test can look: an empty working directory of its
 * own, and a {@link Sandbox} temp directory that is the driver's {@code java.io.tmpdir} (Spark's
 * local dirs default to it) and holds its {@code hadoop.tmp.dir} (where dl4j-spark's Export
 * approach writes minibatches). Output goes to files, so the driver log can be watched while the
 * job runs.
 */
final class SweepProcess implements AutoCloseable {
  static final Path ROOT = Path.of("").toAbsolutePath();

  /**
   * Where a launch runs and what it may leave behind. Several launches can share one (a resumed run
   * sees what the crashed run left, as it would on a real machine).
   */
  record Sandbox(Path work, Path tmp) {
    static Sandbox in(Path dir) throws IOException {
      // The paths travel through SPARK_SUBMIT_ARGS and JAVA_TOOL_OPTIONS, which split on spaces.
      if (dir.toString().matches(".*\\s.*")) {
        throw new IllegalArgumentException("sandbox path must not contain whitespace: " + dir);
      }
      Sandbox s = new Sandbox(dir.resolve("work"), dir.resolve("tmp"));
      Files.createDirectories(s.work);
      Files.createDirectories(s.tmp);
      return s;
    }

    /**
     * Hadoop's default is {@code /tmp/hadoop-${user.name}}; the same name, under our tmp.
     * dl4j-spark's Export approach writes under it by default: {@code
     * ${hadoop.tmp.dir}/dl4j/<training master UID>/<RDD id>/}.
     */
    Path hadoopTmp() {
      return tmp.resolve("hadoop-" + System.getProperty("user.name"));
    }

    /**
     * Everything under the temp dir except the {@code hadoop.tmp.dir} directory itself (Hadoop's
     * persistent scratch root), relative to the temp dir.
     */
    List<String> tmpLeftovers() throws IOException {
      List<String> out = new ArrayList<>(TableFiles.tree(tmp));
      out.remove(tmp.relativize(hadoopTmp()).toString());
      return out;
    }
  }

  /** How a launch ended. */
  record Outcome(int code, String stdout, String stderr) {
    /** The job's own progress lines and its summary, for the test report. */
    String report() {
      return stderr
              .lines()
              .filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d (INFO|WARN|ERROR) .*"))
              .filter(l -> !l.contains("planned:"))
              .collect(Collectors.joining("\n"))
          + "\n"
          + stdout;
    }

    /** The end of the driver log, for assertion messages. */
    String tail() {
      return SweepProcess.tail(stdout + "\n" + stderr, 60);
    }
  }

  /**
   * A prefix that gives the launch the default handling of the stopping signals: a test JVM started
   * in the background (by a non-interactive shell, or under nohup) passes SIGINT or SIGHUP on as
   * ignored, and a JVM keeps an ignored signal ignored. Coreutils' {@code env --default-signal}
   * resets them; where it is missing, the launch inherits what the test JVM has.
   */
  static final List<String> DEFAULT_SIGNALS = defaultSignals();

  private static List<String> defaultSignals() {
    List<String> prefix = List.of("env", "--default-signal=HUP,INT,TERM,USR1,ALRM");
    try {
      Process p = new ProcessBuilder(concat(prefix, "true")).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0 ? prefix : List.of();
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  private static List<String> concat(List<String> list, String last) {
    List<String> out = new ArrayList<>(list);
    out.add(last);
    return out;
  }

  private final Process process;
  private final Path out;
  private final Path err;
  private long readOffset;
  private final StringBuilder seen = new StringBuilder();

  /** Kills the launch if the test JVM ends while it runs (a timeout, Ctrl-C). */
  private final Thread killOnExit;

  private SweepProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
    this.killOnExit =
        new Thread(
            () -> {
              process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
              process.destroyForcibly();
            });
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /**
   * Starts {@code scripts/run.sh ARGS} on {@code master}.
   *
   * @param logs directory for {@code stdout.txt} and {@code stderr.txt} (created)
   * @param submitArgs extra spark-submit flags (no spaces inside a flag)
   */
  static SweepProcess start(
      Path logs, Sandbox sandbox, String master, List<String> submitArgs, List<String> args)
      throws IOException {
    return start(logs, sandbox, master, submitArgs, Map.of(), args);
  }

  /**
   * {@link #start(Path, Sandbox, String, List, List)} with more environment variables for run.sh
   * (e.g. {@code DRIVER_MEMORY}), set last.
   */
  static SweepProcess start(
      Path logs,
      Sandbox sandbox,
      String master,
      List<String> submitArgs,
      Map<String, String> environment,
      List<String> args)
      throws IOException {
    Files.createDirectories(logs);
    Path out = logs.resolve("stdout.txt");
    Path err = logs.resolve("stderr.txt");
    List<String> command = new ArrayList<>(DEFAULT_SIGNALS);
    command.add(ROOT.resolve("scripts/run.sh").toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(sandbox.work().toFile());
    Map<String, String> env = pb.environment();
    env.put("MASTER", master);
    env.put("DRIVER_MEMORY", "2g");
    // run.sh sets this for local masters only; a cluster's driver must stay on loopback too.
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    // run.sh already passes --driver-java-options (which a second one would replace), so the
    // driver's temp dir is set through the JVM's own environment variable.
    env.put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + sandbox.tmp());
    List<String> submit = new ArrayList<>();
    submit.add("--conf");
    submit.add("spark.hadoop.hadoop.tmp.dir=" + sandbox.hadoopTmp());
    submit.addAll(submitArgs);
    env.put("SPARK_SUBMIT_ARGS", String.join(" ", submit));
    env.putAll(environment);
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    return new SweepProcess(pb.start(), out, err);
  }

  /** The small echo-lag sweep of SweepEndToEndIT, with its conf file given by absolute path. */
  static List<String> smallSweep(
      String lags, int epochs, Path results, String runId, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "sweep",
                "--conf",
                ROOT.resolve("conf/tutorial.properties").toString(),
                "--experiment",
                "echo-lag",
                "--set",
                "sweep.lags=" + lags,
                "--set",
                "sweep.windows=3",
                "--set",
                "data.values=10",
                "--set",
                "data.sequence-length=10",
                "--set",
                "data.train-sequences=400",
                "--set",
                "data.eval-sequences=50",
                "--set",
                "data.partitions=2",
                "--set",
                "model.hidden=16",
                "--set",
                "train.batch-size=32",
                "--set",
                "train.epochs=" + epochs,
                "--set",
                "train.learning-rate=0.05",
                "--results",
                results.toString(),
                "--run-id",
                runId));
    args.addAll(List.of(extra));
    return args;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Sends {@code signal} (e.g. {@code TERM}) to the driver, as Ctrl-C ({@code INT}), {@code kill}
   * ({@code TERM}) or a closed terminal ({@code HUP}) would: run.sh execs spark-submit, which execs
   * the driver JVM, so the launch's process is the driver.
   */
  void signal(String signal) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
            .redirectErrorStream(true)
            .start();
    if (kill.waitFor() != 0) {
      throw new AssertionError(
          "kill -" + signal + " failed: " + new String(kill.getInputStream().readAllBytes()));
    }
  }

  /**
   * Waits for the first driver-log line (stderr) after the previous match that matches {@code
   * pattern}, polling every 50 ms.
   *
   * @return the matcher of that line
   * @throws AssertionError when the process exits first or the time runs out
   */
  Matcher awaitLine(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      // Read after checking: once the process is seen dead, this read has all it wrote.
      boolean alive = process.isAlive();
      readNewOutput();
      int lineEnd;
      while ((lineEnd = seen.indexOf("\n")) >= 0 || (!alive && seen.length() > 0)) {
        String line = lineEnd >= 0 ? seen.substring(0, lineEnd) : seen.toString();
        seen.delete(0, lineEnd >= 0 ? lineEnd + 1 : seen.length());
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m;
        }
      }
      if (!alive) {
        throw new AssertionError(
            "run.sh exited (code "
                + process.exitValue()
                + ") before a line matched "
                + pattern
                + ":\n"
                + tail(Files.readString(err), 60));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no line matched "
                + pattern
                + " in "
                + timeout
                + ":\n"
                + tail(Files.readString(err), 60));
      }
      Thread.sleep(50);
    }
  }

  private void readNewOutput() throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(err.toFile(), "r")) {
      long length = f.length();
      if (length <= readOffset) {
        return;
      }
      byte[] bytes = new byte[(int) (length - readOffset)];
      f.seek(readOffset);
      f.readFully(bytes);
      readOffset = length;
      seen.append(new String(bytes, StandardCharsets.UTF_8));
    }
  }

  /** Waits for the launch to end; on timeout kills it and fails. */
  Outcome await(Duration timeout) throws IOException, InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      killTree();
      throw new AssertionError(
          "run.sh did not finish in " + timeout + ":\n" + tail(Files.readString(err), 60));
    }
    return outcome();
  }

  /**
   * SIGKILLs the launch and every process under it (run.sh execs spark-submit, which execs the
   * driver JVM, so normally this is the driver alone), as a power cut or the OOM killer would.
   */
  Outcome killTree() throws IOException, InterruptedException {
    ProcessHandle root = process.toHandle();
    List<ProcessHandle> tree = Stream.concat(Stream.of(root), root.descendants()).toList();
    tree.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : tree) {
      try {
        p.onExit().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new AssertionError("process " + p.pid() + " survived SIGKILL", e);
      }
    }
    process.waitFor();
    return outcome();
  }

  private Outcome outcome() throws IOException {
    return new Outcome(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Kills what is left of the launch; a no-op after it ended. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        killTree();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(killOnExit);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs, harmlessly, on a finished process
      }
    }
  }

  static String tail(String text, int lines) {
    String[] all = text.split("\n", -1);
    int from = Math.max(0, all.length - lines);
    return String.join("\n", java.util.Arrays.asList(all).subList(from, all.length));
  }
}
