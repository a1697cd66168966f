package io.echolstm.model;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link OutputLayer} configuration (same parameters, initializer, JSON fields) whose layer
 * is {@link FastOutputLayer}: the softmax and cross-entropy of a training step computed once
 * instead of twice.
 */
public class FastOutput extends OutputLayer {

  /** For JSON and Java deserialization. */
  public FastOutput() {
    super();
  }

  /** A fast copy of {@code template}: every field of the DL4J configuration is kept. */
  public static FastOutput of(OutputLayer template) {
    if (template.getClass() != OutputLayer.class) {
      throw new IllegalArgumentException(
          "plain DL4J OutputLayer expected, found " + template.getClass());
    }
    OutputLayer copy = (OutputLayer) template.clone();
    FastOutput out = new FastOutput();
    for (Class<?> c = OutputLayer.class; c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        f.setAccessible(true);
        try {
          f.set(out, f.get(copy));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("cannot copy OutputLayer field " + f, e);
        }
      }
    }
    return out;
  }

  @Override
  public Layer instantiate(
      NeuralNetConfiguration conf,
      Collection<TrainingListener> trainingListeners,
      int layerIndex,
      INDArray layerParamsView,
      boolean initializeParams,
      DataType networkDataType) {
    LayerValidation.assertNInNOutSet(
        "OutputLayer", getLayerName(), layerIndex, getNIn(), getNOut());
    FastOutputLayer ret = new FastOutputLayer(conf, networkDataType);
    ret.setListeners(trainingListeners);
    ret.setIndex(layerIndex);
    ret.setParamsViewArray(layerParamsView);
    Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
    ret.setParamTable(paramTable);
    ret.setConf(conf);
    return ret;
  }

  @Override
  protected boolean canEqual(Object other) {
    return other instanceof FastOutput;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FastOutput && super.equals(o);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + 11;
  }

  @Override
  public FastOutput clone() {
    return (FastOutput) super.clone();
  }
}
