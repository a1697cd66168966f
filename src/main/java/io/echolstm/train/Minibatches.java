package io.echolstm.train;

import io.echolstm.codec.Inputs;
import io.echolstm.codec.PackedBatch;
import io.echolstm.data.Seeds;
import io.echolstm.window.Frame;
import io.echolstm.window.FrameRows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A point's training windows as minibatches that stay on the executors that built them: framed rows
 * are spread over one partition per worker, shuffled and grouped into minibatches inside each
 * partition, and cached there as integers (a few bytes per window, not a one-hot array). Each
 * {@link #chunk} is a slice of every partition, one-hot encoded as it is fitted, so training never
 * moves data between executors and needs no shared file system. Closing it releases the cache.
 */
public final class Minibatches implements AutoCloseable {
  private final JavaRDD<PackedBatch> cached;
  private final List<int[]> sizes;
  private final long seed;
  private final Inputs inputs;

  private Minibatches(JavaRDD<PackedBatch> cached, List<int[]> sizes, long seed, Inputs inputs) {
    this.cached = cached;
    this.sizes = sizes;
    this.seed = seed;
    this.inputs = inputs;
  }

  /**
   * Builds and caches the minibatches of {@code frames} (rows of {@link
   * io.echolstm.window.WindowFrames#SCHEMA}), one partition of frames per worker, each ordered by
   * {@code (seq_id, pos)} as {@link io.echolstm.window.WindowFrames#frame} leaves them. Runs one
   * Spark job; only the minibatch sizes reach the driver.
   */
  public static Minibatches build(Dataset<Row> frames, int batchSize, long seed, Inputs inputs) {
    JavaRDD<PackedBatch> cached =
        frames
            .toJavaRDD()
            .mapPartitionsWithIndex(new BatchPartition(batchSize, seed), true)
            .persist(StorageLevel.MEMORY_ONLY());
    List<int[]> sizes;
    try {
      sizes = cached.mapPartitions(new Sizes()).collect();
    } catch (RuntimeException e) {
      cached.unpersist(false);
      throw e;
    }
    return new Minibatches(cached, List.copyOf(sizes), seed, inputs);
  }

  /** Minibatches in each partition (one partition per worker). */
  public int[] minibatchesPerPartition() {
    return sizes.stream().mapToInt(s -> s.length).toArray();
  }

  /** Examples (frames) over all minibatches. */
  public long examples() {
    long n = 0;
    for (int[] s : sizes) {
      for (int k : s) {
        n += k;
      }
    }
    return n;
  }

  /**
   * Chunk {@code chunk} of {@code chunks} of epoch {@code epoch}: from each partition, the
   * minibatches whose rank in that epoch's seeded permutation falls in the chunk's share. The
   * chunks of one epoch cover every minibatch exactly once.
   */
  public JavaRDD<DataSet> chunk(int epoch, int chunk, int chunks) {
    return chunk(epoch, chunk, chunks, 1);
  }

  /** As {@link #chunk(int, int, int)}, cut at multiples of {@code unit} ({@link #selected}). */
  public JavaRDD<DataSet> chunk(int epoch, int chunk, int chunks, int unit) {
    return cached
        .mapPartitionsWithIndex(new SelectChunk(seed, epoch, chunk, chunks, unit), true)
        .map(new Encode(inputs));
  }

  /**
   * The most minibatches any partition has in chunk {@code chunk} of {@code chunks} cut in whole
   * {@code unit}s ({@link #selected}), computed on the driver from the sizes alone.
   */
  int longestChunk(int chunk, int chunks, int unit) {
    int most = 0;
    for (int[] s : sizes) {
      int[] b = bounds(s.length, chunk, chunks, unit);
      most = Math.max(most, b[1] - b[0]);
    }
    return most;
  }

  /**
   * Chunks per epoch for about {@code wanted} of them, at least one, and no more than the longest
   * partition has {@code unit}s of minibatches (so no chunk is empty everywhere).
   */
  public int chunksPerEpoch(long wanted, int unit) {
    int most = 0;
    for (int[] s : sizes) {
      most = Math.max(most, (s.length + unit - 1) / unit);
    }
    return (int) Math.max(1, Math.min(Math.max(1, most), wanted));
  }

  /** The cached minibatches, one partition per worker, for trainers of this package. */
  JavaRDD<PackedBatch> cached() {
    return cached;
  }

  /** The seed of the epochs' minibatch order ({@link #selected}). */
  long seed() {
    return seed;
  }

  /** How the minibatches are encoded for the network. */
  Inputs inputs() {
    return inputs;
  }

  /** Examples in {@link #chunk}, computed on the driver from the sizes alone. */
  public long chunkExamples(int epoch, int chunk, int chunks) {
    return chunkExamples(epoch, chunk, chunks, 1);
  }

  /** Examples in a chunk cut in whole {@code unit}s ({@link #selected}), from the sizes alone. */
  public long chunkExamples(int epoch, int chunk, int chunks, int unit) {
    long n = 0;
    for (int p = 0; p < sizes.size(); p++) {
      int[] s = sizes.get(p);
      for (int i : selected(s.length, seed, epoch, p, chunk, chunks, unit)) {
        n += s[i];
      }
    }
    return n;
  }

  /**
   * Indices (into a partition's {@code n} minibatches) of one chunk: a seeded permutation of {@code
   * 0..n-1} per (seed, epoch, partition), cut into {@code chunks} nearly equal consecutive slices.
   */
  static int[] selected(int n, long seed, int epoch, int partition, int chunk, int chunks) {
    return selected(n, seed, epoch, partition, chunk, chunks, 1);
  }

  /**
   * As {@link #selected(int, long, int, int, int, int)}, the slices cut only at multiples of {@code
   * unit} (an averaging round's minibatches), so every chunk but the epoch's last holds whole
   * units. With {@code unit} 1 the slices are the same.
   */
  static int[] selected(
      int n, long seed, int epoch, int partition, int chunk, int chunks, int unit) {
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    SplittableRandom rng =
        new SplittableRandom(
            Seeds.derive(
                Seeds.derive(seed, Seeds.ORDER_STREAM, epoch), Seeds.ORDER_STREAM, partition));
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    int[] b = bounds(n, chunk, chunks, unit);
    int[] out = new int[b[1] - b[0]];
    System.arraycopy(perm, b[0], out, 0, out.length);
    return out;
  }

  /** {@code [from, to)} of a chunk's slice of {@code n} minibatches cut at multiples of unit. */
  private static int[] bounds(int n, int chunk, int chunks, int unit) {
    long units = (n + (long) unit - 1) / unit;
    int from = (int) Math.min(n, unit * ((long) chunk * units / chunks));
    int to = (int) Math.min(n, unit * ((long) (chunk + 1) * units / chunks));
    return new int[] {from, to};
  }

  @Override
  public void close() {
    cached.unpersist(false);
  }

  /** Shuffles a partition's frames (seeded by partition) and groups them into minibatches. */
  static final class BatchPartition
      implements Function2<Integer, Iterator<Row>, Iterator<PackedBatch>> {
    private final int batchSize;
    private final long seed;

    BatchPartition(int batchSize, long seed) {
      this.batchSize = batchSize;
      this.seed = seed;
    }

    @Override
    public Iterator<PackedBatch> call(Integer partition, Iterator<Row> rows) {
      List<Frame> frames = new ArrayList<>();
      rows.forEachRemaining(r -> frames.add(FrameRows.frame(r)));
      return batches(frames, batchSize, Seeds.derive(seed, Seeds.ORDER_STREAM, -1L - partition))
          .iterator();
    }
  }

  /** {@code frames} shuffled with {@code seed} and cut into minibatches of {@code batchSize}. */
  static List<PackedBatch> batches(List<Frame> frames, int batchSize, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Frame[] all = frames.toArray(new Frame[0]);
    for (int i = all.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      Frame t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    List<PackedBatch> out = new ArrayList<>();
    for (int from = 0; from < all.length; from += batchSize) {
      out.add(
          PackedBatch.of(Arrays.asList(all).subList(from, Math.min(all.length, from + batchSize))));
    }
    return out;
  }

  /** The number of frames in each minibatch of a partition. */
  static final class Sizes
      implements org.apache.spark.api.java.function.FlatMapFunction<Iterator<PackedBatch>, int[]> {
    @Override
    public Iterator<int[]> call(Iterator<PackedBatch> batches) {
      List<Integer> out = new ArrayList<>();
      batches.forEachRemaining(b -> out.add(b.size()));
      return List.of(out.stream().mapToInt(Integer::intValue).toArray()).iterator();
    }
  }

  /** Keeps the minibatches of one chunk (see {@link #selected}). */
  static final class SelectChunk
      implements Function2<Integer, Iterator<PackedBatch>, Iterator<PackedBatch>> {
    private final long seed;
    private final int epoch;
    private final int chunk;
    private final int chunks;
    private final int unit;

    SelectChunk(long seed, int epoch, int chunk, int chunks, int unit) {
      this.seed = seed;
      this.epoch = epoch;
      this.chunk = chunk;
      this.chunks = chunks;
      this.unit = unit;
    }

    @Override
    public Iterator<PackedBatch> call(Integer partition, Iterator<PackedBatch> batches) {
      List<PackedBatch> all = new ArrayList<>();
      batches.forEachRemaining(all::add);
      List<PackedBatch> out = new ArrayList<>();
      for (int i : selected(all.size(), seed, epoch, partition, chunk, chunks, unit)) {
        out.add(all.get(i));
      }
      return out.iterator();
    }
  }

  /** One-hot encodes a minibatch where it is fitted. */
  static final class Encode implements Function<PackedBatch, DataSet> {
    private final Inputs inputs;

    Encode(Inputs inputs) {
      this.inputs = inputs;
    }

    @Override
    public DataSet call(PackedBatch batch) {
      return inputs.encode(batch).toDataSet();
    }
  }
}
