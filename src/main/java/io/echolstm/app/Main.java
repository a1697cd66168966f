package io.echolstm.app;

import io.echolstm.config.Settings;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Entry point: parses the command line and dispatches to the {@code sweep}, {@code plan}, {@code
 * report} and {@code predict} commands, mapping what they did to the exit code. Each parses and
 * validates everything first; {@code sweep} then runs on the session spark-submit configured
 * ({@code local[*]} when no master is set) and prints the run's summary table, {@code plan} prints
 * the points it would train, {@code report} writes the charts of runs read back from the table,
 * {@code predict} echoes a sequence with a saved model, without Spark.
 *
 * <p>Exit codes: 0 done, 1 the sweep failed, 2 bad arguments or config (nothing was run).
 */
public final class Main {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int BAD_INPUT = 2;

  private Main() {}

  public static void main(String[] args) {
    Termination termination = Termination.install(System.err);
    int code;
    try {
      code = commandLine(System.out, System.err, termination).execute(args);
    } catch (Throwable t) {
      // Every command maps its failures to a code; this is the last line of defence, never a bare
      // "Exception in thread main".
      code = termination.failed(new Termination.Failure(null, "", "failed: " + describe(t), t));
    }
    termination.exit(code);
  }

  /**
   * The command tree: {@code sweep}, {@code plan} and {@code predict}, with help and version
   * options on each. Bad options get one line and exit code 2; anything a command did not map to a
   * code gets one line and exit code 1.
   */
  static CommandLine commandLine(PrintStream out, PrintStream err, Termination termination) {
    CommandLine cli = new CommandLine(new EchoLstmCommand(err));
    cli.addSubcommand(withKeys(new CommandLine(new SweepCommand(out, err, termination))));
    cli.addSubcommand(withKeys(new CommandLine(new PlanCommand(out, err))));
    cli.addSubcommand(new CommandLine(new ReportCommand(out, err, termination)));
    cli.addSubcommand(new CommandLine(new PredictCommand(out, err)));
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setParameterExceptionHandler(
        (e, args) -> {
          String command = e.getCommandLine().getCommandSpec().qualifiedName();
          err.println("echo-lstm: " + e.getMessage() + " (see '" + command + " --help')");
          return BAD_INPUT;
        });
    cli.setExecutionExceptionHandler(
        (e, command, parsed) ->
            termination.failed(
                new Termination.Failure(
                    command.getCommandName(), "", "failed: " + describe(e), e)));
    return cli;
  }

  /**
   * The config keys, from their declarations, at the end of a command's help: printed as they are
   * (picocli would re-wrap the aligned lines).
   */
  private static CommandLine withKeys(CommandLine command) {
    String keys =
        String.join(
            System.lineSeparator(),
            "",
            "Keys (--set KEY=VALUE, or in a config file; experiment.NAME.KEY for one experiment):",
            Settings.usage().stripTrailing(),
            "",
            "Exit codes: 0 done, 1 failed (committed points stay), 2 bad arguments or config.",
            "");
    command
        .getHelpSectionMap()
        .put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, h -> keys);
    return command;
  }

  /**
   * A failure's own message and, when it is not already there, its root cause: e.g. {@code cannot
   * read results directory hdfs://nn/x: ConnectException: Connection refused}. One line.
   */
  static String withCause(Throwable t) {
    String message = firstLine(t.getMessage());
    String root = rootCause(t);
    Throwable r = t;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    if (message.isEmpty()) {
      message = root;
    } else if (r != t && !message.contains(firstLine(r.getMessage()))) {
      message += ": " + root;
    }
    return message.length() > 400 ? message.substring(0, 400) + " ..." : message;
  }

  /** The innermost cause of {@code t}: its class and the first line of its message. */
  static String rootCause(Throwable t) {
    Throwable r = t;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    String name =
        r.getClass().getSimpleName().isEmpty()
            ? r.getClass().getName()
            : r.getClass().getSimpleName();
    String message = firstLine(r.getMessage());
    return message.isEmpty() ? name : name + ": " + message;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    String line = message.strip().lines().findFirst().orElse("");
    // Hadoop's IPC errors append a wiki link: not part of what went wrong.
    int more = line.indexOf("; For more details see:");
    return more >= 0 ? line.substring(0, more) : line;
  }

  /**
   * A throwable on one short line: its class and the first line of its message; an out-of-memory
   * error anywhere in it (a task's, which reaches the driver as text inside Spark's job failure) is
   * named as such, with what to change.
   */
  static String describe(Throwable t) {
    String oom = outOfMemory(t);
    if (oom != null) {
      return "out of memory ("
          + oom
          + "): give the job more memory (scripts/run.sh: DRIVER_MEMORY and MAX_PHYSICAL_MEMORY on a"
          + " local master; spark.executor.memory on a cluster) or smaller batches"
          + " (train.batch-size, eval.batch-size) (stack trace in the log)";
    }
    String message = t.getMessage() == null ? "" : t.getMessage().strip();
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline).strip() + " ...";
    }
    if (message.length() > 400) {
      message = message.substring(0, 400) + " ...";
    }
    String name =
        t.getClass().getSimpleName().isEmpty()
            ? t.getClass().getName()
            : t.getClass().getSimpleName();
    return (message.isEmpty() ? name : name + ": " + message) + " (stack trace in the log)";
  }

  private static final java.util.regex.Pattern OOM_TEXT =
      java.util.regex.Pattern.compile("OutOfMemoryError(: [^\\n]*)?");

  /**
   * The innermost out-of-memory error in {@code t}'s causes, or in their messages (a failed task's
   * error reaches the driver as text in Spark's job failure), as one line; null if there is none.
   */
  static String outOfMemory(Throwable t) {
    String found = null;
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof OutOfMemoryError) {
        found =
            "OutOfMemoryError" + (c.getMessage() == null ? "" : ": " + firstLine(c.getMessage()));
      } else if (c.getMessage() != null) {
        java.util.regex.Matcher m = OOM_TEXT.matcher(c.getMessage());
        while (m.find()) {
          found = m.group().strip();
        }
      }
    }
    if (found != null && found.length() > 200) {
      found = found.substring(0, 200) + " ...";
    }
    return found;
  }
}
