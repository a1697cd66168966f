package io.echolstm.sweep;

import io.echolstm.codec.Inputs;
import io.echolstm.train.Minibatches;
import io.echolstm.window.Frame;
import org.apache.spark.api.java.JavaRDD;

/**
 * A point's prepared data: its training minibatches, cached on the executors, and its cached
 * validation and test frames. Closing it releases them, also when the point failed.
 *
 * @param inputs how the point's frames are encoded as network inputs
 * @param batches the training minibatches, one partition per worker
 * @param validation the validation stream's frames (decides when training stops)
 * @param test the test stream's frames (reported)
 * @param trainWindows labelled training windows per epoch
 * @param prepareSeconds the time to frame, batch and cache it all
 */
record PointData(
    Inputs inputs,
    Minibatches batches,
    JavaRDD<Frame> validation,
    JavaRDD<Frame> test,
    long trainWindows,
    double prepareSeconds)
    implements AutoCloseable {

  @Override
  public void close() {
    release(batches, validation, test);
  }

  /** Releases whatever of a point's data exists (null: not made). */
  static void release(Minibatches batches, JavaRDD<Frame> validation, JavaRDD<Frame> test) {
    try {
      if (batches != null) {
        batches.close();
      }
    } finally {
      unpersist(validation);
      unpersist(test);
    }
  }

  private static void unpersist(JavaRDD<?> rdd) {
    if (rdd != null) {
      rdd.unpersist(false);
    }
  }
}
