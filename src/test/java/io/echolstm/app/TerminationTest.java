package io.echolstm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The one handler of how a command ends: its codes and lines, without ending this JVM (the
 * end-to-end signals and the out-of-memory exit are in {@code LauncherFailuresIT}).
 */
class TerminationTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String err() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static final Throwable STOPPED =
      new IllegalStateException("Cannot call methods on a stopped SparkContext.");

  @ParameterizedTest
  @EnumSource(Termination.Signal.class)
  void aFailureAfterASignalIsThatSignalsInterruption(Termination.Signal signal) {
    Termination t = Termination.unattached(err);
    try (Termination.Guard g = t.guard(() -> "1 of 6 points committed in results (run r)")) {
      assertTrue(t.received(signal));
      assertFalse(t.received(Termination.Signal.TERM), "the first signal counts");
      int code =
          t.failed(
              new Termination.Failure(
                  "sweep", "at point 2/6 [x] while training", "sweep failed ...", STOPPED));
      assertEquals(signal.exitCode(), code);
    }
    assertEquals(
        "echo-lstm: sweep interrupted by "
            + signal
            + " at point 2/6 [x] while training; 1 of 6 points committed in results (run r)\n",
        err());
  }

  @Test
  void signalsExitWithTheShellsCodes() {
    assertEquals(129, Termination.Signal.HUP.exitCode());
    assertEquals(130, Termination.Signal.INT.exitCode());
    assertEquals(143, Termination.Signal.TERM.exitCode());
    assertEquals(138, Termination.Signal.USR1.exitCode());
    assertEquals(142, Termination.Signal.ALRM.exitCode());
  }

  @Test
  void withoutASignalAFailureIsExitOneWithItsLineOnce() {
    Termination t = Termination.unattached(err);
    assertEquals(
        Main.FAILED, t.failed(new Termination.Failure("sweep", "", "sweep failed: x", STOPPED)));
    assertEquals(
        Main.FAILED, t.failed(new Termination.Failure("sweep", "", "a second line", STOPPED)));
    assertEquals("echo-lstm: sweep failed: x\n", err(), "one line: the first");
  }

  /**
   * A task's out-of-memory error reaches the driver as text inside Spark's job failure; the line
   * names it, whatever wraps it.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "java.lang.OutOfMemoryError: Java heap space | OutOfMemoryError: Java heap space",
        "java.lang.RuntimeException: Error during neural network forward pass\\nCaused by:"
            + " java.lang.OutOfMemoryError: Physical memory usage is too high: physicalBytes"
            + " (2623M) > maxPhysicalBytes (2500M) | OutOfMemoryError: Physical memory usage is too"
            + " high: physicalBytes (2623M) > maxPhysicalBytes (2500M)",
      })
  void anOutOfMemoryErrorInATaskIsNamed(String remote, String named) {
    SparkException job =
        new SparkException(
            "Job aborted due to stage failure: Task 0 in stage 12.0 failed 1 times, most recent"
                + " failure: Lost task 0.0 in stage 12.0 (TID 22) (localhost executor driver): "
                + remote.replace("\\n", "\n")
                + "\n\tat org.bytedeco.javacpp.Pointer.deallocator(Pointer.java:700)");
    String line = Main.describe(new RuntimeException("point 1/1 failed", job));
    assertTrue(line.startsWith("out of memory (" + named + "): give the job more memory"), line);
    assertEquals(1, line.lines().count());
    assertTrue(
        Main.describe(new OutOfMemoryError("Java heap space"))
            .startsWith("out of memory (OutOfMemoryError: Java heap space)"));
    assertFalse(Main.describe(STOPPED).contains("out of memory"));
  }

  /**
   * After a signal, what Spark's threads print to System.err (a rejected callback's stack trace)
   * goes line by line to the log: every line arrives whole, in order, the last one at close.
   */
  @Test
  void theLineSinkHandsOnEachLineWhole() {
    List<String> lines = new ArrayList<>();
    Throwable t =
        new java.util.concurrent.RejectedExecutionException(
            "Task rejected from ThreadPoolExecutor[Shutting down]");
    StringWriter trace = new StringWriter();
    t.printStackTrace(new java.io.PrintWriter(trace));
    try (PrintStream diverted =
        new PrintStream(new Termination.LineSink(lines::add), true, StandardCharsets.UTF_8)) {
      t.printStackTrace(diverted);
      diverted.print("no line end, é");
      assertEquals(trace.toString().lines().toList(), lines);
    }
    assertEquals("no line end, é", lines.get(lines.size() - 1));
    assertEquals(trace.toString().lines().count() + 1, lines.size());
    assertTrue(lines.get(0).startsWith("java.util.concurrent.RejectedExecutionException: "));
  }
}
