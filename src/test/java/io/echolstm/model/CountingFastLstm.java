package io.echolstm.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;

/** The fast LSTM configuration whose layers run a {@link CountingFastLstmHelper}. */
class CountingFastLstm extends FastLstm {

  /** A counting copy of {@code template} (a DL4J or fast LSTM configuration). */
  static CountingFastLstm counting(LSTM template) {
    return copy(template, new CountingFastLstm());
  }

  /**
   * {@code conf} with each fast LSTM layer (also under a {@link LastTimeStep}) made counting; the
   * same parameters, initialisation and math.
   */
  static MultiLayerConfiguration counting(MultiLayerConfiguration conf) {
    for (NeuralNetConfiguration layer : conf.getConfs()) {
      if (layer.getLayer() instanceof FastLstm fast) {
        layer.setLayer(counting(fast));
      } else if (layer.getLayer() instanceof LastTimeStep last
          && last.getUnderlying() instanceof FastLstm fast) {
        last.setUnderlying(counting(fast));
      }
    }
    return conf;
  }

  @Override
  FastLstmHelper newHelper() {
    return new CountingFastLstmHelper();
  }

  @Override
  public CountingFastLstm clone() {
    return (CountingFastLstm) super.clone();
  }
}
