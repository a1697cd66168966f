package io.echolstm.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.TaskContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A test hook, off in production: it exists only when the driver's environment names a directory in
 * {@value #ENV} (only the cluster test sets it). Then the first training minibatch each executor
 * JVM fits waits, inside its parameter-averaging training task, until {@code <dir>/release} exists,
 * after writing {@code <dir>/held-<pid>} with "{@code <pid> <TID>}" (the executor's process id and
 * the Spark task id). So a test can kill an executor while it certainly runs a training task, then
 * release the others. It waits at most {@link #MAX_WAIT_MINUTES} minutes, then trains on.
 */
final class HoldFirstTrainingTask implements TrainingHook {
  static final String ENV = "ECHO_LSTM_TEST_HOLD_TRAINING_DIR";
  static final long MAX_WAIT_MINUTES = 10;
  private static final long serialVersionUID = 1L;
  private static final AtomicBoolean HELD = new AtomicBoolean();

  private final String dir;

  private HoldFirstTrainingTask(String dir) {
    this.dir = dir;
  }

  /** The hook when {@value #ENV} is set in this (the driver's) environment. */
  static Optional<TrainingHook> fromEnvironment() {
    String dir = System.getenv(ENV);
    return dir == null || dir.isBlank()
        ? Optional.empty()
        : Optional.of(new HoldFirstTrainingTask(dir));
  }

  @Override
  public void preUpdate(DataSet minibatch, Model model) {
    hold();
  }

  @Override
  public void preUpdate(MultiDataSet minibatch, Model model) {
    hold();
  }

  @Override
  public void postUpdate(DataSet minibatch, Model model) {}

  @Override
  public void postUpdate(MultiDataSet minibatch, Model model) {}

  private void hold() {
    Path release = Path.of(dir, "release");
    if (!HELD.compareAndSet(false, true) || Files.exists(release)) {
      return;
    }
    long pid = ProcessHandle.current().pid();
    TaskContext task = TaskContext.get();
    String line = pid + " " + (task == null ? -1 : task.taskAttemptId());
    try {
      // Written whole, then renamed, so the test never reads half a line.
      Path tmp = Path.of(dir, ".held-" + pid);
      Files.writeString(tmp, line, StandardCharsets.UTF_8);
      Files.move(tmp, Path.of(dir, "held-" + pid), StandardCopyOption.ATOMIC_MOVE);
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
}
