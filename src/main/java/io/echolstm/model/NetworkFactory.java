package io.echolstm.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The tutorial's network: one LSTM layer over one-hot inputs ({@code [batch, values, window]}), its
 * last time step fed to a softmax layer of the same width; cross-entropy loss, Adam.
 */
public final class NetworkFactory {
  private NetworkFactory() {}

  /**
   * @param values one-hot width of inputs and outputs
   * @param hidden LSTM units
   * @param learningRate Adam learning rate
   * @param seed weight initialisation seed
   */
  public static MultiLayerConfiguration stateless(
      int values, int hidden, double learningRate, long seed) {
    if (values < 2 || hidden < 1 || !(learningRate > 0)) {
      throw new IllegalArgumentException(
          "values >= 2, hidden >= 1 and learningRate > 0 required, found "
              + values
              + ", "
              + hidden
              + ", "
              + learningRate);
    }
    return new NeuralNetConfiguration.Builder()
        .seed(seed)
        .dataType(DataType.FLOAT)
        .updater(new Adam(learningRate))
        .weightInit(WeightInit.XAVIER)
        .list()
        .layer(
            new LastTimeStep(
                new LSTM.Builder().nIn(values).nOut(hidden).activation(Activation.TANH).build()))
        .layer(
            new OutputLayer.Builder(LossFunction.MCXENT)
                .nIn(hidden)
                .nOut(values)
                .activation(Activation.SOFTMAX)
                .build())
        .setInputType(InputType.recurrent(values))
        .build();
  }
}
