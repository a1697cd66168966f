package io.echolstm.eval;

import io.echolstm.config.Variant;
import io.echolstm.train.RowToDataSet;
import io.echolstm.window.Frame;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Scores framed held-out samples on the executors with a broadcast copy of the network. */
public final class DistributedEvaluator {
  private DistributedEvaluator() {}

  /** Metrics of {@code network} over every row of {@code frames}. */
  public static Metrics evaluate(
      JavaSparkContext jsc,
      MultiLayerNetwork network,
      Variant variant,
      Dataset<Row> frames,
      int values,
      int batchSize) {
    Broadcast<String> conf = jsc.broadcast(network.getLayerWiseConfigurations().toJson());
    Broadcast<INDArray> params = jsc.broadcast(network.params().dup());
    try {
      return frames
          .toJavaRDD()
          .mapPartitions(new ScorePartition(conf, params, variant, values, batchSize))
          .fold(Metrics.EMPTY, Metrics::plus);
    } finally {
      conf.destroy();
      params.destroy();
    }
  }

  /** The frames of one sequence, in position order, for an "expected vs predicted" line. */
  public static List<Frame> sample(Dataset<Row> frames, long sequenceId) {
    List<Frame> out = new ArrayList<>();
    for (Row row :
        frames.where(frames.col("seq_id").equalTo(sequenceId)).orderBy("pos").collectAsList()) {
      out.add(RowToDataSet.frame(row));
    }
    return out;
  }

  /** Rebuilds the network once per partition and scores the partition's frames. */
  static final class ScorePartition implements FlatMapFunction<Iterator<Row>, Metrics> {
    private final Broadcast<String> conf;
    private final Broadcast<INDArray> params;
    private final Variant variant;
    private final int values;
    private final int batchSize;

    ScorePartition(
        Broadcast<String> conf,
        Broadcast<INDArray> params,
        Variant variant,
        int values,
        int batchSize) {
      this.conf = conf;
      this.params = params;
      this.variant = variant;
      this.values = values;
      this.batchSize = batchSize;
    }

    @Override
    public Iterator<Metrics> call(Iterator<Row> rows) {
      if (!rows.hasNext()) {
        return List.of(Metrics.EMPTY).iterator();
      }
      MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(conf.value()));
      net.init(params.value(), true);
      Iterator<Frame> frames =
          new Iterator<>() {
            @Override
            public boolean hasNext() {
              return rows.hasNext();
            }

            @Override
            public Frame next() {
              return RowToDataSet.frame(rows.next());
            }
          };
      return List.of(new Scorer(net, variant, values, batchSize).score(frames)).iterator();
    }
  }
}
