package io.echolstm.train;

import io.echolstm.codec.Inputs;
import io.echolstm.codec.OneHot;
import io.echolstm.codec.PackedBatch;
import io.echolstm.model.ResidentNetworks;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parameter averaging whose workers stay resident: each worker (one partition of the cached
 * minibatches) keeps its {@link MultiLayerNetwork} in its executor's JVM ({@link ResidentNetworks})
 * across averaging rounds and across the caller's evaluations, instead of building one per round.
 *
 * <p>The semantics are dl4j-spark's parameter averaging: in each round every worker starts from the
 * averaged parameters, the averaged updater state (zeros when {@code saveUpdater} is off) and the
 * iteration count reached so far, fits its next {@code averagingFrequency} minibatches of the chunk
 * in the chunk's order, and the driver averages the parameters and updater states of the workers
 * that fitted (in partition order, so the sum is the same on every run). A round is one Spark job
 * over the cached minibatches, which run where they are cached; the state travels in the task and
 * its result. With one worker averaging is the identity, so a chunk is one job (when the updater
 * state is kept). A worker whose network was evicted or lost (a new executor) builds it again from
 * the round's state, so the result does not depend on where tasks ran.
 */
final class ResidentAveraging implements DistributedTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(ResidentAveraging.class);
  private final JavaSparkContext jsc;
  private final MultiLayerConfiguration conf;
  private final int workers;
  private final int averagingFrequency;
  private final boolean saveUpdater;
  private final boolean collectStats;
  private final String id = "resident-" + UUID.randomUUID();

  /** The averaged state: the source of truth between rounds. */
  private float[] params;

  private float[] updater;
  private int iterations;

  /** The driver's copy for evaluation and saving, brought up to date on demand. */
  private final MultiLayerNetwork network;

  private boolean networkCurrent = true;
  private double seconds;
  private long windows;
  private double score = Double.NaN;
  private final RoundTimes times = new RoundTimes();

  ResidentAveraging(
      JavaSparkContext jsc,
      MultiLayerConfiguration conf,
      int workers,
      int averagingFrequency,
      boolean saveUpdater,
      boolean collectStats) {
    if (workers < 1 || averagingFrequency < 1) {
      throw new IllegalArgumentException(
          "workers and averaging frequency must be >= 1, found "
              + workers
              + ", "
              + averagingFrequency);
    }
    this.jsc = jsc;
    this.conf = conf.clone();
    this.workers = workers;
    this.averagingFrequency = averagingFrequency;
    this.saveUpdater = saveUpdater;
    this.collectStats = collectStats;
    this.network = new MultiLayerNetwork(conf.clone());
    network.init();
    this.params = network.params().toFloatVector();
    INDArray state = network.getUpdater().getStateViewArray();
    this.updater = state == null ? null : state.toFloatVector();
    this.iterations = network.getIterationCount();
  }

  /**
   * A round's minibatches; but one worker that keeps its updater has nothing to average with, so a
   * chunk of any length is one job.
   */
  @Override
  public int chunkUnit() {
    return averagesEveryRound() ? averagingFrequency : 1;
  }

  private boolean averagesEveryRound() {
    return workers > 1 || !saveUpdater;
  }

  @Override
  public void fit(Minibatches batches, int epoch, int chunk, int chunks, long windows) {
    long start = System.nanoTime();
    int unit = chunkUnit();
    int longest = batches.longestChunk(chunk, chunks, unit);
    int perRound = averagesEveryRound() ? averagingFrequency : Math.max(1, longest);
    for (int from = 0; from < longest; from += perRound) {
      round(batches, epoch, chunk, chunks, unit, from, perRound);
    }
    networkCurrent = false;
    seconds += (System.nanoTime() - start) / 1e9;
    this.windows += windows;
  }

  private void round(
      Minibatches batches, int epoch, int chunk, int chunks, int unit, int from, int count) {
    long start = System.nanoTime();
    FitRound task =
        new FitRound(
            id,
            conf,
            params,
            saveUpdater ? updater : null,
            iterations,
            batches.seed(),
            epoch,
            chunk,
            chunks,
            unit,
            from,
            count,
            batches.inputs());
    List<WorkerResult> results = batches.cached().mapPartitionsWithIndex(task, true).collect();
    long collected = System.nanoTime();
    if (results.isEmpty()) {
      return;
    }
    params = mean(results.stream().map(r -> FloatBytes.unpack(r.params())).toList());
    if (saveUpdater && updater != null) {
      updater = mean(results.stream().map(r -> FloatBytes.unpack(r.updater())).toList());
    }
    double scores = 0;
    for (WorkerResult r : results) {
      iterations = Math.max(iterations, r.iterations());
      scores += r.score();
    }
    score = scores / results.size();
    if (collectStats) {
      times.add(results, collected - start, System.nanoTime() - collected);
    }
    if (LOG.isDebugEnabled()) {
      StringBuilder workers = new StringBuilder();
      for (WorkerResult r : results) {
        workers.append(
            String.format(
                Locale.ROOT,
                " [worker %d: %d minibatches, set-up %.0f ms, fit %.0f ms]",
                r.partition(),
                r.minibatches(),
                r.setupNanos() / 1e6,
                r.fitNanos() / 1e6));
      }
      LOG.debug(
          "round of {} ms:{}",
          String.format(Locale.ROOT, "%.0f", (collected - start) / 1e6),
          workers);
    }
  }

  /** The element-wise mean, summed in the given (partition) order. */
  static float[] mean(List<float[]> arrays) {
    float[] sum = arrays.get(0).clone();
    for (int k = 1; k < arrays.size(); k++) {
      float[] a = arrays.get(k);
      for (int i = 0; i < sum.length; i++) {
        sum[i] += a[i];
      }
    }
    if (arrays.size() > 1) {
      float n = arrays.size();
      for (int i = 0; i < sum.length; i++) {
        sum[i] /= n;
      }
    }
    return sum;
  }

  @Override
  public double seconds() {
    return seconds;
  }

  @Override
  public long windows() {
    return windows;
  }

  @Override
  public double score() {
    return score;
  }

  @Override
  public MultiLayerNetwork network() {
    if (!networkCurrent) {
      ResidentNetworks.setState(network, params, saveUpdater ? updater : null, iterations);
      networkCurrent = true;
    }
    return network;
  }

  @Override
  public int workers() {
    return workers;
  }

  @Override
  public Optional<String> trainingStats() {
    return collectStats ? Optional.of(times.toString()) : Optional.empty();
  }

  @Override
  public void close() {
    // In local mode the executor is this JVM; on a cluster the executors drop idle networks.
    ResidentNetworks.release(id);
  }

  /** What a worker sends back after its share of a round (float arrays as {@link FloatBytes}). */
  record WorkerResult(
      int partition,
      byte[] params,
      byte[] updater,
      double score,
      int iterations,
      int minibatches,
      long setupNanos,
      long fitNanos)
      implements Serializable {}

  /**
   * One worker's share of a round: its resident network set to the round's state, then fitted on
   * minibatches {@code from .. from+count-1} of its chunk selection ({@link Minibatches#selected},
   * cut at multiples of {@code unit}). A worker with none returns nothing and is left out of the
   * average.
   */
  static final class FitRound
      implements Function2<Integer, Iterator<PackedBatch>, Iterator<WorkerResult>> {
    private final String trainer;
    private final MultiLayerConfiguration conf;
    private final byte[] params;
    private final byte[] updater;
    private final int iterations;
    private final long seed;
    private final int epoch;
    private final int chunk;
    private final int chunks;
    private final int unit;
    private final int from;
    private final int count;
    private final Inputs inputs;

    FitRound(
        String trainer,
        MultiLayerConfiguration conf,
        float[] params,
        float[] updater,
        int iterations,
        long seed,
        int epoch,
        int chunk,
        int chunks,
        int unit,
        int from,
        int count,
        Inputs inputs) {
      this.trainer = trainer;
      this.conf = conf;
      this.params = FloatBytes.pack(params);
      this.updater = FloatBytes.pack(updater);
      this.iterations = iterations;
      this.seed = seed;
      this.epoch = epoch;
      this.chunk = chunk;
      this.chunks = chunks;
      this.unit = unit;
      this.from = from;
      this.count = count;
      this.inputs = inputs;
    }

    @Override
    public Iterator<WorkerResult> call(Integer partition, Iterator<PackedBatch> cached) {
      List<PackedBatch> all = new ArrayList<>();
      cached.forEachRemaining(all::add);
      int[] selected =
          Minibatches.selected(all.size(), seed, epoch, partition, chunk, chunks, unit);
      int to = Math.min(selected.length, from + count);
      if (from >= to) {
        return List.<WorkerResult>of().iterator();
      }
      long start = System.nanoTime();
      float[] state = FloatBytes.unpack(params);
      MultiLayerNetwork net = ResidentNetworks.acquire(trainer + "/" + partition, conf, state);
      synchronized (net) {
        ResidentNetworks.setState(net, state, FloatBytes.unpack(updater), iterations);
        long fitStart = System.nanoTime();
        for (int i = from; i < to; i++) {
          // Freed as soon as it is fitted: the network reads a minibatch only while fitting it.
          try (OneHot.Batch batch = inputs.encode(all.get(selected[i]))) {
            net.fit(batch.toDataSet());
          }
        }
        long fitEnd = System.nanoTime();
        INDArray fitted = updater == null ? null : net.getUpdater().getStateViewArray();
        Nd4j.getExecutioner().commit();
        return List.of(
                new WorkerResult(
                    partition,
                    FloatBytes.pack(net.params().toFloatVector()),
                    fitted == null ? null : FloatBytes.pack(fitted.toFloatVector()),
                    net.score(),
                    net.getIterationCount(),
                    to - from,
                    fitStart - start,
                    fitEnd - fitStart))
            .iterator();
      }
    }
  }

  /** The time split of the rounds so far (train.collect-stats). */
  static final class RoundTimes {
    private long rounds;
    private long minibatches;
    private long roundNanos;
    private long averageNanos;
    private long slowestSetupNanos;
    private long slowestFitNanos;

    void add(List<WorkerResult> results, long roundNanos, long averageNanos) {
      rounds++;
      this.roundNanos += roundNanos;
      this.averageNanos += averageNanos;
      long setup = 0;
      long fit = 0;
      for (WorkerResult r : results) {
        minibatches += r.minibatches();
        setup = Math.max(setup, r.setupNanos());
        fit = Math.max(fit, r.fitNanos());
      }
      slowestSetupNanos += setup;
      slowestFitNanos += fit;
    }

    @Override
    public String toString() {
      double n = Math.max(1, rounds);
      return String.format(
          Locale.ROOT,
          "resident averaging: %d rounds, %d minibatches; per round (ms): job %.1f, of which"
              + " slowest worker's set-up %.1f and fit %.1f (the rest: scheduling, shipping the"
              + " state, collecting); averaging on the driver %.1f",
          rounds,
          minibatches,
          roundNanos / 1e6 / n,
          slowestSetupNanos / 1e6 / n,
          slowestFitNanos / 1e6 / n,
          averageNanos / 1e6 / n);
    }
  }
}
