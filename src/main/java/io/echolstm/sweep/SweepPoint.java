package io.echolstm.sweep;

import io.echolstm.config.DataSettings;
import io.echolstm.config.PointSettings;
import io.echolstm.config.Setting;
import io.echolstm.config.Settings;
import io.echolstm.config.SettingsException;
import io.echolstm.config.TrainSettings;
import io.echolstm.config.Variant;
import io.echolstm.window.Framing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One model to train: every setting that decides its result. Its {@link #key()} is stable across
 * runs, so a rerun can tell which points a results table already holds.
 */
public record SweepPoint(
    String experiment,
    Variant variant,
    int lag,
    int window,
    int hidden,
    long seed,
    DataSettings data,
    TrainSettings train,
    int evalBatchSize)
    implements PointSettings {

  public SweepPoint {
    Objects.requireNonNull(experiment, "experiment");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(train, "train");
    if (lag < 0 || lag >= data.sequenceLength()) {
      throw new SettingsException(Settings.SWEEP_LAGS.key(), "lag out of range: " + lag);
    }
    if (window < 1 || window > data.sequenceLength()) {
      throw new SettingsException(Settings.SWEEP_WINDOWS.key(), "window out of range: " + window);
    }
    if (hidden < 1) {
      throw new SettingsException(
          Settings.MODEL_HIDDEN.key(), "hidden size out of range: " + hidden);
    }
  }

  /**
   * True when the label cannot be in the model's input (e.g. lag >= window): the point is kept as a
   * control that should stay at chance.
   */
  public boolean control() {
    return !variant.labelReachable(lag, window);
  }

  /**
   * Training windows per sequence: the samples framed from it that carry a label. A stateful frame
   * also holds windows before the first label ({@code lag >= window}); they are fed for the state
   * they carry but not counted.
   */
  public int windowsPerSequence() {
    return Framing.labelledSamplesPerSequence(variant, data.sequenceLength(), window, lag);
  }

  /**
   * The experiment and every per-point setting ({@link Settings#perPoint()}, in declaration order)
   * as {@code name=value}: equal keys mean the same training.
   */
  public String key() {
    StringBuilder key = new StringBuilder("experiment=").append(experiment);
    for (Setting<?> setting : Settings.perPoint()) {
      key.append(' ').append(setting.pointKeyEntry(this));
    }
    return key.toString();
  }

  /** This point with {@code train.workers=auto} resolved, as its row records it. */
  public SweepPoint withWorkers(int workers) {
    return new SweepPoint(
        experiment,
        variant,
        lag,
        window,
        hidden,
        seed,
        data,
        train.withWorkers(workers),
        evalBatchSize);
  }

  /** A short, path-safe id derived from {@link #key()}. */
  public String id() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key().getBytes(StandardCharsets.UTF_8));
      return "p" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** What a person needs to recognise the point in a log line or a Spark job description. */
  public String label() {
    return experiment
        + " variant="
        + variant.id()
        + " lag="
        + lag
        + " window="
        + window
        + " hidden="
        + hidden;
  }
}
