package io.echolstm.app;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.SignalHandler;

/**
 * The one place that decides how the JVM ends once a command runs: which exit code, and the one
 * line the user reads. Every way out goes through it:
 *
 * <ul>
 *   <li>the command returns or fails: {@link #failed} writes the line and picks the code, {@link
 *       #exit} ends the JVM with it;
 *   <li>a signal (SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGALRM): the JVM ends with 128 + the signal's
 *       number (130, 143, 129, 138, 142) after the command has cleaned up (a sweep releases its
 *       run's lease), and the line says the run was interrupted, what it committed and how to
 *       resume it, whatever the command was doing when Spark stopped under it (a stopped context is
 *       what it sees). A second signal ends the JVM at once;
 *   <li>anything else that ends the JVM while a command runs (a Spark thread calling {@code
 *       System.exit}, as Spark's uncaught-exception handler does on a fatal error): exit code 1 and
 *       one line, instead of Spark's own code.
 * </ul>
 *
 * <p>Only the entry point {@linkplain #install installs} the signal handlers and the shutdown hook;
 * commands run inside a JVM that is not theirs to end get an {@linkplain #unattached unattached}
 * instance that decides codes and lines the same way.
 */
final class Termination {
  private static final Logger LOG = LoggerFactory.getLogger(Termination.class);

  /**
   * How long the shutdown hook waits for a command to clean up (stop Spark, release the lease)
   * after a signal: Spark stops its jobs in a second or two; a stuck file system must not keep the
   * JVM alive.
   */
  static final Duration GRACE = Duration.ofSeconds(20);

  /**
   * The signals that stop a run, with the exit code a shell gives them (128 + number): a closed
   * terminal, Ctrl-C, {@code kill}, and the warnings batch schedulers send before a time limit
   * (SIGUSR1, SIGALRM), which would otherwise end the JVM with no cleanup and no line. (SIGQUIT
   * prints the JVM's thread dump and SIGUSR2 is the JVM's own.)
   */
  enum Signal {
    HUP(1),
    INT(2),
    USR1(10),
    ALRM(14),
    TERM(15);

    private final int number;

    Signal(int number) {
      this.number = number;
    }

    int exitCode() {
      return 128 + number;
    }

    @Override
    public String toString() {
      return "SIG" + name();
    }
  }

  /** A command's failure, as {@link #failed} reports it. */
  record Failure(String command, String where, String line, Throwable cause) {}

  private final PrintStream err;
  private final AtomicReference<Signal> signal = new AtomicReference<>();
  private final AtomicBoolean lineWritten = new AtomicBoolean();
  private volatile Integer decided;
  private volatile Guard guard;

  /**
   * Whether the JVM's shutdown, once begun, was started by neither the command nor a signal:
   * recorded the moment it begins (a plain JVM hook, started with all others at once), since the
   * command may decide its code while the shutdown runs.
   */
  private final AtomicReference<Boolean> foreign = new AtomicReference<>();

  private Termination(PrintStream err) {
    this.err = err;
  }

  /**
   * A termination for the JVM's own entry point: handles the {@link Signal}s (a signal the JVM was
   * started to ignore, as under {@code nohup}, stays ignored) and adds a shutdown hook that runs
   * after Spark's own (Hadoop's hook manager, below Spark's priority).
   */
  static Termination install(PrintStream err) {
    Termination t = new Termination(err);
    for (Signal s : Signal.values()) {
      sun.misc.Signal os = new sun.misc.Signal(s.name());
      try {
        SignalHandler before = sun.misc.Signal.handle(os, sig -> t.onSignal(s));
        if (before == SignalHandler.SIG_IGN) {
          sun.misc.Signal.handle(os, SignalHandler.SIG_IGN);
        }
      } catch (IllegalArgumentException e) {
        LOG.debug("cannot handle {} here", s, e); // e.g. the JVM was started with -Xrs
      }
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> t.foreign.compareAndSet(null, t.decided == null && t.signal.get() == null),
                "echo-lstm-exit-origin"));
    org.apache.hadoop.util.ShutdownHookManager.get()
        .addShutdownHook(t::onShutdown, HOOK_PRIORITY, GRACE.toSeconds() + 5, TimeUnit.SECONDS);
    return t;
  }

  /**
   * Below Spark's own hook (which stops the SparkContext: {@code FileSystem.SHUTDOWN_HOOK_PRIORITY
   * + 30}) and above Hadoop's file system cache (which closes the results file system: {@code
   * FileSystem.SHUTDOWN_HOOK_PRIORITY}).
   */
  static final int HOOK_PRIORITY = org.apache.hadoop.fs.FileSystem.SHUTDOWN_HOOK_PRIORITY + 20;

  /** A termination that handles no signal and ends no JVM: commands run inside another program. */
  static Termination unattached(PrintStream err) {
    return new Termination(err);
  }

  /**
   * Marks the part of a command that must finish its own cleanup before the JVM ends (Spark
   * running, a lease held): after a signal the JVM waits for it (up to {@link #GRACE}).
   *
   * @param resume what was done so far and how to resume, for the line an interruption gets
   */
  Guard guard(Supplier<String> resume) {
    Guard g = new Guard(resume);
    guard = g;
    return g;
  }

  /** See {@link #guard}: closed once the command has cleaned up. */
  final class Guard implements AutoCloseable {
    private final Supplier<String> resume;
    private final CountDownLatch closed = new CountDownLatch(1);

    private Guard(Supplier<String> resume) {
      this.resume = resume;
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }

  /**
   * The exit code of a command that failed after it may have started Spark, with its one line
   * written: 128 + the signal's number when a signal stopped it (the line says so, and how to
   * resume), otherwise 1 with {@code failure.line()}. The stack trace goes to the log, except for
   * an interruption, whose errors are only Spark stopping.
   */
  int failed(Failure failure) {
    Signal s = signal.get();
    if (s != null) {
      LOG.debug("{} stopped by {}", failure.command(), s, failure.cause());
      write(interrupted(failure.command(), s, failure.where()));
      return s.exitCode();
    }
    LOG.error("{}", failure.line(), failure.cause());
    write(failure.line());
    return Main.FAILED;
  }

  /** The line of a command stopped by {@code s}. */
  private String interrupted(String command, Signal s, String where) {
    Guard g = guard;
    String resume = "";
    if (g != null) {
      try {
        resume = g.resume.get();
      } catch (RuntimeException e) {
        LOG.debug("cannot tell what was committed", e);
      }
    }
    return (command == null ? "" : command + " ")
        + "interrupted by "
        + s
        + (where == null || where.isBlank() ? "" : " " + where)
        + (resume.isBlank() ? "" : "; " + resume);
  }

  /** Writes the line once: the first caller's line is the one the user reads. */
  private void write(String line) {
    if (lineWritten.compareAndSet(false, true)) {
      err.println("echo-lstm: " + line);
      err.flush();
    }
  }

  /** Ends the JVM with {@code code}, as decided by the command. */
  void exit(int code) {
    decided = code;
    Signal s = signal.get();
    if (s != null) {
      write(interrupted(null, s, "")); // the command finished as the signal came: say so anyway
    }
    err.flush();
    System.exit(code);
  }

  /** Records the command's code without ending the JVM (an unattached termination's exit). */
  int decide(int code) {
    decided = code;
    return code;
  }

  /**
   * A signal arrived: the first one starts the JVM's shutdown with its code (Spark's hook stops the
   * context, the command fails, cleans up and reports through {@link #failed}); a second one ends
   * the JVM at once.
   */
  private void onSignal(Signal s) {
    if (!received(s)) {
      err.println("echo-lstm: " + s + " again: stopping at once");
      err.flush();
      Runtime.getRuntime().halt(signal.get().exitCode());
    }
    // Spark's threads may print while it stops under the command (a callback its stopped thread
    // pools reject prints its stack trace to System.err): that goes to the log at debug level; the
    // run's own line goes to the stderr this termination was given.
    System.setErr(new PrintStream(new LineSink(LOG::debug), true, StandardCharsets.UTF_8));
    System.exit(s.exitCode());
  }

  /** An output stream that hands each line written to it, without its line end, to a consumer. */
  static final class LineSink extends OutputStream {
    private final Consumer<String> lines;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineSink(Consumer<String> lines) {
      this.lines = lines;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        emit();
      } else if (b != '\r') {
        line.write(b);
      }
    }

    @Override
    public synchronized void close() {
      if (line.size() > 0) {
        emit();
      }
    }

    private void emit() {
      lines.accept(line.toString(StandardCharsets.UTF_8));
      line.reset();
    }
  }

  /**
   * Records that {@code s} arrived; from now on a failure is this signal's interruption.
   *
   * @return false when a signal had already arrived
   */
  boolean received(Signal s) {
    return signal.compareAndSet(null, s);
  }

  /**
   * The JVM is ending. After a signal, waits (up to {@link #GRACE}) for a guarded command to clean
   * up, and writes the interrupted line if the command did not. When neither the command nor a
   * signal ended it (a Spark thread called {@code System.exit}), writes the line and ends the JVM
   * with exit code 1 instead of that thread's code.
   */
  private void onShutdown() {
    // Whether this exit is the command's or a signal's: anything else is a foreign System.exit.
    foreign.compareAndSet(null, decided == null && signal.get() == null);
    boolean ours = !foreign.get();
    if (ours && decided != null) {
      return;
    }
    Guard g = guard;
    if (g != null) {
      try {
        if (!g.closed.await(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn("the command did not stop within {} s; ending it", GRACE.toSeconds());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Signal s = signal.get();
    if (s != null) {
      write(interrupted(null, s, ""));
      return;
    }
    if (!ours) {
      write(
          "ended by a System.exit outside the job (a fatal error in a Spark thread: see the log)");
      Integer code = decided;
      Runtime.getRuntime().halt(code == null || code == Main.OK ? Main.FAILED : code);
    }
  }
}
