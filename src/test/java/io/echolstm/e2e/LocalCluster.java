package io.echolstm.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The standalone cluster of {@code scripts/cluster.sh} (a master and workers on 127.0.0.1), for
 * tests: started fresh in a directory of its own and stopped by {@link #close}, or by a JVM
 * shutdown hook if the test JVM ends first.
 */
final class LocalCluster implements AutoCloseable {
  static final String EXECUTOR_CLASS = "CoarseGrainedExecutorBackend";

  /** An executor JVM a worker launched, and the files the worker keeps for it. */
  record Executor(ProcessHandle process, int worker, String appId, String id, Path stderr) {}

  private final Path dir;
  private final int workers;
  private final String masterUrl;
  private final Thread stopHook;
  private boolean stopped;

  private LocalCluster(Path dir, int workers, String masterUrl, Thread stopHook) {
    this.dir = dir;
    this.workers = workers;
    this.masterUrl = masterUrl;
    this.stopHook = stopHook;
  }

  /**
   * Starts a cluster in {@code dir}, deleting what an earlier one left there.
   *
   * @throws AssertionError when it does not come up (whatever did start is stopped)
   */
  static LocalCluster start(Path dir, int workers, Duration timeout)
      throws IOException, InterruptedException {
    if (Files.isDirectory(dir.resolve("pids"))) {
      // A cluster an aborted earlier run left running: its pid files are about to be deleted.
      script(dir, workers, "stop", Duration.ofMinutes(1));
    }
    deleteTree(dir);
    Files.createDirectories(dir);
    Thread hook = new Thread(() -> script(dir, workers, "stop", Duration.ofMinutes(1)));
    Runtime.getRuntime().addShutdownHook(hook);
    Script start = script(dir, workers, "start", timeout);
    if (start.code() != 0) {
      script(dir, workers, "stop", Duration.ofMinutes(1));
      Runtime.getRuntime().removeShutdownHook(hook);
      throw new AssertionError(
          "cluster.sh start failed (" + start.code() + "):\n" + start.output());
    }
    String url = Files.readString(dir.resolve("master-url")).trim();
    return new LocalCluster(dir, workers, url, hook);
  }

  private record Script(int code, String output) {}

  private static Script script(Path dir, int workers, String command, Duration timeout) {
    try {
      Path log = dir.resolve("cluster-" + command + ".out");
      ProcessBuilder pb =
          new ProcessBuilder(SweepProcess.ROOT.resolve("scripts/cluster.sh").toString(), command)
              .directory(SweepProcess.ROOT.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().put("CLUSTER_DIR", dir.toString());
      pb.environment().put("CLUSTER_WORKERS", Integer.toString(workers));
      // Two cores in all on the test machine: one executor slot per worker.
      pb.environment().put("WORKER_CORES", "1");
      pb.environment().put("WORKER_MEMORY", "2g");
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Script(-1, "timed out after " + timeout + "\n" + Files.readString(log));
      }
      return new Script(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Script(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Script(-1, e.toString());
    }
  }

  String masterUrl() {
    return masterUrl;
  }

  /** The JVMs of the master and the workers, from the pid files. */
  List<ProcessHandle> daemons() throws IOException {
    List<ProcessHandle> out = new ArrayList<>();
    List<String> names = new ArrayList<>(List.of("master"));
    for (int i = 1; i <= workers; i++) {
      names.add("worker-" + i);
    }
    for (String name : names) {
      Path pidFile = dir.resolve("pids").resolve(name + ".pid");
      if (Files.exists(pidFile)) {
        ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).ifPresent(out::add);
      }
    }
    return out;
  }

  /** Executor JVMs now running under the workers. */
  List<Executor> executors() throws IOException {
    List<Executor> out = new ArrayList<>();
    for (int i = 1; i <= workers; i++) {
      Path pidFile = dir.resolve("pids").resolve("worker-" + i + ".pid");
      if (!Files.exists(pidFile)) {
        continue;
      }
      Optional<ProcessHandle> worker =
          ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()));
      if (worker.isEmpty()) {
        continue;
      }
      int index = i;
      worker
          .get()
          .children()
          .forEach(
              p -> {
                List<String> args = List.of(p.info().arguments().orElse(new String[0]));
                if (!p.info().commandLine().orElse("").contains(EXECUTOR_CLASS)) {
                  return;
                }
                String app = argAfter(args, "--app-id");
                String id = argAfter(args, "--executor-id");
                if (app != null && id != null) {
                  Path stderr =
                      dir.resolve("worker-" + index)
                          .resolve("work")
                          .resolve(app)
                          .resolve(id)
                          .resolve("stderr");
                  out.add(new Executor(p, index, app, id, stderr));
                }
              });
    }
    return out;
  }

  private static String argAfter(List<String> args, String flag) {
    int i = args.indexOf(flag);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
  }

  /** Applications any worker has run executors for (its {@code work/app-*} directories). */
  Set<String> appIds() throws IOException {
    Set<String> ids = new TreeSet<>();
    for (int i = 1; i <= workers; i++) {
      ids.addAll(children(dir.resolve("worker-" + i).resolve("work")));
    }
    return ids;
  }

  /** Executor ids an application had on each worker, as {@code worker-N/ID}. */
  List<String> executorDirs(String appId) throws IOException {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= workers; i++) {
      for (String id : children(dir.resolve("worker-" + i).resolve("work").resolve(appId))) {
        out.add("worker-" + i + "/" + id);
      }
    }
    return out;
  }

  /**
   * The {@code stderr} files of an application's executors on every worker; each starts with the
   * worker's "Spark Executor Command:" line.
   */
  List<Path> executorLogs(String appId) throws IOException {
    List<Path> out = new ArrayList<>();
    for (int i = 1; i <= workers; i++) {
      Path app = dir.resolve("worker-" + i).resolve("work").resolve(appId);
      for (String id : children(app)) {
        out.add(app.resolve(id).resolve("stderr"));
      }
    }
    return out;
  }

  /** A worker's local (scratch) directory: {@code SPARK_LOCAL_DIRS} of it and its executors. */
  Path localDir(int worker) {
    return dir.resolve("worker-" + worker).resolve("local");
  }

  int workers() {
    return workers;
  }

  /** Processes whose command line names this cluster's directory: daemons and executors. */
  List<ProcessHandle> processes() {
    String marker = dir.toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(marker))
        .toList();
  }

  private static List<String> children(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Stops the cluster with {@code cluster.sh stop}; fails if that script fails. */
  @Override
  public void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    Script stop = script(dir, workers, "stop", Duration.ofMinutes(2));
    try {
      Runtime.getRuntime().removeShutdownHook(stopHook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs (harmlessly) again
    }
    if (stop.code() != 0) {
      throw new AssertionError("cluster.sh stop failed (" + stop.code() + "):\n" + stop.output());
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
