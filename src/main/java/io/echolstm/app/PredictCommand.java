package io.echolstm.app;

import io.echolstm.predict.PredictException;
import io.echolstm.predict.Predictor;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code predict}: what a model the sweep saved echoes for a sequence, printed as the tutorial's
 * last lines print it. Loads the model in this JVM; no Spark session is started.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    sortOptions = false,
    description = {
      "Print what a saved model echoes for a sequence: for each window of the sequence (framed as"
          + " in training), the expected value (lag steps back) and the model's prediction, as"
          + " the tutorial's 'Expected:' and 'Predicted:' lines. Starts no Spark session.",
      "Exit codes: 0 done, 2 a missing or unreadable model file or a bad sequence."
    })
final class PredictCommand implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE",
      description =
          "A model file the sweep saved: the results directory joined with the row's model_path,"
              + " e.g. results/_models/run_id=R/point_id=P.zip (any Hadoop file system: file:,"
              + " hdfs://...).")
  String model;

  @Option(
      names = "--sequence",
      required = true,
      paramLabel = "N,N,...",
      description =
          "Comma-separated integers in the model's range (0..values-1), at least a window long,"
              + " e.g. 3,14,15,92,65,35.")
  String sequence;

  PredictCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    try {
      Predictor predictor = Predictor.load(model, SparkSetup.hadoopConfiguration());
      Predictor.Echo echo = predictor.echo(sequence);
      out.println(predictor.describe());
      out.print(echo.lines());
      return Main.OK;
    } catch (PredictException e) {
      err.println("echo-lstm: " + e.getMessage());
      return Main.BAD_INPUT;
    }
  }
}
