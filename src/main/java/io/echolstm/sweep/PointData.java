package io.echolstm.sweep;

import io.echolstm.codec.Inputs;
import io.echolstm.eval.HeldOut;
import io.echolstm.train.Minibatches;

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
    HeldOut validation,
    HeldOut test,
    long trainWindows,
    double prepareSeconds)
    implements AutoCloseable {

  @Override
  public void close() {
    release(batches, validation, test);
  }

  /** Releases whatever of a point's data exists (null: not made). */
  static void release(Minibatches batches, HeldOut validation, HeldOut test) {
    try {
      if (batches != null) {
        batches.close();
      }
    } finally {
      unpersist(validation);
      unpersist(test);
    }
  }

  private static void unpersist(HeldOut frames) {
    if (frames != null) {
      frames.close();
    }
  }
}
