package io.echolstm.eval;

import io.echolstm.codec.Inputs;
import io.echolstm.window.Frame;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scores a point's {@link HeldOut} frames on the executors, each task with a copy of the network
 * built from its configuration and parameters, which travel with the job.
 */
public final class DistributedEvaluator {
  private DistributedEvaluator() {}

  /** Metrics, and the expected and predicted echo of one sequence (empty when it has no frames). */
  public record Scored(Metrics metrics, int[] expected, int[] predicted) implements Serializable {
    static final Scored EMPTY = new Scored(Metrics.EMPTY, new int[0], new int[0]);

    Scored plus(Scored other) {
      return new Scored(
          metrics.plus(other.metrics),
          expected.length > 0 ? expected : other.expected,
          predicted.length > 0 ? predicted : other.predicted);
    }
  }

  /** Metrics of {@code network} over every frame of {@code frames}. */
  public static Metrics evaluate(
      JavaSparkContext jsc,
      MultiLayerNetwork network,
      Inputs inputs,
      HeldOut frames,
      int batchSize) {
    return score(network, inputs, frames, batchSize, -1).metrics();
  }

  /**
   * Metrics of {@code network} over every frame of {@code frames} and, in the same job, its echo of
   * sequence {@code sequenceId} ({@link Scorer#expectedAndPredicted}).
   */
  public static Scored evaluateWithSample(
      JavaSparkContext jsc,
      MultiLayerNetwork network,
      Inputs inputs,
      HeldOut frames,
      int batchSize,
      long sequenceId) {
    return score(network, inputs, frames, batchSize, sequenceId);
  }

  private static Scored score(
      MultiLayerNetwork network, Inputs inputs, HeldOut frames, int batchSize, long sequenceId) {
    return frames
        .blocks()
        .map(
            new ScoreBlock(
                network.getLayerWiseConfigurations(),
                pack(network.params().toFloatVector()),
                inputs,
                batchSize,
                sequenceId))
        .fold(Scored.EMPTY, Scored::plus);
  }

  /** The frames of one sequence, in position order, for an "expected vs predicted" line. */
  public static List<Frame> sample(HeldOut frames, long sequenceId) {
    List<Frame> out = new ArrayList<>(frames.frames().filter(new OfSequence(sequenceId)).collect());
    out.sort(Comparator.comparingInt(Frame::pos));
    return out;
  }

  /** Parameters as bytes: Java serialization writes a {@code float[]} one element at a time. */
  private static byte[] pack(float[] values) {
    byte[] out = new byte[values.length * Float.BYTES];
    ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
    return out;
  }

  private static float[] unpack(byte[] bytes) {
    float[] out = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  static final class OfSequence implements Function<Frame, Boolean> {
    private final long sequenceId;

    OfSequence(long sequenceId) {
      this.sequenceId = sequenceId;
    }

    @Override
    public Boolean call(Frame f) {
      return f.seqId() == sequenceId;
    }
  }

  /** Builds the network once per partition and scores the partition's frames. */
  static final class ScoreBlock implements Function<Frame[], Scored> {
    private final MultiLayerConfiguration conf;
    private final byte[] params;
    private final Inputs inputs;
    private final int batchSize;
    private final long sequenceId;

    ScoreBlock(
        MultiLayerConfiguration conf,
        byte[] params,
        Inputs inputs,
        int batchSize,
        long sequenceId) {
      this.conf = conf;
      this.params = params;
      this.inputs = inputs;
      this.batchSize = batchSize;
      this.sequenceId = sequenceId;
    }

    @Override
    public Scored call(Frame[] block) {
      if (block.length == 0) {
        return Scored.EMPTY;
      }
      float[] values = unpack(params);
      MultiLayerNetwork net = new MultiLayerNetwork(conf.clone());
      net.init(Nd4j.createFromArray(values).reshape(1, values.length), false);
      Scorer scorer = new Scorer(net, inputs, batchSize);
      Metrics metrics = scorer.score(Arrays.asList(block).iterator());
      List<Frame> sample = new ArrayList<>();
      for (Frame f : block) {
        if (f.seqId() == sequenceId) {
          sample.add(f);
        }
      }
      if (sample.isEmpty()) {
        return new Scored(metrics, new int[0], new int[0]);
      }
      sample.sort(Comparator.comparingInt(Frame::pos));
      int[][] echo = scorer.expectedAndPredicted(sample);
      return new Scored(metrics, echo[0], echo[1]);
    }
  }
}
