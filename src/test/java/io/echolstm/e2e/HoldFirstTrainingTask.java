package io.echolstm.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.storage.RDDInfo;

/**
 * A test-only Spark plugin that holds each executor JVM's first training task, so {@link ClusterIT}
 * can kill an executor while it certainly runs one. It reaches a run only through spark-submit
 * flags ({@link #submitArgs}: a jar of this class and {@code spark.plugins}); the job's own jar
 * knows nothing of it.
 *
 * <p>A training task is a task of a stage that runs parameter-averaging workers: the stage holding
 * the RDD that fits each worker's minibatches, created by the job's resident averaging ({@code
 * mapPartitionsWithIndex} in {@code ResidentAveraging}) or by dl4j-spark's {@code
 * ParameterAveragingTrainingMaster} ({@code mapPartitions}), by its call site as Spark records it.
 * The driver side classifies every submitted stage that way (a listener); the executor side asks
 * it, at the start of each task (in the task thread), about the task's stage. The first training
 * task an executor JVM starts writes {@code <dir>/held-<pid>} with "{@code <pid> <TID> <stage>}"
 * (the executor's process id, the Spark task id and stage id) and waits until {@code <dir>/release}
 * exists, at most {@link #MAX_WAIT_MINUTES} minutes, then runs. {@code <dir>/stages} has a line per
 * classified stage: "{@code <stage> training|other [call sites of its RDDs]}".
 */
public final class HoldFirstTrainingTask implements SparkPlugin {
  /** The Spark property naming the directory of the held, release and stages files. */
  static final String DIR_PROPERTY = "spark.echolstm.test.holdDir";

  static final long MAX_WAIT_MINUTES = 10;

  /** How Spark names the training workers' RDDs (call sites end with the source line). */
  static final List<String> TRAINING_CALL_SITES =
      List.of(
          "mapPartitionsWithIndex at ResidentAveraging.java:",
          "mapPartitions at ParameterAveragingTrainingMaster.java:");

  /** The spark-submit flags that load the plugin from {@code jar} and hold tasks in {@code dir}. */
  static List<String> submitArgs(Path jar, Path dir) {
    return List.of(
        "--jars",
        jar.toString(),
        "--conf",
        "spark.plugins=" + HoldFirstTrainingTask.class.getName(),
        "--conf",
        DIR_PROPERTY + "=" + dir);
  }

  /** Writes a jar of this class and its nested classes, as compiled with the tests. */
  static Path writeJar(Path jar) throws IOException {
    Path classes;
    try {
      classes =
          Path.of(
              HoldFirstTrainingTask.class
                  .getProtectionDomain()
                  .getCodeSource()
                  .getLocation()
                  .toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    String name = HoldFirstTrainingTask.class.getName().replace('.', '/');
    Path dir = classes.resolve(name).getParent();
    String simple = HoldFirstTrainingTask.class.getSimpleName();
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream zip = new JarOutputStream(out);
        Stream<Path> files = Files.list(dir)) {
      for (Path f :
          files
              .filter(
                  p -> {
                    String file = p.getFileName().toString();
                    return file.equals(simple + ".class") || file.startsWith(simple + "$");
                  })
              .sorted()
              .toList()) {
        zip.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        zip.write(Files.readAllBytes(f));
        zip.closeEntry();
      }
    }
    return jar;
  }

  @Override
  public DriverPlugin driverPlugin() {
    return new Driver();
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new Executor();
  }

  /** Classifies stages as they are submitted and answers executors' "is stage N training?". */
  static final class Driver implements DriverPlugin {
    private final Map<Integer, Boolean> training = new ConcurrentHashMap<>();
    private Path dir;

    @Override
    public Map<String, String> init(SparkContext sc, PluginContext ctx) {
      dir = Path.of(sc.getConf().get(DIR_PROPERTY));
      sc.addSparkListener(
          new SparkListener() {
            @Override
            public void onStageSubmitted(SparkListenerStageSubmitted event) {
              classify(event.stageInfo());
            }
          });
      return Map.of(DIR_PROPERTY, dir.toString());
    }

    private void classify(StageInfo stage) {
      List<String> callSites = new ArrayList<>();
      scala.collection.Iterator<RDDInfo> rdds = stage.rddInfos().iterator();
      while (rdds.hasNext()) {
        callSites.add(rdds.next().callSite());
      }
      boolean isTraining =
          callSites.stream().anyMatch(c -> TRAINING_CALL_SITES.stream().anyMatch(c::startsWith));
      try {
        Files.writeString(
            dir.resolve("stages"),
            stage.stageId() + " " + (isTraining ? "training" : "other") + " " + callSites + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      training.put(stage.stageId(), isTraining);
    }

    /**
     * Whether stage {@code message} (an Integer) runs training workers. Spark posts a stage's
     * submission to listeners asynchronously, so a task may ask before its stage is classified:
     * waits for it (a minute at most, then "no").
     */
    @Override
    public Object receive(Object message) throws InterruptedException {
      int stage = (Integer) message;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (!training.containsKey(stage) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      return training.getOrDefault(stage, false);
    }
  }

  /** Holds the first training task of this executor JVM. */
  static final class Executor implements ExecutorPlugin {
    private static final AtomicBoolean HELD = new AtomicBoolean();
    private final Map<Integer, Boolean> training = new ConcurrentHashMap<>();
    private PluginContext ctx;
    private Path dir;

    @Override
    public void init(PluginContext ctx, Map<String, String> extraConf) {
      this.ctx = ctx;
      this.dir = Path.of(extraConf.get(DIR_PROPERTY));
    }

    @Override
    public void onTaskStart() {
      Path release = dir.resolve("release");
      if (HELD.get() || Files.exists(release)) {
        return;
      }
      TaskContext task = TaskContext.get();
      if (!training.computeIfAbsent(task.stageId(), this::ask)
          || !HELD.compareAndSet(false, true)) {
        return;
      }
      long pid = ProcessHandle.current().pid();
      try {
        // Written whole, then renamed, so the test never reads half a line.
        Path tmp = dir.resolve(".held-" + pid);
        String line = pid + " " + task.taskAttemptId() + " " + task.stageId();
        Files.writeString(tmp, line, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve("held-" + pid), StandardCopyOption.ATOMIC_MOVE);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(MAX_WAIT_MINUTES);
        while (!Files.exists(release) && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private boolean ask(int stage) {
      try {
        return (Boolean) ctx.ask(stage);
      } catch (Exception e) {
        throw new IllegalStateException("asking the driver about stage " + stage, e);
      }
    }
  }
}
