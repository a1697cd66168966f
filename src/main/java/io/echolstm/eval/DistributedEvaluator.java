package io.echolstm.eval;

import io.echolstm.codec.Inputs;
import io.echolstm.window.Frame;
import io.echolstm.window.FrameRows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Scores framed held-out samples on the executors with a broadcast copy of the network. */
public final class DistributedEvaluator {
  private DistributedEvaluator() {}

  /**
   * Framed rows as cached {@link Frame}s, so a point's held-out frames are generated and framed
   * once however often they are scored; computed before this returns. The caller unpersists them.
   */
  public static JavaRDD<Frame> cache(Dataset<Row> frames) {
    JavaRDD<Frame> cached =
        frames.toJavaRDD().map(new ToFrame()).persist(StorageLevel.MEMORY_ONLY());
    cached.count();
    return cached;
  }

  /** Metrics of {@code network} over every frame of {@code frames}. */
  public static Metrics evaluate(
      JavaSparkContext jsc,
      MultiLayerNetwork network,
      Inputs inputs,
      JavaRDD<Frame> frames,
      int batchSize) {
    Broadcast<String> conf = jsc.broadcast(network.getLayerWiseConfigurations().toJson());
    Broadcast<INDArray> params = jsc.broadcast(network.params().dup());
    try {
      return frames
          .mapPartitions(new ScorePartition(conf, params, inputs, batchSize))
          .fold(Metrics.EMPTY, Metrics::plus);
    } finally {
      conf.destroy();
      params.destroy();
    }
  }

  /** The frames of one sequence, in position order, for an "expected vs predicted" line. */
  public static List<Frame> sample(JavaRDD<Frame> frames, long sequenceId) {
    List<Frame> out = new ArrayList<>(frames.filter(new OfSequence(sequenceId)).collect());
    out.sort(Comparator.comparingInt(Frame::pos));
    return out;
  }

  static final class ToFrame implements Function<Row, Frame> {
    @Override
    public Frame call(Row row) {
      return FrameRows.frame(row);
    }
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

  /** Rebuilds the network once per partition and scores the partition's frames. */
  static final class ScorePartition implements FlatMapFunction<Iterator<Frame>, Metrics> {
    private final Broadcast<String> conf;
    private final Broadcast<INDArray> params;
    private final Inputs inputs;
    private final int batchSize;

    ScorePartition(
        Broadcast<String> conf, Broadcast<INDArray> params, Inputs inputs, int batchSize) {
      this.conf = conf;
      this.params = params;
      this.inputs = inputs;
      this.batchSize = batchSize;
    }

    @Override
    public Iterator<Metrics> call(Iterator<Frame> frames) {
      if (!frames.hasNext()) {
        return List.of(Metrics.EMPTY).iterator();
      }
      MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(conf.value()));
      net.init(params.value(), true);
      return List.of(new Scorer(net, inputs, batchSize).score(frames)).iterator();
    }
  }
}
