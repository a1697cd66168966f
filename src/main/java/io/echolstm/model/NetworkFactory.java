package io.echolstm.model;

import io.echolstm.config.LstmImplementation;
import io.echolstm.config.Variant;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The tutorial's network: one LSTM layer over one-hot inputs ({@code [batch, values, steps]}) and a
 * softmax output of the same width; cross-entropy loss, Adam. Last-step variants feed the LSTM's
 * last (unmasked) step to the output layer; per-step variants emit a distribution at every step.
 * The stateful variant trains with truncated BPTT, one segment per sample (forward and backward
 * length = window): the LSTM state is carried from segment to segment within a sequence, reset
 * between sequences, and gradients stop at each segment's start; the first step of each segment
 * carries a window-start marker input ({@link Variant#marksWindowStarts(int)}). Only {@link
 * FastLstm} trains it that way; DL4J 1.0.0-M2's own layer backpropagates each segment from a zero
 * state instead of the carried one (see {@link FastLstmLayer}), so the config refuses {@code
 * stateful} with {@code model.lstm=dl4j}.
 */
public final class NetworkFactory {
  private NetworkFactory() {}

  /**
   * @param variant decides the output shape and the backprop type
   * @param values one-hot width of inputs and outputs (inputs have one more feature, the
   *     window-start marker, where {@link Variant#marksWindowStarts(int)})
   * @param hidden LSTM units
   * @param learningRate Adam learning rate
   * @param seed weight initialisation seed
   * @param window steps per sample (the truncated-BPTT segment of the stateful variant)
   * @param implementation {@link LstmImplementation#FAST} for {@link FastLstm}, {@link
   *     LstmImplementation#DL4J} for DL4J's layer: both give the same parameters layout,
   *     initialisation and math
   */
  public static MultiLayerConfiguration build(
      Variant variant,
      int values,
      int hidden,
      double learningRate,
      long seed,
      int window,
      LstmImplementation implementation) {
    if (values < 2 || hidden < 1 || window < 1 || !(learningRate > 0)) {
      throw new IllegalArgumentException(
          "values >= 2, hidden >= 1, window >= 1 and learningRate > 0 required, found "
              + values
              + ", "
              + hidden
              + ", "
              + window
              + ", "
              + learningRate);
    }
    int inputs = variant.inputs(values, window);
    LSTM lstm = new LSTM.Builder().nIn(inputs).nOut(hidden).activation(Activation.TANH).build();
    if (implementation == LstmImplementation.FAST) {
      lstm = FastLstm.of(lstm);
    } else if (implementation != LstmImplementation.DL4J) {
      throw new IllegalArgumentException("LSTM implementation required");
    }
    NeuralNetConfiguration.ListBuilder list =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.FLOAT)
            .updater(new Adam(learningRate))
            .weightInit(WeightInit.XAVIER)
            .list();
    if (variant.perStepOutput()) {
      list.layer(lstm)
          .layer(
              new RnnOutputLayer.Builder(LossFunction.MCXENT)
                  .nIn(hidden)
                  .nOut(values)
                  .activation(Activation.SOFTMAX)
                  .build());
    } else {
      OutputLayer output =
          new OutputLayer.Builder(LossFunction.MCXENT)
              .nIn(hidden)
              .nOut(values)
              .activation(Activation.SOFTMAX)
              .build();
      list.layer(new LastTimeStep(lstm))
          .layer(implementation == LstmImplementation.FAST ? FastOutput.of(output) : output);
    }
    if (variant == Variant.STATEFUL) {
      list.backpropType(BackpropType.TruncatedBPTT)
          .tBPTTForwardLength(window)
          .tBPTTBackwardLength(window);
    }
    return list.setInputType(InputType.recurrent(inputs)).build();
  }
}
