package io.echolstm.testing;

import io.echolstm.codec.Inputs;
import io.echolstm.config.LstmImplementation;
import io.echolstm.config.Variant;
import io.echolstm.model.ModelFile;
import io.echolstm.model.ModelInfo;
import io.echolstm.model.NetworkFactory;
import io.echolstm.window.Frame;
import io.echolstm.window.Framing;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Small networks trained locally (no Spark) on the echo task, and saved as the sweep saves them.
 */
public final class TinyModels {
  private TinyModels() {}

  /** A problem small enough to learn in seconds. */
  public record Problem(Variant variant, int values, int window, int lag, int length) {
    public ModelInfo info() {
      return new ModelInfo(
          variant,
          window,
          lag,
          values,
          HIDDEN,
          length,
          "tiny",
          "test-run",
          "p0123456789abcdef",
          "experiment=tiny variant=" + variant.id());
    }
  }

  public static final int HIDDEN = 16;

  /**
   * A {@link LstmImplementation#FAST} network fitted on {@code steps} minibatches of 32 sequences.
   */
  public static MultiLayerNetwork trained(Problem p, int steps, long seed) {
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            NetworkFactory.build(
                p.variant(), p.values(), HIDDEN, 0.05, seed, p.window(), LstmImplementation.FAST));
    net.init();
    Random rnd = new Random(seed);
    for (int step = 0; step < steps; step++) {
      List<Frame> frames = new ArrayList<>();
      for (int s = 0; s < 32; s++) {
        int[] seq = new int[p.length()];
        for (int k = 0; k < seq.length; k++) {
          seq[k] = rnd.nextInt(p.values());
        }
        frames.addAll(Framing.frame(p.variant(), s, seq, p.window(), p.lag()));
      }
      net.fit(new Inputs(p.variant(), p.values(), p.window()).encode(frames).toDataSet());
    }
    return net;
  }

  /** Writes {@code net} as the sweep does ({@link ModelFile#write}) to {@code file}. */
  public static Path save(MultiLayerNetwork net, ModelInfo info, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      ModelFile.write(net, info, out);
    }
    return file;
  }
}
