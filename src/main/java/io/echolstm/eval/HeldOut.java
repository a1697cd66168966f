package io.echolstm.eval;

import io.echolstm.model.ResidentNetworks;
import io.echolstm.window.Frame;
import io.echolstm.window.FrameRows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * A point's held-out frames (its validation or test stream), framed once and cached on the
 * executors however often they are scored: one array of frames per partition, which Spark sizes by
 * sampling instead of walking thousands of small objects. Closing it releases the cache.
 */
public final class HeldOut implements AutoCloseable {
  private final JavaRDD<Frame[]> blocks;

  /** Names the networks the executors keep to score these frames ({@link ResidentNetworks}). */
  private final String id = "held-out-" + UUID.randomUUID();

  private HeldOut(JavaRDD<Frame[]> blocks) {
    this.blocks = blocks;
  }

  String id() {
    return id;
  }

  /** Caches the framed rows ({@link io.echolstm.window.WindowFrames#SCHEMA}); computed here. */
  public static HeldOut cache(Dataset<Row> frames) {
    JavaRDD<Frame[]> blocks =
        frames.toJavaRDD().mapPartitions(new ToBlock(), true).persist(StorageLevel.MEMORY_ONLY());
    try {
      blocks.count();
    } catch (RuntimeException | Error e) {
      blocks.unpersist(false);
      throw e;
    }
    return new HeldOut(blocks);
  }

  /** One array of frames per partition, in the framed order. */
  JavaRDD<Frame[]> blocks() {
    return blocks;
  }

  /** Every frame, partition after partition. */
  public JavaRDD<Frame> frames() {
    return blocks.flatMap(new Unblock());
  }

  /**
   * Releases the cache, and the scoring networks of this JVM (in local mode, every one; executors
   * of a cluster drop theirs when idle).
   */
  @Override
  public void close() {
    blocks.unpersist(false);
    ResidentNetworks.release(id);
  }

  static final class ToBlock implements FlatMapFunction<Iterator<Row>, Frame[]> {
    @Override
    public Iterator<Frame[]> call(Iterator<Row> rows) {
      List<Frame> frames = new ArrayList<>();
      rows.forEachRemaining(r -> frames.add(FrameRows.frame(r)));
      return List.<Frame[]>of(frames.toArray(new Frame[0])).iterator();
    }
  }

  static final class Unblock implements FlatMapFunction<Frame[], Frame> {
    @Override
    public Iterator<Frame> call(Frame[] block) {
      return Arrays.asList(block).iterator();
    }
  }
}
