package io.echolstm.predict;

import io.echolstm.codec.Inputs;
import io.echolstm.config.Variant;
import io.echolstm.eval.Scorer;
import io.echolstm.files.BoundedFile;
import io.echolstm.files.FileRefusedException;
import io.echolstm.model.ModelFile;
import io.echolstm.model.ModelFileException;
import io.echolstm.model.ModelInfo;
import io.echolstm.window.Frame;
import io.echolstm.window.Framing;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A saved model ({@link ModelFile}) and what it echoes for a sequence: the sequence is framed
 * exactly as training framed it ({@link Framing}, with the model's variant, window and lag) and
 * scored as the results' sample columns are ({@link Scorer#expectedAndPredicted}): one expected and
 * one predicted value per framed window (per labelled step for a single stateful or seq2seq frame),
 * as the tutorial's last lines print them.
 */
public final class Predictor {
  /** The longest sequence accepted: a few thousand one-hot windows fit in one forward pass. */
  public static final int MAX_SEQUENCE = 1_000;

  private final ModelFile.Saved model;

  private Predictor(ModelFile.Saved model) {
    this.model = model;
  }

  /** What a sequence's windows should echo and what the network echoed. */
  public record Echo(int[] expected, int[] predicted) {
    /** The tutorial's two lines: {@code Expected: [...]} and {@code Predicted: [...]}. */
    public String lines() {
      return "Expected:  "
          + Arrays.toString(expected)
          + "\nPredicted: "
          + Arrays.toString(predicted)
          + "\n";
    }
  }

  /**
   * Loads a model file from any Hadoop file system ({@code results/_models/...}, {@code file:},
   * {@code hdfs://}).
   *
   * @throws PredictException when the file is missing, unreadable, or not a model the sweep saved
   */
  public static Predictor load(String path, Configuration hadoop) throws PredictException {
    if (path == null || path.isBlank()) {
      throw new PredictException("model path must not be empty");
    }
    byte[] bytes;
    try {
      Path p = new Path(path);
      bytes =
          BoundedFile.read(p.getFileSystem(hadoop), p, ModelFile.MAX_BYTES, "model file")
              .orElseThrow(() -> new PredictException("model file does not exist: " + path));
    } catch (FileRefusedException e) {
      throw new PredictException(e.getMessage(), e);
    } catch (IOException | IllegalArgumentException e) {
      // IllegalArgumentException: a path Hadoop cannot parse, e.g. "a:b" or an empty authority.
      throw new PredictException(
          "cannot read model file " + path + ": " + e.getClass().getSimpleName() + " " + oneLine(e),
          e);
    }
    try {
      return new Predictor(ModelFile.read(bytes, path));
    } catch (ModelFileException e) {
      throw new PredictException(e.getMessage(), e);
    }
  }

  public ModelInfo info() {
    return model.info();
  }

  /** One line saying what the model does, printed before its echo. */
  public String describe() {
    ModelInfo i = model.info();
    return "model: "
        + i.variant().id()
        + ", window "
        + i.window()
        + ", lag "
        + i.lag()
        + ", values 0.."
        + (i.values() - 1)
        + ", hidden "
        + i.hidden()
        + " (experiment "
        + i.experiment()
        + ", run "
        + i.runId()
        + ", point "
        + i.pointId()
        + ")";
  }

  /**
   * Parses a comma-separated sequence such as {@code 3,14,15,92,65,35} (blanks around values
   * allowed) and checks every value against the model's range.
   *
   * @throws PredictException naming the first bad value and its position (1-based)
   */
  public int[] parse(String text) throws PredictException {
    if (text == null || text.isBlank()) {
      throw new PredictException("sequence is empty: expected integers like 3,14,15,92,65,35");
    }
    String[] parts = text.split(",", -1);
    if (parts.length > MAX_SEQUENCE) {
      throw new PredictException(
          "sequence has " + parts.length + " values, at most " + MAX_SEQUENCE + " are accepted");
    }
    int values = model.info().values();
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i].strip();
      if (part.isEmpty()) {
        throw new PredictException(
            "sequence value " + (i + 1) + " is empty in '" + text.strip() + "'");
      }
      if (!part.matches("[+-]?[0-9]+")) {
        throw new PredictException(
            "sequence value " + (i + 1) + " is not an integer: '" + part + "'");
      }
      long v;
      try {
        v = Long.parseLong(part);
      } catch (NumberFormatException e) {
        v = part.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
      }
      if (v < 0 || v >= values) {
        throw outOfRange(i + 1, part, values);
      }
      out[i] = (int) v;
    }
    return out;
  }

  /** {@link #parse} then {@link #echo(int[])}. */
  public Echo echo(String sequence) throws PredictException {
    return echo(parse(sequence));
  }

  /**
   * What the model echoes for {@code sequence}.
   *
   * @throws PredictException when a value is out of the model's range or the sequence is too short
   *     to frame one labelled window (shorter than the window, or than the lag + 1)
   */
  public Echo echo(int[] sequence) throws PredictException {
    ModelInfo info = model.info();
    for (int i = 0; i < sequence.length; i++) {
      if (sequence[i] < 0 || sequence[i] >= info.values()) {
        throw outOfRange(i + 1, sequence[i], info.values());
      }
    }
    checkLength(sequence.length, info);
    List<Frame> frames = Framing.frame(info.variant(), 0, sequence, info.window(), info.lag());
    int[][] echo =
        new Scorer(
                model.network(),
                new Inputs(info.variant(), info.values(), info.window()),
                Math.max(1, frames.size()))
            .expectedAndPredicted(frames);
    if (echo[0].length == 0) {
      // checkLength admits only sequences with a labelled window; this is a guard, not a path.
      throw new PredictException(
          "sequence of " + sequence.length + " values gives this model no window to echo");
    }
    return new Echo(echo[0], echo[1]);
  }

  private static PredictException outOfRange(int position, Object shown, int values) {
    return new PredictException(
        "sequence value "
            + position
            + " is out of range: "
            + shown
            + " (this model reads integers 0.."
            + (values - 1)
            + ")");
  }

  /**
   * The shortest sequence with a labelled window: a full window for the variants that need one
   * (stateless, seq2seq, stateful), and a value {@code lag} steps back for every variant.
   */
  static void checkLength(int length, ModelInfo info) throws PredictException {
    Variant v = info.variant();
    boolean fullWindows = v == Variant.STATELESS || v == Variant.SEQ2SEQ || v == Variant.STATEFUL;
    if (length > MAX_SEQUENCE) {
      throw new PredictException(
          "sequence has " + length + " values, at most " + MAX_SEQUENCE + " are accepted");
    }
    if (v == Variant.WHOLE_SEQUENCE && length > info.sequenceLength()) {
      throw new PredictException(
          "sequence of "
              + length
              + " values is longer than the "
              + info.sequenceLength()
              + " this whole-sequence model was trained on");
    }
    if (fullWindows && length < info.window()) {
      throw new PredictException(
          "sequence of "
              + length
              + " values is shorter than the model's window of "
              + info.window());
    }
    if (length <= info.lag()) {
      throw new PredictException(
          "sequence of "
              + length
              + " values is too short for the model's lag of "
              + info.lag()
              + ": at least "
              + (info.lag() + 1)
              + " values are needed");
    }
  }

  private static String oneLine(Throwable t) {
    String m = t.getMessage() == null ? "" : t.getMessage().strip();
    int newline = m.indexOf('\n');
    return newline < 0 ? m : m.substring(0, newline);
  }
}
