package io.echolstm.config;

import java.util.List;
import java.util.Objects;

/**
 * One named experiment of a config: one record per key prefix ({@code sweep.*} in {@link
 * SweepSettings}, {@code data.*} in {@link DataSettings}, and so on) plus the seeds, and the checks
 * that span two of them.
 *
 * @param name experiment name, as in the config and the results table
 * @param description free text from the config (may be empty)
 * @param seed base seeds: every point of the grid once per seed, a replicate
 * @param sweep the lists the sweep expands over, and its concurrency
 * @param data data generation settings
 * @param model the network's settings (its hidden sizes are swept too)
 * @param train training settings and stop rules
 * @param eval evaluation settings
 */
public record ExperimentSettings(
    String name,
    String description,
    List<Long> seed,
    SweepSettings sweep,
    DataSettings data,
    ModelSettings model,
    TrainSettings train,
    EvalSettings eval) {

  public ExperimentSettings {
    Objects.requireNonNull(name, "name");
    description = description == null ? "" : description;
    seed = List.copyOf(Settings.SEED.check(seed));
    Objects.requireNonNull(sweep, "sweep");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(eval, "eval");
    for (int lag : sweep.lags()) {
      if (lag >= data.sequenceLength()) {
        throw new SettingsException(
            Settings.SWEEP_LAGS.key(),
            "lag must be < sequence length " + data.sequenceLength() + ", found " + lag);
      }
    }
    for (int window : sweep.windows()) {
      if (window > data.sequenceLength()) {
        throw new SettingsException(
            Settings.SWEEP_WINDOWS.key(),
            "window must be <= sequence length " + data.sequenceLength() + ", found " + window);
      }
    }
    if (sweep.lagSearch() == LagSearch.FRONTIER && train.targetAccuracy().isEmpty()) {
      // A probe "reaches" its lag when its validation accuracy reaches the target: without one,
      // there is nothing to search for.
      throw new SettingsException(
          Settings.SWEEP_LAG_SEARCH.key(),
          "sweep.lag-search=frontier needs train.target-accuracy (a probe reaches its lag when its"
              + " validation accuracy reaches the target, e.g. train.target-accuracy=0.99), found"
              + " none");
    }
    if (sweep.variants().contains(Variant.STATEFUL) && model.lstm() == LstmImplementation.DL4J) {
      // DL4J 1.0.0-M2's truncated BPTT backpropagates each segment from a zero state while its
      // outputs came from the carried state (see FastLstmLayer): wrong gradients, silently.
      throw new SettingsException(
          Settings.MODEL_LSTM.key(),
          "the stateful variant needs model.lstm=fast: DL4J's own LSTM layer computes truncated-BPTT"
              + " gradients from a zero state instead of the carried one, found "
              + model.lstm().id());
    }
  }
}
