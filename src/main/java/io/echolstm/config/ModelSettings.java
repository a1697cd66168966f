package io.echolstm.config;

import java.util.List;

/**
 * The {@code model.*} settings: the network's shape and implementation, and whether it is saved.
 *
 * @param hidden LSTM hidden sizes to sweep, each {@code >= 1} (a point trains one of them)
 * @param lstm the LSTM layer's implementation (both compute the same function)
 * @param save whether the experiment's points save their trained networks
 */
public record ModelSettings(List<Integer> hidden, LstmImplementation lstm, ModelSave save) {
  public ModelSettings {
    hidden = List.copyOf(Settings.MODEL_HIDDEN.check(hidden));
    Settings.MODEL_LSTM.check(lstm);
    Settings.MODEL_SAVE.check(save);
  }
}
