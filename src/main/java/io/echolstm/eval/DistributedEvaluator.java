package io.echolstm.eval;

import io.echolstm.train.RowToDataSet;
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

/** Scores framed held-out windows on the executors with a broadcast copy of the network. */
public final class DistributedEvaluator {
  private DistributedEvaluator() {}

  /** Accuracy and loss of {@code network} over every row of {@code windows}. */
  public static Metrics evaluate(
      JavaSparkContext jsc,
      MultiLayerNetwork network,
      Dataset<Row> windows,
      int values,
      int batchSize) {
    Broadcast<String> conf = jsc.broadcast(network.getLayerWiseConfigurations().toJson());
    Broadcast<INDArray> params = jsc.broadcast(network.params().dup());
    try {
      return windows
          .toJavaRDD()
          .mapPartitions(new ScorePartition(conf, params, values, batchSize))
          .fold(Metrics.EMPTY, Metrics::plus);
    } finally {
      conf.destroy();
      params.destroy();
    }
  }

  /** The windows of one sequence, in position order, for an "expected vs predicted" line. */
  public static Scorer.Window[] sample(Dataset<Row> windows, long sequenceId) {
    List<Row> rows =
        windows.where(windows.col("seq_id").equalTo(sequenceId)).orderBy("pos").collectAsList();
    Scorer.Window[] out = new Scorer.Window[rows.size()];
    for (int i = 0; i < out.length; i++) {
      Row row = rows.get(i);
      out[i] = new Scorer.Window(RowToDataSet.features(row), row.getInt(row.fieldIndex("label")));
    }
    return out;
  }

  /** Rebuilds the network once per partition and scores the partition's windows. */
  static final class ScorePartition implements FlatMapFunction<Iterator<Row>, Metrics> {
    private final Broadcast<String> conf;
    private final Broadcast<INDArray> params;
    private final int values;
    private final int batchSize;

    ScorePartition(Broadcast<String> conf, Broadcast<INDArray> params, int values, int batchSize) {
      this.conf = conf;
      this.params = params;
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
      Iterator<Scorer.Window> windows =
          new Iterator<>() {
            @Override
            public boolean hasNext() {
              return rows.hasNext();
            }

            @Override
            public Scorer.Window next() {
              Row row = rows.next();
              return new Scorer.Window(
                  RowToDataSet.features(row), row.getInt(row.fieldIndex("label")));
            }
          };
      return List.of(new Scorer(net, values, batchSize).score(windows)).iterator();
    }
  }
}
