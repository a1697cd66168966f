package io.echolstm.config;

import java.util.List;
import java.util.Objects;

/**
 * One named experiment of a config: fixed data and training settings plus the lists its sweep
 * expands over.
 *
 * @param name experiment name, as in the config and the results table
 * @param description free text from the config (may be empty)
 * @param seed base seed
 * @param data data generation settings
 * @param train training settings
 * @param evalBatchSize windows scored per forward pass in evaluation
 * @param lags lags to sweep, each {@code >= 0} and shorter than the sequence
 * @param windows windows to sweep, each {@code >= 1} and no longer than the sequence
 * @param hidden LSTM hidden sizes to sweep, each {@code >= 1}
 * @param variants model variants to sweep
 * @param concurrency points trained at once, or {@link #AUTO_CONCURRENCY}
 * @param modelSave whether the experiment's points save their trained networks
 */
public record ExperimentSettings(
    String name,
    String description,
    long seed,
    DataSettings data,
    TrainSettings train,
    int evalBatchSize,
    List<Integer> lags,
    List<Integer> windows,
    List<Integer> hidden,
    List<Variant> variants,
    int concurrency,
    ModelSave modelSave) {

  /** Derive the concurrency from the cluster's cores and the workers per point. */
  public static final int AUTO_CONCURRENCY = 0;

  public ExperimentSettings {
    Objects.requireNonNull(name, "name");
    description = description == null ? "" : description;
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(train, "train");
    Settings.EVAL_BATCH_SIZE.check(evalBatchSize);
    lags = List.copyOf(Settings.SWEEP_LAGS.check(lags));
    windows = List.copyOf(Settings.SWEEP_WINDOWS.check(windows));
    hidden = List.copyOf(Settings.MODEL_HIDDEN.check(hidden));
    variants = List.copyOf(Settings.SWEEP_VARIANTS.check(variants));
    Settings.SWEEP_CONCURRENCY.check(concurrency);
    Settings.MODEL_SAVE.check(modelSave);
    for (int lag : lags) {
      if (lag >= data.sequenceLength()) {
        throw new SettingsException(
            Settings.SWEEP_LAGS.key(),
            "lag must be < sequence length " + data.sequenceLength() + ", found " + lag);
      }
    }
    for (int window : windows) {
      if (window > data.sequenceLength()) {
        throw new SettingsException(
            Settings.SWEEP_WINDOWS.key(),
            "window must be <= sequence length " + data.sequenceLength() + ", found " + window);
      }
    }
    if (variants.contains(Variant.STATEFUL) && train.lstm() == LstmImplementation.DL4J) {
      // DL4J 1.0.0-M2's truncated BPTT backpropagates each segment from a zero state while its
      // outputs came from the carried state (see FastLstmLayer): wrong gradients, silently.
      throw new SettingsException(
          Settings.MODEL_LSTM.key(),
          "the stateful variant needs model.lstm=fast: DL4J's own LSTM layer computes truncated-BPTT"
              + " gradients from a zero state instead of the carried one, found "
              + train.lstm().id());
    }
  }
}
