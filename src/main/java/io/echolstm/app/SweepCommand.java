package io.echolstm.app;

import io.echolstm.config.SettingsException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sweep}: trains every point not yet in the run and writes its row. */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    sortOptions = false,
    description = {
      "Train and evaluate every point of the sweep on the Spark master spark-submit names"
          + " (local[*] when none), one row per point in the Parquet results table.",
      "Everything is validated before Spark starts."
    })
final class SweepCommand implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;

  @Mixin RunOptions options = new RunOptions();

  @Option(
      names = {"-v", "--verbose"},
      description = "Also log each planned point with every setting (DEBUG level of echo-lstm).")
  boolean verbose;

  SweepCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    Main.Prepared prepared;
    try {
      prepared = Main.prepare(options);
    } catch (SettingsException e) {
      err.println("echo-lstm: " + e.getMessage());
      return Main.BAD_INPUT;
    }
    if (verbose) {
      Configurator.setLevel("io.echolstm", Level.DEBUG);
    }
    return Main.sweep(prepared, out, err);
  }
}
