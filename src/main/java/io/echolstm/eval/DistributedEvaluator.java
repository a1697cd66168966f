package io.echolstm.eval;

import io.echolstm.codec.Inputs;
import io.echolstm.model.ResidentNetworks;
import io.echolstm.window.Frame;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.Function2;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Scores a point's {@link HeldOut} frames on the executors: the network's configuration and
 * parameters travel with the job, and each executor keeps a network per partition of those frames
 * between evaluations.
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
        .mapPartitionsWithIndex(
            new ScoreBlock(
                frames.id(),
                network.getLayerWiseConfigurations(),
                pack(network.params().toFloatVector()),
                inputs,
                batchSize,
                sequenceId),
            true)
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

  /**
   * Scores a partition's frames with the network its executor keeps for these frames ({@link
   * ResidentNetworks}), set to this evaluation's parameters: no network is built per evaluation.
   */
  static final class ScoreBlock implements Function2<Integer, Iterator<Frame[]>, Iterator<Scored>> {
    private final String owner;
    private final MultiLayerConfiguration conf;
    private final byte[] params;
    private final Inputs inputs;
    private final int batchSize;
    private final long sequenceId;

    ScoreBlock(
        String owner,
        MultiLayerConfiguration conf,
        byte[] params,
        Inputs inputs,
        int batchSize,
        long sequenceId) {
      this.owner = owner;
      this.conf = conf;
      this.params = params;
      this.inputs = inputs;
      this.batchSize = batchSize;
      this.sequenceId = sequenceId;
    }

    @Override
    public Iterator<Scored> call(Integer partition, Iterator<Frame[]> blocks) {
      Scored total = Scored.EMPTY;
      while (blocks.hasNext()) {
        Frame[] block = blocks.next();
        if (block.length > 0) {
          total = total.plus(score(partition, block));
        }
      }
      return List.of(total).iterator();
    }

    private Scored score(int partition, Frame[] block) {
      float[] values = unpack(params);
      MultiLayerNetwork net = ResidentNetworks.acquire(owner + "/" + partition, conf, values);
      synchronized (net) {
        try (INDArray p = ResidentNetworks.row(values)) {
          net.setParams(p);
        }
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
}
