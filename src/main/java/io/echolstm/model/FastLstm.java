package io.echolstm.model;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link LSTM} configuration (same parameters, initializer, JSON fields) whose layer runs
 * {@link FastLstmHelper}. Helper fallback is off: a failure in the helper is an error, never a
 * silent switch to DL4J's code (the helper still declines, by design, the cases it does not
 * implement).
 */
public class FastLstm extends LSTM {

  /** For JSON and Java deserialization. */
  public FastLstm() {
    super();
    this.helperAllowFallback = false;
  }

  /** A fast copy of {@code template}: every field of the DL4J configuration is kept. */
  public static FastLstm of(LSTM template) {
    if (template.getClass() != LSTM.class) {
      throw new IllegalArgumentException("plain DL4J LSTM expected, found " + template.getClass());
    }
    return copy(template, new FastLstm());
  }

  /** {@code out} with every field of DL4J's configuration copied from {@code template}. */
  static <T extends FastLstm> T copy(LSTM template, T out) {
    LSTM copy = (LSTM) template.clone();
    for (Class<?> c = LSTM.class; c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        f.setAccessible(true);
        try {
          f.set(out, f.get(copy));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("cannot copy LSTM field " + f, e);
        }
      }
    }
    out.helperAllowFallback = false;
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
    LayerValidation.assertNInNOutSet("LSTM", getLayerName(), layerIndex, getNIn(), getNOut());
    FastLstmLayer ret = new FastLstmLayer(conf, networkDataType, newHelper());
    ret.setListeners(trainingListeners);
    ret.setIndex(layerIndex);
    ret.setParamsViewArray(layerParamsView);
    Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
    ret.setParamTable(paramTable);
    ret.setConf(conf);
    return ret;
  }

  /** The helper of a new layer instance (one each). */
  FastLstmHelper newHelper() {
    return new FastLstmHelper();
  }

  @Override
  protected boolean canEqual(Object other) {
    return other instanceof FastLstm;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FastLstm && super.equals(o);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + 7;
  }

  @Override
  public FastLstm clone() {
    return (FastLstm) super.clone();
  }
}
