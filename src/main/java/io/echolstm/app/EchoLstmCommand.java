package io.echolstm.app;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** The top command: names the subcommands; run without one it says which exist. */
@Command(
    name = "echo-lstm",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = {
      "Sweeps of the echo-random-integers LSTM experiments on Spark and DL4J.",
      "scripts/run.sh submits this jar; it adds 'sweep' when the first argument is an option."
    })
final class EchoLstmCommand implements Callable<Integer> {
  private final PrintStream err;

  EchoLstmCommand(PrintStream err) {
    this.err = err;
  }

  @Override
  public Integer call() {
    err.println(
        "echo-lstm: expected a command: sweep, plan, report, predict (see 'echo-lstm --help';"
            + " 'echo-lstm COMMAND"
            + " --help' for one)");
    return Main.BAD_INPUT;
  }
}
