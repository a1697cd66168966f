package io.echolstm.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.nd4j.linalg.api.buffer.DataType;

/** DL4J's LSTM layer with {@link FastLstmHelper} installed; one helper per layer instance. */
public class FastLstmLayer extends LSTM {
  private final FastLstmHelper fast;

  public FastLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
    this.fast = new FastLstmHelper();
    this.helper = fast;
  }

  public FastLstmHelper fastHelper() {
    return fast;
  }

  /** DL4J's count of helper failures (stays 0: fallback is disabled by {@link FastLstm}). */
  public int helperFailures() {
    return helperCountFail;
  }
}
