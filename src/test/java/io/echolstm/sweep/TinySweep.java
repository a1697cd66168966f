package io.echolstm.sweep;

import io.echolstm.config.ConfigLoader;

/** A two-point sweep (window 3, lags 0 and 1) that trains in about a second per point. */
final class TinySweep {
  private TinySweep() {}

  /** The tiny sweep's settings; callers add their own before loading. */
  static ConfigLoader loader() {
    return new ConfigLoader()
        .set("data.values=10")
        .set("data.sequence-length=8")
        .set("data.train-sequences=40")
        .set("data.eval-sequences=10")
        .set("data.validation-sequences=10")
        .set("data.partitions=1")
        .set("model.hidden=4")
        .set("sweep.windows=3")
        .set("sweep.lags=0,1")
        .set("train.workers=1")
        .set("train.epochs=1");
  }
}
