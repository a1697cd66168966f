package io.echolstm.sweep;

import io.echolstm.config.DataSettings;
import io.echolstm.data.SequenceFrames;
import io.echolstm.window.WindowFrames;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's generated sequences, shared by its points: a seed stream is generated and co-located by
 * sequence ({@link WindowFrames#colocate}) once per seed, data settings and partition count, cached
 * on the executors, and every point with those settings frames it with no further shuffle. The rows
 * are the ones each point would generate itself, so sharing changes no result. At most {@link
 * #CAPACITY} streams are kept (the least recently used is released); closing releases them all.
 */
final class SequenceCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SequenceCache.class);

  /** Streams kept at once: three per data setting, so a few seeds' or settings' worth. */
  static final int CAPACITY = 24;

  /** What decides a stream's rows and their partitioning. */
  record Key(
      long seed,
      long stream,
      int sequences,
      int generated,
      int values,
      int length,
      int partitions) {}

  private final SparkSession spark;
  private final Map<Key, Dataset<Row>> cached = new LinkedHashMap<>(16, 0.75f, true);

  SequenceCache(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * The {@code (seq_id, pos, value)} rows of {@code sequences} sequences of stream {@code stream},
   * generated as {@code data} says and co-located in {@code partitions} partitions, cached.
   */
  synchronized Dataset<Row> colocated(
      long seed, long stream, int sequences, DataSettings data, int partitions) {
    Key key =
        new Key(
            seed,
            stream,
            sequences,
            data.partitions(),
            data.values(),
            data.sequenceLength(),
            partitions);
    Dataset<Row> rows = cached.get(key);
    if (rows == null) {
      rows =
          WindowFrames.colocate(
                  SequenceFrames.generate(
                      spark,
                      seed,
                      stream,
                      sequences,
                      data.partitions(),
                      data.values(),
                      data.sequenceLength()),
                  partitions)
              .persist(StorageLevel.MEMORY_ONLY());
      cached.put(key, rows);
      evictBeyondCapacity();
      LOG.debug("sequences cached: {}", key);
    }
    return rows;
  }

  private void evictBeyondCapacity() {
    Iterator<Map.Entry<Key, Dataset<Row>>> oldest = cached.entrySet().iterator();
    while (cached.size() > CAPACITY && oldest.hasNext()) {
      oldest.next().getValue().unpersist(false);
      oldest.remove();
    }
  }

  @Override
  public synchronized void close() {
    cached.values().forEach(d -> d.unpersist(false));
    cached.clear();
  }
}
