package io.echolstm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import io.echolstm.config.LstmImplementation;
import io.echolstm.config.Variant;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.layers.recurrent.FwdPassReturn;
import org.deeplearning4j.nn.layers.recurrent.LSTMHelper;
import org.deeplearning4j.nn.layers.recurrent.LSTMHelpers;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fast LSTM layer against DL4J's: outputs, every gradient and the input epsilon through {@link
 * MultiLayerNetwork}, fitting, truncated BPTT and rnnTimeStep, plus the configuration round trips.
 */
class FastLstmTest {
  private static final int VALUES = 11;
  private static final int HIDDEN = 7;
  private static final double RTOL = 1e-4;

  // ---------------------------------------------------------------------------------------------
  // Data

  private record Batch(
      INDArray features, INDArray labels, INDArray featureMask, INDArray labelMask) {
    DataSet dataSet() {
      return new DataSet(features, labels, featureMask, labelMask);
    }
  }

  /** Features [m, values, t]: one-hot or Gaussian. */
  private static INDArray features(Random rnd, int m, int t, boolean oneHot) {
    return features(rnd, VALUES, m, t, oneHot);
  }

  /** As above with {@code width} features; one-hot values are drawn from {@code 0..VALUES-1}. */
  private static INDArray features(Random rnd, int width, int m, int t, boolean oneHot) {
    INDArray f = Nd4j.zeros(DataType.FLOAT, m, width, t);
    for (int b = 0; b < m; b++) {
      for (int s = 0; s < t; s++) {
        if (oneHot) {
          f.putScalar(new int[] {b, rnd.nextInt(VALUES), s}, 1.0);
        } else {
          for (int k = 0; k < width; k++) {
            f.putScalar(new int[] {b, k, s}, rnd.nextGaussian());
          }
        }
      }
    }
    return f;
  }

  /** Where a mask hides steps of a row. */
  private enum MaskShape {
    /** 0..t-1 leading steps (what the masked and whole-sequence framings produce). */
    LEADING,
    /** 1..t-1 trailing steps: step 0 is kept. */
    TRAILING,
    /** A gap of 1..t-2 steps: the first and the last step are kept. */
    INTERIOR
  }

  /** Feature mask [m, t]: each row's leading steps masked (0..t-1 of them; row 0 unmasked). */
  private static INDArray leadingMask(Random rnd, int m, int t) {
    return mask(rnd, m, t, MaskShape.LEADING);
  }

  /** Mask [m, t] hiding steps of each row but row 0 as {@code shape} says. */
  private static INDArray mask(Random rnd, int m, int t, MaskShape shape) {
    INDArray mask = Nd4j.ones(DataType.FLOAT, m, t);
    for (int b = 1; b < m; b++) {
      int from;
      int to;
      switch (shape) {
        case LEADING -> {
          from = 0;
          to = rnd.nextInt(t);
        }
        case TRAILING -> {
          from = 1 + rnd.nextInt(t - 1);
          to = t;
        }
        default -> {
          from = 1 + rnd.nextInt(t - 2);
          to = from + 1 + rnd.nextInt(t - 1 - from);
        }
      }
      for (int s = from; s < to; s++) {
        mask.putScalar(b, s, 0.0);
      }
    }
    return mask;
  }

  private static Batch lastStepBatch(Random rnd, int m, int t, boolean oneHot, boolean masked) {
    INDArray f = features(rnd, m, t, oneHot);
    INDArray mask = masked ? leadingMask(rnd, m, t) : null;
    if (mask != null) {
      // Like the masked/whole-sequence framings: padded steps carry no input.
      for (int b = 0; b < m; b++) {
        for (int s = 0; s < t; s++) {
          if (mask.getDouble(b, s) == 0.0) {
            for (int k = 0; k < VALUES; k++) {
              f.putScalar(new int[] {b, k, s}, 0.0);
            }
          }
        }
      }
    }
    INDArray labels = Nd4j.zeros(DataType.FLOAT, m, VALUES);
    for (int b = 0; b < m; b++) {
      labels.putScalar(b, rnd.nextInt(VALUES), 1.0);
    }
    return new Batch(f, labels, mask, null);
  }

  private static Batch perStepBatch(
      Random rnd, int m, int t, boolean oneHot, boolean featureMask, boolean labelMask) {
    return perStepBatch(rnd, features(rnd, m, t, oneHot), featureMask, labelMask);
  }

  /**
   * A stateful network's minibatch: {@code m} sequences of {@code segments} windows; one-hot values
   * plus the window-start marker (feature {@code VALUES}) at each window's first step, as {@link
   * io.echolstm.codec.Inputs} encodes them, or Gaussian noise in every feature.
   */
  private static Batch statefulBatch(Random rnd, int m, int segments, int window, boolean oneHot) {
    int t = segments * window;
    INDArray f = features(rnd, Variant.STATEFUL.inputs(VALUES, window), m, t, oneHot);
    for (int b = 0; oneHot && b < m; b++) {
      for (int s = 0; s < t; s += window) {
        f.putScalar(new int[] {b, VALUES, s}, 1.0);
      }
    }
    return perStepBatch(rnd, f, false, true);
  }

  private static Batch perStepBatch(
      Random rnd, INDArray f, boolean featureMask, boolean labelMask) {
    int m = (int) f.size(0);
    int t = (int) f.size(2);
    INDArray labels = Nd4j.zeros(DataType.FLOAT, m, VALUES, t);
    for (int b = 0; b < m; b++) {
      for (int s = 0; s < t; s++) {
        labels.putScalar(new int[] {b, rnd.nextInt(VALUES), s}, 1.0);
      }
    }
    INDArray fm = featureMask ? leadingMask(rnd, m, t) : null;
    INDArray lm = null;
    if (labelMask) {
      lm = Nd4j.ones(DataType.FLOAT, m, t);
      for (int b = 0; b < m; b++) {
        for (int s = 0; s < t; s++) {
          boolean off = (fm != null && fm.getDouble(b, s) == 0.0) || rnd.nextInt(3) == 0;
          if (off && !(b == 0 && s == t - 1)) {
            lm.putScalar(b, s, 0.0);
          }
        }
      }
    }
    return new Batch(f, labels, fm, lm);
  }

  // ---------------------------------------------------------------------------------------------
  // Networks

  /** The network; the fast layer's helper counts what it does ({@link #stats}). */
  private static MultiLayerNetwork net(Variant variant, LstmImplementation impl, long seed, int t) {
    MultiLayerNetwork net =
        new MultiLayerNetwork(
            CountingFastLstm.counting(
                NetworkFactory.build(variant, VALUES, HIDDEN, 0.01, seed, t, impl)));
    net.init();
    return net;
  }

  /** DL4J's and the fast network with the same parameters. */
  private static MultiLayerNetwork[] pair(Variant variant, long seed, int t) {
    MultiLayerNetwork dl4j = net(variant, LstmImplementation.DL4J, seed, t);
    MultiLayerNetwork fast = net(variant, LstmImplementation.FAST, seed, t);
    assertEquals(dl4j.params(), fast.params(), "same seed, same initial parameters");
    // Move away from the initialisation (zero biases make some terms vanish): add noise.
    INDArray p = dl4j.params().dup();
    p.addi(Nd4j.randn(new Random(seed).nextLong(), p.shape()).castTo(DataType.FLOAT).muli(0.3));
    dl4j.setParams(p);
    fast.setParams(p.dup());
    return new MultiLayerNetwork[] {dl4j, fast};
  }

  private static Layer lstmLayer(MultiLayerNetwork net) {
    Layer l = net.getLayer(0);
    return l instanceof BaseWrapperLayer w ? w.getUnderlying() : l;
  }

  private static CountingFastLstmHelper.Stats stats(MultiLayerNetwork fast) {
    return stats(lstmLayer(fast));
  }

  private static CountingFastLstmHelper.Stats stats(Layer l) {
    FastLstmLayer layer = assertInstanceOf(FastLstmLayer.class, l);
    assertEquals(0, layer.helperFailures(), "helper never failed");
    return assertInstanceOf(CountingFastLstmHelper.class, layer.fastHelper()).stats();
  }

  // ---------------------------------------------------------------------------------------------
  // Comparison

  /** |a - e| <= rtol * (|e| + 0.1 * max|e|) element-wise; returns the worst ratio to the bound. */
  static double worst(INDArray actual, INDArray expected, double rtol) {
    assertEquals(List.of(toList(expected.shape())), List.of(toList(actual.shape())), "shape");
    float[] a = actual.dup('c').data().asFloat();
    float[] e = expected.dup('c').data().asFloat();
    double max = 0;
    for (float v : e) {
      max = Math.max(max, Math.abs(v));
    }
    double worst = 0;
    for (int i = 0; i < e.length; i++) {
      double bound = rtol * (Math.abs(e[i]) + 0.1 * max) + 1e-30;
      double diff = Math.abs((double) a[i] - e[i]);
      if (!(diff <= bound)) {
        worst = Math.max(worst, Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff / bound);
      } else {
        worst = Math.max(worst, diff / bound);
      }
    }
    return worst;
  }

  private static Object toList(long[] shape) {
    List<Long> out = new ArrayList<>();
    for (long s : shape) {
      out.add(s);
    }
    return out;
  }

  private static void assertClose(INDArray actual, INDArray expected, String what) {
    double w = worst(actual, expected, RTOL);
    assertTrue(w <= 1.0, what + ": off by " + w + " x tolerance");
  }

  /**
   * DL4J's result, or null when DL4J itself rejects the call (then the fast network must reject it
   * too): a [1, t] feature mask before a last-step output layer trips DL4J's mask check in
   * calculateGradients() and output().
   */
  private static <T> T dl4jOrRejected(Supplier<T> dl4j, Executable fast) {
    try {
      return dl4j.get();
    } catch (IllegalStateException rejected) {
      assertThrows(IllegalStateException.class, fast, "the fast network rejects it too");
      return null;
    }
  }

  private static void assertSameGradients(MultiLayerNetwork dl4j, MultiLayerNetwork fast, Batch b) {
    Pair<Gradient, INDArray> e =
        dl4jOrRejected(
            () -> dl4j.calculateGradients(b.features(), b.labels(), b.featureMask(), b.labelMask()),
            () ->
                fast.calculateGradients(b.features(), b.labels(), b.featureMask(), b.labelMask()));
    if (e != null) {
      Map<String, INDArray> eg = copy(e.getFirst());
      INDArray eEps = e.getSecond().dup();
      Pair<Gradient, INDArray> a =
          fast.calculateGradients(b.features(), b.labels(), b.featureMask(), b.labelMask());
      Map<String, INDArray> ag = copy(a.getFirst());
      assertEquals(eg.keySet(), ag.keySet());
      for (String key : eg.keySet()) {
        assertClose(ag.get(key), eg.get(key), "gradient " + key);
      }
      assertClose(a.getSecond(), eEps, "epsilon to the input");
    }

    // The same through computeGradientAndScore() + gradient(), as fit() does.
    dl4j.setInput(b.features());
    dl4j.setLabels(b.labels());
    dl4j.setLayerMaskArrays(b.featureMask(), b.labelMask());
    dl4j.computeGradientAndScore();
    double eScore = dl4j.score();
    Map<String, INDArray> eg2 = copy(dl4j.gradient());
    fast.setInput(b.features());
    fast.setLabels(b.labels());
    fast.setLayerMaskArrays(b.featureMask(), b.labelMask());
    fast.computeGradientAndScore();
    assertEquals(eScore, fast.score(), 1e-5 * Math.abs(eScore), "score");
    Map<String, INDArray> ag2 = copy(fast.gradient());
    assertEquals(eg2.keySet(), ag2.keySet());
    for (String key : eg2.keySet()) {
      assertClose(ag2.get(key), eg2.get(key), "gradient (computeGradientAndScore) " + key);
    }
    dl4j.clearLayerMaskArrays();
    fast.clearLayerMaskArrays();

    INDArray eOut =
        dl4jOrRejected(
            () -> dl4j.output(b.features(), false, b.featureMask(), b.labelMask()),
            () -> fast.output(b.features(), false, b.featureMask(), b.labelMask()));
    if (eOut != null) {
      assertClose(fast.output(b.features(), false, b.featureMask(), b.labelMask()), eOut, "output");
    }
    // The LSTM layer's own activations (masked steps zeroed).
    List<INDArray> eAct = dl4j.feedForward(b.features(), b.featureMask(), b.labelMask());
    List<INDArray> aAct = fast.feedForward(b.features(), b.featureMask(), b.labelMask());
    assertClose(aAct.get(1), eAct.get(1), "LSTM layer activations");
    dl4j.clearLayerMaskArrays();
    fast.clearLayerMaskArrays();
  }

  private static Map<String, INDArray> copy(Gradient g) {
    Map<String, INDArray> out = new java.util.TreeMap<>();
    g.gradientForVariable().forEach((k, v) -> out.put(k, v.dup()));
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Tests: equality with DL4J

  @Test
  void lastTimeStepNetworkMatchesDl4j() {
    Random rnd = new Random(1);
    int t = 5;
    for (boolean oneHot : new boolean[] {true, false}) {
      for (boolean masked : new boolean[] {false, true}) {
        for (int m : new int[] {1, 4, 33}) {
          MultiLayerNetwork[] nets = pair(Variant.MASKED, 42 + m, t);
          assertSameGradients(nets[0], nets[1], lastStepBatch(rnd, m, t, oneHot, masked));
          CountingFastLstmHelper.Stats s = stats(nets[1]);
          assertTrue(s.backwards() > 0, "fast backward ran: " + s);
          assertEquals(0, s.declined(), "nothing declined: " + s);
          assertTrue(
              oneHot ? s.oneHotForwards() > 0 && s.denseForwards() == 0 : s.oneHotForwards() == 0,
              "one-hot path iff one-hot input: " + s);
        }
      }
    }
  }

  @Test
  void perStepNetworkMatchesDl4j() {
    Random rnd = new Random(2);
    int t = 6;
    for (boolean oneHot : new boolean[] {true, false}) {
      for (int masks = 0; masks < 3; masks++) {
        for (int m : new int[] {1, 5, 32}) {
          MultiLayerNetwork[] nets = pair(Variant.SEQ2SEQ, 7 + m, t);
          // masks: 0 none, 1 label mask, 2 feature (leading steps) and label masks
          Batch b = perStepBatch(rnd, m, t, oneHot, masks == 2, masks >= 1);
          assertSameGradients(nets[0], nets[1], b);
          CountingFastLstmHelper.Stats s = stats(nets[1]);
          assertTrue(s.backwards() > 0 && s.declined() == 0, s.toString());
        }
      }
    }
  }

  /**
   * Feature masks of every shape through networks: a last-step network (MultiLayerNetwork hands the
   * feature mask to the LSTM layer through LastTimeStep, whose output reads each row's last
   * unmasked step; masked steps keep their input here, unlike the framings' padding); and label
   * masks of every shape in a per-step network (whose LSTM layer DL4J gives no feature mask).
   */
  @Test
  void trailingAndInteriorMasksMatchDl4j() {
    Random rnd = new Random(17);
    int t = 6;
    for (MaskShape shape : new MaskShape[] {MaskShape.TRAILING, MaskShape.INTERIOR}) {
      for (boolean oneHot : new boolean[] {true, false}) {
        for (int m : new int[] {4, 9}) {
          MultiLayerNetwork[] last = pair(Variant.MASKED, 50 + m, t);
          Batch b = lastStepBatch(rnd, m, t, oneHot, false);
          assertSameGradients(
              last[0], last[1], new Batch(b.features(), b.labels(), mask(rnd, m, t, shape), null));
          assertTrue(stats(last[1]).maskedForwards() > 0, "the LSTM saw the feature mask");

          MultiLayerNetwork[] perStep = pair(Variant.SEQ2SEQ, 60 + m, t);
          Batch p = perStepBatch(rnd, m, t, oneHot, false, false);
          Batch labelMasked = new Batch(p.features(), p.labels(), null, mask(rnd, m, t, shape));
          assertSameGradients(perStep[0], perStep[1], labelMasked);
          perStep[0].fit(labelMasked.dataSet());
          perStep[1].fit(labelMasked.dataSet());
          assertClose(perStep[1].params(), perStep[0].params(), shape + ": parameters after fit");

          for (MultiLayerNetwork fast : new MultiLayerNetwork[] {last[1], perStep[1]}) {
            CountingFastLstmHelper.Stats s = stats(fast);
            assertTrue(s.backwards() > 0 && s.declined() == 0, shape + ": " + s);
            assertTrue(
                oneHot ? s.denseForwards() == 0 : s.oneHotForwards() == 0,
                "one-hot path iff one-hot input: " + s);
          }
        }
      }
    }
  }

  /**
   * Feature masks of every shape at the layer itself, where every step's output is compared (as a
   * bidirectional wrapper or a direct caller sees it): activations, gradients and the input epsilon
   * of a direct forward and backward pass.
   */
  @Test
  void maskedStepsMatchDl4jAtEveryStep() {
    Random rnd = new Random(18);
    int t = 6;
    int m = 7;
    for (MaskShape shape : MaskShape.values()) {
      for (boolean oneHot : new boolean[] {true, false}) {
        MultiLayerNetwork[] nets = pair(Variant.SEQ2SEQ, 70, t);
        INDArray x = features(rnd, m, t, oneHot);
        INDArray mask = mask(rnd, m, t, shape);
        INDArray eps = randn(rnd, m, HIDDEN, t);
        INDArray[] out = new INDArray[2];
        List<Map<String, INDArray>> grads = new ArrayList<>();
        INDArray[] epsOut = new INDArray[2];
        for (int i = 0; i < 2; i++) {
          nets[i].initGradientsView();
          Layer layer = lstmLayer(nets[i]);
          LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
          layer.setInput(x, mgr);
          layer.setMaskArray(mask);
          out[i] = layer.activate(true, mgr).dup();
          Pair<Gradient, INDArray> p = layer.backpropGradient(eps.dup(), mgr);
          grads.add(copy(p.getFirst()));
          epsOut[i] = p.getSecond().dup();
        }
        String what = shape + (oneHot ? " one-hot" : " dense");
        assertClose(out[1], out[0], what + ": activations");
        for (String key : grads.get(0).keySet()) {
          assertClose(grads.get(1).get(key), grads.get(0).get(key), what + ": gradient " + key);
        }
        assertClose(epsOut[1], epsOut[0], what + ": epsilon");
        CountingFastLstmHelper.Stats s = stats(nets[1]);
        assertTrue(s.maskedForwards() > 0 && s.backwards() == 1 && s.declined() == 0, s.toString());
      }
    }
  }

  @Test
  void nearlyOneHotInputTakesTheDensePathAndMatches() {
    Random rnd = new Random(3);
    int t = 4;
    int m = 6;
    for (int kind = 0; kind < 3; kind++) {
      Batch b = lastStepBatch(rnd, m, t, true, false);
      INDArray f = b.features();
      switch (kind) {
        case 0 -> f.putScalar(new int[] {2, 0, 1}, 0.999); // a value that is not exactly 1
        case 1 -> { // three ones (or a 2): two are a value and the marker, three are neither
          f.putScalar(new int[] {3, 0, 2}, f.getDouble(3, 0, 2) + 1.0);
          f.putScalar(new int[] {3, 1, 2}, f.getDouble(3, 1, 2) + 1.0);
        }
        default -> f.putScalar(new int[] {5, VALUES - 1, 3}, -1e-30); // a tiny non-zero
      }
      MultiLayerNetwork[] nets = pair(Variant.STATELESS, 5, t);
      assertSameGradients(nets[0], nets[1], b);
      CountingFastLstmHelper.Stats s = stats(nets[1]);
      assertEquals(0, s.oneHotForwards(), "kind " + kind + ": " + s);
      assertTrue(s.denseForwards() > 0, s.toString());
    }
  }

  @Test
  void oneHotDetectionIsExact() {
    // c order [m=3, n=3, t=1]
    float[] x = {0, 1, 0, 0, 0, 0, 1, 0, 0};
    int[] hot = OneHotRows.find(x, 3, 3, 1, null);
    assertEquals(List.of(1, -1, 0), List.of(hot[0], hot[1], hot[2]));
    // c order [m=2, n=2, t=2]: (b, k, s) at (b*2 + k)*2 + s; result at s*m + b
    float[] y = {1, 0, 0, 1, 0, 0, 0, 1};
    hot = OneHotRows.find(y, 2, 2, 2, null);
    assertEquals(List.of(0, -1, 1, 1), List.of(hot[0], hot[1], hot[2], hot[3]));
    // Two ones (a value and the window-start marker): both, the lower first.
    hot = OneHotRows.find(new float[] {0, 1, 1}, 1, 3, 1, null);
    assertEquals(List.of(1, 2), List.of(hot[0], hot[1]));
    assertNull(OneHotRows.find(new float[] {1, 1, 1}, 1, 3, 1, null), "three ones");
    assertNull(OneHotRows.find(new float[] {0, 0.5f, 0}, 1, 3, 1, null));
    assertNull(OneHotRows.find(new float[] {0, 1, Float.NaN}, 1, 3, 1, null));
    assertNull(OneHotRows.find(new float[] {2, 0, 0}, 1, 3, 1, null));
    hot = OneHotRows.find(new float[] {1, 1, 0, 0}, 1, 2, 2, null);
    assertEquals(List.of(0, 0, -1, -1), List.of(hot[0], hot[1], hot[2], hot[3]), "feature 0 twice");
    hot = OneHotRows.find(new float[] {1, 1, 1, 0}, 1, 2, 2, null);
    assertEquals(List.of(0, 0, 1, -1), List.of(hot[0], hot[1], hot[2], hot[3]), "two at step 0");
  }

  @Test
  void comparisonDetectsASmallParameterChange() {
    // The tolerance is tight enough to see a 1e-3 change of one recurrent weight.
    Random rnd = new Random(4);
    MultiLayerNetwork[] nets = pair(Variant.STATELESS, 9, 5);
    Batch b = lastStepBatch(rnd, 8, 5, true, false);
    INDArray rw = nets[1].getParam("0_RW");
    rw.putScalar(3, 5, rw.getDouble(3, 5) + 1e-3);
    INDArray e =
        nets[0]
            .calculateGradients(b.features(), b.labels(), null, null)
            .getFirst()
            .getGradientFor("0_W")
            .dup();
    INDArray a =
        nets[1]
            .calculateGradients(b.features(), b.labels(), null, null)
            .getFirst()
            .getGradientFor("0_W")
            .dup();
    assertTrue(worst(a, e, RTOL) > 1.0, "a changed parameter must show");
  }

  @Test
  void fittingGivesTheSameParameters() {
    Random rnd = new Random(5);
    for (Variant v : new Variant[] {Variant.STATELESS, Variant.WHOLE_SEQUENCE, Variant.SEQ2SEQ}) {
      int t = 5;
      MultiLayerNetwork[] nets = pair(v, 11, t);
      for (int it = 0; it < 6; it++) {
        Batch b =
            v.perStepOutput()
                ? perStepBatch(rnd, 16, t, true, false, true)
                : lastStepBatch(rnd, 16, t, true, v == Variant.WHOLE_SEQUENCE);
        nets[0].fit(b.dataSet());
        nets[1].fit(b.dataSet());
      }
      assertClose(nets[1].params(), nets[0].params(), v + " parameters after 6 fit steps");
      assertNotEquals(
          net(v, LstmImplementation.DL4J, 11, t).params(), nets[0].params(), "training moved");
      CountingFastLstmHelper.Stats s = stats(nets[1]);
      assertTrue(s.forwardsReused() >= 6, "backprop reused the training forward pass: " + s);
      assertEquals(0, s.declined(), s.toString());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Truncated BPTT against an independent reference

  /** One optimizer step of fit(): the parameters it used, its gradients and score (pre-update). */
  private record Step(INDArray params, Map<String, INDArray> gradient, double score) {}

  private static List<Step> recordSteps(MultiLayerNetwork net) {
    List<Step> steps = new ArrayList<>();
    net.setListeners(
        new BaseTrainingListener() {
          @Override
          public void onGradientCalculation(Model model) {
            steps.add(new Step(model.params().dup(), copy(model.gradient()), model.score()));
          }
        });
    return steps;
  }

  /**
   * DL4J's LSTM and per-step softmax in plain Java, double precision, over one segment from a given
   * state: gate blocks of the parameter views in order i (tanh), f, o, g (sigmoid); {@code c = f c'
   * + g i}, {@code h = o tanh(c)}; loss = summed cross-entropy of the labelled steps. DL4J's score
   * is the loss / minibatch size; its gradients are of the loss (the updater divides them).
   */
  private static final class Reference {
    final Map<String, double[][]> p = new TreeMap<>();
    final int n;
    final int h;
    final int k;

    /** The parameters {@code flat} laid out as {@code like}'s parameter table. */
    Reference(MultiLayerNetwork like, INDArray flat) {
      MultiLayerNetwork scratch = new MultiLayerNetwork(like.getLayerWiseConfigurations().clone());
      scratch.init(flat.dup(), true);
      scratch
          .paramTable()
          .forEach((key, v) -> p.put(key, v.castTo(DataType.DOUBLE).toDoubleMatrix()));
      n = p.get("0_W").length;
      h = p.get("0_RW").length;
      k = p.get("1_b")[0].length;
    }

    /** h per [example][step]; the final (h, c) go to {@code last} if given. Null state: zeros. */
    double[][][] forward(double[][][] x, double[][][] state, double[][][] last) {
      double[][] w = p.get("0_W");
      double[][] r = p.get("0_RW");
      double[] bias = p.get("0_b")[0];
      int m = x.length;
      double[][][] hs = new double[m][][];
      for (int b = 0; b < m; b++) {
        double[] hp = state == null ? new double[h] : state[0][b].clone();
        double[] cp = state == null ? new double[h] : state[1][b].clone();
        hs[b] = new double[x[b].length][];
        for (int s = 0; s < x[b].length; s++) {
          double[] z = bias.clone();
          for (int q = 0; q < 4 * h; q++) {
            for (int i = 0; i < n; i++) {
              z[q] += x[b][s][i] * w[i][q];
            }
            for (int j = 0; j < h; j++) {
              z[q] += hp[j] * r[j][q];
            }
          }
          double[] hn = new double[h];
          double[] cn = new double[h];
          for (int j = 0; j < h; j++) {
            double in = Math.tanh(z[j]);
            double f = sigmoid(z[h + j]);
            double o = sigmoid(z[2 * h + j]);
            double g = sigmoid(z[3 * h + j]);
            cn[j] = f * cp[j] + g * in;
            hn[j] = o * Math.tanh(cn[j]);
          }
          hs[b][s] = hn;
          hp = hn;
          cp = cn;
        }
        if (last != null) {
          last[0][b] = hp;
          last[1][b] = cp;
        }
      }
      return hs;
    }

    private double[] probabilities(double[] hv) {
      double[][] w = p.get("1_W");
      double[] z = p.get("1_b")[0].clone();
      double max = Double.NEGATIVE_INFINITY;
      for (int o = 0; o < k; o++) {
        for (int j = 0; j < h; j++) {
          z[o] += hv[j] * w[j][o];
        }
        max = Math.max(max, z[o]);
      }
      double sum = 0;
      for (int o = 0; o < k; o++) {
        z[o] = Math.exp(z[o] - max);
        sum += z[o];
      }
      for (int o = 0; o < k; o++) {
        z[o] /= sum;
      }
      return z;
    }

    double score(double[][][] hs, int[][] labels) {
      return loss(hs, labels) / hs.length;
    }

    double loss(double[][][] hs, int[][] labels) {
      double loss = 0;
      for (int b = 0; b < hs.length; b++) {
        for (int s = 0; s < hs[b].length; s++) {
          if (labels[b][s] >= 0) {
            loss -= Math.log(probabilities(hs[b][s])[labels[b][s]]);
          }
        }
      }
      return loss;
    }

    /** d loss / d h per [example][step] (what the output layer sends back to the LSTM). */
    double[][][] outputEpsilon(double[][][] hs, int[][] labels) {
      double[][] w = p.get("1_W");
      double[][][] eps = new double[hs.length][][];
      for (int b = 0; b < hs.length; b++) {
        eps[b] = new double[hs[b].length][h];
        for (int s = 0; s < hs[b].length; s++) {
          if (labels[b][s] < 0) {
            continue;
          }
          double[] d = probabilities(hs[b][s]);
          d[labels[b][s]] -= 1;
          for (int j = 0; j < h; j++) {
            for (int o = 0; o < k; o++) {
              eps[b][s][j] += d[o] * w[j][o];
            }
          }
        }
      }
      return eps;
    }

    /** Central differences of {@code f} for each parameter of {@code keys}, shaped as DL4J's. */
    Map<String, INDArray> gradient(ToDoubleFunction<Reference> f, Set<String> keys) {
      double step = 1e-6;
      Map<String, INDArray> out = new TreeMap<>();
      for (String key : keys) {
        double[][] a = p.get(key);
        double[][] g = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
          for (int j = 0; j < a[i].length; j++) {
            double v = a[i][j];
            a[i][j] = v + step;
            double up = f.applyAsDouble(this);
            a[i][j] = v - step;
            double down = f.applyAsDouble(this);
            a[i][j] = v;
            g[i][j] = (up - down) / (2 * step);
          }
        }
        out.put(key, Nd4j.create(g).castTo(DataType.FLOAT));
      }
      return out;
    }

    private static double sigmoid(double v) {
      return 1 / (1 + Math.exp(-v));
    }
  }

  /** Inputs [example][step][value] of steps [from, from + length). */
  private static double[][][] segmentInputs(INDArray features, int from, int length) {
    int m = (int) features.size(0);
    double[][][] x = new double[m][length][(int) features.size(1)];
    for (int b = 0; b < m; b++) {
      for (int s = 0; s < length; s++) {
        for (int i = 0; i < x[b][s].length; i++) {
          x[b][s][i] = features.getDouble(b, i, from + s);
        }
      }
    }
    return x;
  }

  /** Labels [example][step] of steps [from, from + length), -1 where masked. */
  private static int[][] segmentLabels(Batch batch, int from, int length) {
    int m = (int) batch.labels().size(0);
    int[][] out = new int[m][length];
    for (int b = 0; b < m; b++) {
      for (int s = 0; s < length; s++) {
        boolean on = batch.labelMask() == null || batch.labelMask().getDouble(b, from + s) != 0;
        out[b][s] =
            on ? batch.labels().get(point(b), all(), point(from + s)).argMax().getInt(0) : -1;
      }
    }
    return out;
  }

  private static final Set<String> LSTM_PARAMS = Set.of("0_W", "0_RW", "0_b");
  private static final Set<String> ALL_PARAMS = Set.of("0_W", "0_RW", "0_b", "1_W", "1_b");
  private static final double REFERENCE_RTOL = 1e-3;

  private static double worstOf(Map<String, INDArray> actual, Map<String, INDArray> expected) {
    double w = 0;
    for (String key : expected.keySet()) {
      w = Math.max(w, worst(actual.get(key), expected.get(key), REFERENCE_RTOL));
    }
    return w;
  }

  /**
   * Two TBPTT fits (two minibatches of sequences of 4 segments) of the stateful network: each
   * segment's score and gradients, as fit() computed them, against the reference run segment by
   * segment from the state the previous segment's forward pass left (zero at each sequence start),
   * that state treated as a constant. The fast layer matches it. DL4J's own layer matches it only
   * on each sequence's first segment: on later ones its output-layer gradients (and score) follow
   * the carried state but its LSTM gradients are the carried-state output epsilon backpropagated
   * through a forward pass from a ZERO state, the cause of the stateful variant learning nothing.
   */
  @Test
  void truncatedBpttGradientsFollowTheCarriedState() {
    Random rnd = new Random(6);
    int window = 3;
    int segments = 4;
    MultiLayerNetwork[] nets = pair(Variant.STATEFUL, 13, window);
    List<Step> dl4jSteps = recordSteps(nets[0]);
    List<Step> fastSteps = recordSteps(nets[1]);
    List<Batch> batches = new ArrayList<>();
    for (int fit = 0; fit < 2; fit++) {
      Batch b = statefulBatch(rnd, 8, segments, window, true);
      batches.add(b);
      nets[0].fit(b.dataSet());
      nets[1].fit(b.dataSet());
    }
    assertEquals(2 * segments, fastSteps.size(), "one optimizer step per segment");
    assertEquals(2 * segments, dl4jSteps.size(), "one optimizer step per segment");
    double[][][] fastState = null;
    double[][][] dl4jState = null;
    for (int i = 0; i < 2 * segments; i++) {
      int seg = i % segments;
      if (seg == 0) {
        fastState = null; // reset between sequences
        dl4jState = null;
      }
      Batch batch = batches.get(i / segments);
      double[][][] x = segmentInputs(batch.features(), seg * window, window);
      int[][] labels = segmentLabels(batch, seg * window, window);
      String what = "fit " + (i / segments) + " segment " + seg;

      Step fast = fastSteps.get(i);
      Reference ref = new Reference(nets[1], fast.params());
      final double[][][] fromState = fastState;
      double expectedScore = ref.score(ref.forward(x, fromState, null), labels);
      assertEquals(expectedScore, fast.score(), 1e-5 * expectedScore, "fast score, " + what);
      Map<String, INDArray> expected =
          ref.gradient(r -> r.loss(r.forward(x, fromState, null), labels), ALL_PARAMS);
      assertTrue(
          worstOf(fast.gradient(), expected) <= 1.0,
          "fast gradients vs the carried-state reference, " + what);
      fastState = new double[2][x.length][];
      ref.forward(x, fromState, fastState);

      Step dl4j = dl4jSteps.get(i);
      Reference dRef = new Reference(nets[0], dl4j.params());
      final double[][][] dFrom = dl4jState;
      double[][][] carriedOut = dRef.forward(x, dFrom, null);
      double dScore = dRef.score(carriedOut, labels);
      assertEquals(dScore, dl4j.score(), 1e-5 * dScore, "DL4J score (carried state), " + what);
      Map<String, INDArray> dExpected =
          dRef.gradient(r -> r.loss(r.forward(x, dFrom, null), labels), ALL_PARAMS);
      Map<String, INDArray> outputOnly = new TreeMap<>(dExpected);
      outputOnly.keySet().removeAll(LSTM_PARAMS);
      assertTrue(worstOf(dl4j.gradient(), outputOnly) <= 1.0, "DL4J output layer, " + what);
      if (seg == 0) {
        assertTrue(worstOf(dl4j.gradient(), dExpected) <= 1.0, "DL4J from a zero state, " + what);
      } else {
        Map<String, INDArray> lstmOnly = new TreeMap<>(dExpected);
        lstmOnly.keySet().retainAll(LSTM_PARAMS);
        assertTrue(
            worstOf(dl4j.gradient(), lstmOnly) > 10.0,
            "DL4J's LSTM gradients are not the carried-state ones, " + what);
        // What DL4J computes: the carried-state epsilon through a zero-state forward pass.
        double[][][] eps = dRef.outputEpsilon(carriedOut, labels);
        Map<String, INDArray> zeroState =
            dRef.gradient(r -> dot(eps, r.forward(x, null, null)), LSTM_PARAMS);
        assertTrue(
            worstOf(dl4j.gradient(), zeroState) <= 1.0,
            "DL4J's LSTM gradients = carried epsilon through a zero-state forward, " + what);
      }
      dl4jState = new double[2][x.length][];
      dRef.forward(x, dFrom, dl4jState);
    }
    CountingFastLstmHelper.Stats s = stats(nets[1]);
    // One-hot values plus the window-start marker: the row lookup ran, not the dense product.
    assertEquals(0, s.denseForwards(), s.toString());
    assertTrue(s.oneHotForwards() > 0, s.toString());
    assertEquals(2 * segments, s.backwards(), s.toString());
    assertTrue(s.forwardsReused() >= 2 * segments, "backprop reused the forward pass: " + s);
    assertEquals(0, s.declined(), s.toString());
    assertFalse(
        ((FastLstmLayer) lstmLayer(nets[1])).backpropUsesCarriedState(),
        "fit ends the carried-state pairing");
  }

  private static double dot(double[][][] a, double[][][] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        for (int q = 0; q < a[i][j].length; q++) {
          sum += a[i][j][q] * b[i][j][q];
        }
      }
    }
    return sum;
  }

  @Test
  void aStandardPassAfterTruncatedBpttIsDl4jsAgain() {
    // After a TBPTT fit, and after a stored-state forward followed by a standard one, gradients
    // are DL4J's standard (zero-state) ones: the carried pairing does not leak.
    Random rnd = new Random(7);
    MultiLayerNetwork[] nets = pair(Variant.STATEFUL, 3, 4);
    Batch b = statefulBatch(rnd, 5, 3, 4, true);
    nets[1].fit(b.dataSet());
    nets[0].setParams(nets[1].params().dup());
    Batch c = statefulBatch(rnd, 5, 1, 4, true);
    FastLstmLayer layer = (FastLstmLayer) lstmLayer(nets[1]);
    nets[1].rnnActivateUsingStoredState(c.features(), true, true);
    assertTrue(layer.backpropUsesCarriedState(), "a training forward from stored state pairs");
    nets[1].rnnClearPreviousState();
    assertFalse(layer.backpropUsesCarriedState(), "clearing the state ends it");
    nets[1].rnnActivateUsingStoredState(c.features(), true, true);
    Pair<Gradient, INDArray> e =
        nets[0].calculateGradients(c.features(), c.labels(), null, c.labelMask());
    Pair<Gradient, INDArray> a =
        nets[1].calculateGradients(c.features(), c.labels(), null, c.labelMask());
    for (String key : ALL_PARAMS) {
      assertClose(
          a.getFirst().getGradientFor(key), e.getFirst().getGradientFor(key), "gradient " + key);
    }
    assertFalse(layer.backpropUsesCarriedState(), "a standard forward ends it");
  }

  @Test
  void truncatedBpttBackwardLengthIsNotUsed() {
    // DL4J M2 never passes tBPTTBackwardLength to a layer; the fast layer backpropagates whole
    // segments too (NetworkFactory sets the backward length to the segment length).
    Random rnd = new Random(7);
    MultiLayerNetwork[] nets = new MultiLayerNetwork[2];
    for (int i = 0; i < 2; i++) {
      MultiLayerConfiguration c =
          CountingFastLstm.counting(
              NetworkFactory.build(
                  Variant.STATEFUL, VALUES, HIDDEN, 0.01, 3, 4, LstmImplementation.FAST));
      assertEquals(4, c.getTbpttBackLength());
      if (i == 1) {
        c.setTbpttBackLength(2);
      }
      nets[i] = new MultiLayerNetwork(c);
      nets[i].init();
    }
    INDArray initial = nets[0].params().dup();
    for (int it = 0; it < 3; it++) {
      Batch b = statefulBatch(rnd, 5, 2, 5, false);
      nets[0].fit(b.dataSet());
      nets[1].fit(b.dataSet());
    }
    assertNotEquals(initial, nets[0].params(), "training moved");
    assertEquals(nets[0].params(), nets[1].params(), "parameters after TBPTT (backward length 2)");
    assertEquals(0, stats(nets[1]).declined());
  }

  @Test
  void rnnTimeStepMatches() {
    Random rnd = new Random(8);
    MultiLayerNetwork[] nets = pair(Variant.SEQ2SEQ, 17, 4);
    for (int chunk = 0; chunk < 4; chunk++) {
      INDArray f = features(rnd, 3, chunk + 1, chunk % 2 == 0);
      assertClose(nets[1].rnnTimeStep(f), nets[0].rnnTimeStep(f), "rnnTimeStep chunk " + chunk);
    }
    assertClose(
        ((org.deeplearning4j.nn.layers.recurrent.LSTM) lstmLayer(nets[1]))
            .rnnGetPreviousState()
            .get("prevMem"),
        ((org.deeplearning4j.nn.layers.recurrent.LSTM) lstmLayer(nets[0]))
            .rnnGetPreviousState()
            .get("prevMem"),
        "stored memory cell");
    nets[0].rnnClearPreviousState();
    nets[1].rnnClearPreviousState();
    INDArray f = features(rnd, 3, 2, true);
    assertClose(nets[1].rnnTimeStep(f), nets[0].rnnTimeStep(f), "after clearing the state");
    assertEquals(0, stats(nets[1]).declined());
  }

  /**
   * A DL4J network (an LSTM from {@code lstm}, a per-step softmax) of {@code dataType} and its fast
   * twin with the same parameters.
   */
  private static MultiLayerNetwork[] customPair(Supplier<LSTM> lstm, DataType dataType) {
    MultiLayerNetwork dl4j = customNet(lstm.get(), dataType);
    MultiLayerNetwork fast = customNet(CountingFastLstm.counting(lstm.get()), dataType);
    fast.setParams(dl4j.params().dup());
    return new MultiLayerNetwork[] {dl4j, fast};
  }

  private static MultiLayerNetwork customNet(LSTM lstm, DataType dataType) {
    MultiLayerConfiguration conf =
        new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
            .seed(3)
            .dataType(dataType)
            .list()
            .layer(lstm)
            .layer(
                new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder()
                    .nIn(HIDDEN)
                    .nOut(VALUES)
                    .activation(Activation.SOFTMAX)
                    .build())
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  private static LSTM tanhLstm() {
    return new LSTM.Builder().nIn(VALUES).nOut(HIDDEN).activation(Activation.TANH).build();
  }

  @Test
  void unsupportedActivationIsDeclinedAndStillMatches() {
    Random rnd = new Random(9);
    MultiLayerNetwork[] nets =
        customPair(
            () ->
                new LSTM.Builder().nIn(VALUES).nOut(HIDDEN).activation(Activation.SOFTSIGN).build(),
            DataType.FLOAT);
    assertSameGradients(nets[0], nets[1], perStepBatch(rnd, 4, 3, true, false, false));
    CountingFastLstmHelper.Stats s = stats(nets[1]);
    assertTrue(s.declined() > 0 && s.forwardsComputed() == 0, s.toString());
  }

  // ---------------------------------------------------------------------------------------------
  // Declined calls: DL4J's code runs, with DL4J's result

  private static void assertOnlyDeclined(MultiLayerNetwork fast, String what) {
    CountingFastLstmHelper.Stats s = stats(fast);
    assertTrue(
        s.declined() > 0 && s.forwardsComputed() == 0 && s.backwards() == 0, what + ": " + s);
  }

  private static Batch cast(Batch b, DataType type) {
    return new Batch(
        b.features().castTo(type),
        b.labels().castTo(type),
        b.featureMask() == null ? null : b.featureMask().castTo(type),
        b.labelMask() == null ? null : b.labelMask().castTo(type));
  }

  /**
   * The cases a network can reach (DL4J's LSTM layer always runs forwards, without peepholes, on
   * rank-3 input cast to the weights' type): other gates, double precision, a mask that is not
   * exactly 0 and 1. Every call is declined and the network's results are DL4J's. (Another
   * activation: {@link #unsupportedActivationIsDeclinedAndStillMatches}.)
   */
  @Test
  void networksTheHelperDeclinesGiveDl4jsResults() {
    Random rnd = new Random(19);
    MultiLayerNetwork[] hard =
        customPair(
            () ->
                new LSTM.Builder()
                    .nIn(VALUES)
                    .nOut(HIDDEN)
                    .activation(Activation.TANH)
                    .gateActivationFunction(Activation.HARDSIGMOID)
                    .build(),
            DataType.FLOAT);
    assertSameGradients(hard[0], hard[1], perStepBatch(rnd, 4, 3, true, false, true));
    assertOnlyDeclined(hard[1], "hard-sigmoid gates");

    MultiLayerNetwork[] doubles = customPair(FastLstmTest::tanhLstm, DataType.DOUBLE);
    assertSameGradients(
        doubles[0], doubles[1], cast(perStepBatch(rnd, 4, 3, true, true, true), DataType.DOUBLE));
    assertOnlyDeclined(doubles[1], "double precision");

    // A last-step network: MultiLayerNetwork hands the feature mask to the LSTM layer only
    // through LastTimeStep (DL4J's LSTM layer takes none from the network itself).
    MultiLayerNetwork[] soft = pair(Variant.MASKED, 12, 3);
    Batch b = lastStepBatch(rnd, 4, 3, true, true);
    INDArray halfMasked = b.featureMask().dup();
    halfMasked.putScalar(0, 1, 0.5);
    assertSameGradients(
        soft[0], soft[1], new Batch(b.features(), b.labels(), halfMasked, b.labelMask()));
    assertOnlyDeclined(soft[1], "a mask holding 0.5");
  }

  /**
   * The arguments of one forward call of an LSTM helper, as DL4J's {@code LSTMHelpers} makes it.
   */
  private static final class Call {
    BaseRecurrentLayer<?> layer;
    IActivation gate = new ActivationSigmoid();
    INDArray input;
    INDArray recurrentWeights;
    INDArray inputWeights;
    INDArray biases;
    INDArray prevActivations;
    INDArray prevMemory;
    INDArray mask;
    boolean forwards = true;
    boolean peepholes;

    /**
     * A call the fast helper accepts: {@code net}'s LSTM layer on a masked [3, VALUES, 4] input.
     */
    Call(MultiLayerNetwork net, Random rnd) {
      layer = (BaseRecurrentLayer<?>) lstmLayer(net);
      input = features(rnd, 3, 4, true);
      recurrentWeights = net.getParam("0_RW");
      inputWeights = net.getParam("0_W");
      biases = net.getParam("0_b");
      prevActivations = randn(rnd, 3, HIDDEN);
      prevMemory = randn(rnd, 3, HIDDEN);
      mask = mask(rnd, 3, 4, MaskShape.TRAILING);
    }

    /** The inference forward pass by {@code helper} alone. */
    FwdPassReturn helper(LSTMHelper helper) {
      return helper.activate(
          layer,
          layer.conf(),
          gate,
          input,
          recurrentWeights,
          inputWeights,
          biases,
          true,
          prevActivations,
          prevMemory,
          false,
          forwards,
          "W",
          mask,
          peepholes,
          LayerWorkspaceMgr.noWorkspaces());
    }

    /**
     * DL4J's forward pass with {@code helper} installed (null: none); for backprop, DL4J's code
     * leaves the output array unwritten (the steps' outputs are kept separately).
     */
    FwdPassReturn dl4j(LSTMHelper helper, boolean forBackprop) {
      return LSTMHelpers.activateHelper(
          layer,
          layer.conf(),
          gate,
          input,
          recurrentWeights,
          inputWeights,
          biases,
          true,
          prevActivations,
          prevMemory,
          forBackprop,
          forwards,
          "W",
          mask,
          peepholes,
          helper,
          CacheMode.NONE,
          LayerWorkspaceMgr.noWorkspaces(),
          false);
    }

    /** DL4J's forward output with {@code helper} installed, or the name of what it threw. */
    Object dl4jOutput(LSTMHelper helper) {
      try {
        return dl4j(helper, false).fwdPassOutput.dup();
      } catch (RuntimeException e) {
        return e.getClass().getName();
      }
    }
  }

  private static INDArray randn(Random rnd, long... shape) {
    return Nd4j.randn(rnd.nextLong(), shape).castTo(DataType.FLOAT);
  }

  /** What DL4J's own code does with a call the fast helper declines. */
  private enum Dl4j {
    COMPUTES,
    REFUSES
  }

  private record Decline(String what, Consumer<Call> change, Dl4j dl4j) {}

  /**
   * Every condition the fast helper declines, one at a time from an accepted call: the helper
   * returns null, and DL4J's code path with it installed gives what DL4J's code alone gives (the
   * same output, or the same refusal where DL4J's own code rejects the arguments). Where {@code
   * LSTMHelpers} casts an array to the weights' type before calling the helper (the input, the
   * mask), the cast call is accepted and computed by the fast math, within the tolerance.
   */
  @Test
  void everyDeclinedCallFallsBackToDl4jsResult() {
    MultiLayerNetwork net = customNet(tanhLstm(), DataType.FLOAT);
    MultiLayerNetwork softsign =
        customNet(
            new LSTM.Builder().nIn(VALUES).nOut(HIDDEN).activation(Activation.SOFTSIGN).build(),
            DataType.FLOAT);
    int g = 4 * HIDDEN;
    Random r = new Random(20);
    List<Decline> cases =
        List.of(
            new Decline("backwards direction", c -> c.forwards = false, Dl4j.COMPUTES),
            new Decline(
                "hard-sigmoid gates", c -> c.gate = new ActivationHardSigmoid(), Dl4j.COMPUTES),
            new Decline(
                "softsign activation",
                c -> c.layer = (BaseRecurrentLayer<?>) lstmLayer(softsign),
                Dl4j.COMPUTES),
            new Decline(
                "peepholes",
                c -> {
                  c.peepholes = true;
                  c.recurrentWeights = randn(r, HIDDEN, g + 3);
                },
                Dl4j.COMPUTES),
            new Decline(
                "rank-2 input",
                c -> {
                  c.input = c.input.get(all(), all(), point(0)).dup();
                  c.mask = null;
                },
                Dl4j.COMPUTES),
            new Decline(
                "double weights",
                c -> {
                  c.recurrentWeights = c.recurrentWeights.castTo(DataType.DOUBLE);
                  c.inputWeights = c.inputWeights.castTo(DataType.DOUBLE);
                  c.biases = c.biases.castTo(DataType.DOUBLE);
                  c.prevActivations = c.prevActivations.castTo(DataType.DOUBLE);
                  c.prevMemory = c.prevMemory.castTo(DataType.DOUBLE);
                },
                Dl4j.COMPUTES),
            new Decline(
                "double input", c -> c.input = c.input.castTo(DataType.DOUBLE), Dl4j.COMPUTES),
            new Decline(
                "double recurrent weights",
                c -> c.recurrentWeights = c.recurrentWeights.castTo(DataType.DOUBLE),
                Dl4j.REFUSES),
            new Decline(
                "double input weights",
                c -> c.inputWeights = c.inputWeights.castTo(DataType.DOUBLE),
                Dl4j.REFUSES),
            new Decline(
                "double biases", c -> c.biases = c.biases.castTo(DataType.DOUBLE), Dl4j.REFUSES),
            new Decline("double mask", c -> c.mask = c.mask.castTo(DataType.DOUBLE), Dl4j.COMPUTES),
            new Decline(
                "double previous activations",
                c -> c.prevActivations = c.prevActivations.castTo(DataType.DOUBLE),
                Dl4j.REFUSES),
            new Decline(
                "double previous memory",
                c -> c.prevMemory = c.prevMemory.castTo(DataType.DOUBLE),
                Dl4j.COMPUTES),
            new Decline(
                "input weights of another input width",
                c -> c.inputWeights = randn(r, VALUES + 1, g),
                Dl4j.REFUSES),
            // DL4J's code fails in a native matmul here; libnd4j prints the shape mismatch to the
            // process's stderr (Surefire warns of a "corrupted channel": harmless).
            new Decline(
                "input weights of another layer width",
                c -> c.inputWeights = randn(r, VALUES, g + 4),
                Dl4j.REFUSES),
            new Decline(
                "recurrent weights of another layer width",
                c -> c.recurrentWeights = randn(r, HIDDEN, g + 4),
                Dl4j.COMPUTES),
            new Decline(
                "biases of another layer width", c -> c.biases = randn(r, 1, g + 4), Dl4j.REFUSES),
            new Decline("a mask of rank 3", c -> c.mask = c.mask.reshape(3, 4, 1), Dl4j.REFUSES),
            new Decline(
                "a mask of another batch size",
                c -> c.mask = mask(r, 4, 4, MaskShape.TRAILING),
                Dl4j.REFUSES),
            new Decline(
                "a mask of another length",
                c -> c.mask = mask(r, 3, 5, MaskShape.TRAILING),
                Dl4j.COMPUTES),
            new Decline("a mask holding 0.5", c -> c.mask.putScalar(1, 0, 0.5), Dl4j.COMPUTES));

    Call accepted = new Call(net, new Random(21));
    CountingFastLstmHelper fast = new CountingFastLstmHelper();
    assertTrue(accepted.helper(fast) != null, "the unchanged call is accepted");
    assertEquals(1, fast.stats().forwardsComputed(), fast.stats().toString());
    assertClose(
        (INDArray) accepted.dl4jOutput(new CountingFastLstmHelper()),
        (INDArray) accepted.dl4jOutput(null),
        "the unchanged call, fast");

    for (Decline d : cases) {
      Call c = new Call(net, new Random(21));
      d.change().accept(c);
      fast = new CountingFastLstmHelper();
      assertNull(c.helper(fast), d.what() + ": declined");
      assertEquals(
          new CountingFastLstmHelper.Stats(0, 0, 0, 0, 0, 0, 1, 0), fast.stats(), d.what());
      Object expected = quietly(() -> c.dl4jOutput(null));
      Object actual = quietly(() -> c.dl4jOutput(new CountingFastLstmHelper()));
      assertEquals(
          d.dl4j() == Dl4j.COMPUTES, expected instanceof INDArray, d.what() + ": " + expected);
      if (expected instanceof INDArray e) {
        assertClose(assertInstanceOf(INDArray.class, actual, d.what()), e, d.what());
      } else {
        assertEquals(expected, actual, d.what());
      }
    }
  }

  /**
   * {@code call}'s result, with ND4J's executioner not logging the ops DL4J's code fails on (each
   * refusal above would log an ERROR line, and the build log would read as broken).
   */
  private static <T> T quietly(Supplier<T> call) {
    String executioner = "org.nd4j.linalg.cpu.nativecpu.ops.NativeOpExecutioner";
    org.apache.logging.log4j.Level level =
        org.apache.logging.log4j.LogManager.getLogger(executioner).getLevel();
    org.apache.logging.log4j.core.config.Configurator.setLevel(
        executioner, org.apache.logging.log4j.Level.OFF);
    try {
      return call.get();
    } finally {
      org.apache.logging.log4j.core.config.Configurator.setLevel(executioner, level);
    }
  }

  /** The backward pass of a forward pass DL4J's code did is DL4J's too. */
  @Test
  void aBackwardPassAfterDl4jsForwardPassIsDeclined() {
    MultiLayerNetwork net = customNet(tanhLstm(), DataType.FLOAT);
    Random rnd = new Random(22);
    Call c = new Call(net, rnd);
    c.mask = null; // DL4J's LSTM layer backpropagates without a mask
    INDArray epsilon = randn(rnd, 3, HIDDEN, 4).dup('f');
    CountingFastLstmHelper fast = new CountingFastLstmHelper();
    assertNull(backward(c, fast, epsilon, true), "declined");
    assertEquals(new CountingFastLstmHelper.Stats(0, 0, 0, 0, 0, 0, 1, 0), fast.stats());
    Pair<Gradient, INDArray> expected = backward(c, null, epsilon, false);
    Pair<Gradient, INDArray> actual = backward(c, new CountingFastLstmHelper(), epsilon, false);
    for (String key : List.of("W", "RW", "b")) {
      assertEquals(
          expected.getFirst().getGradientFor(key), actual.getFirst().getGradientFor(key), key);
    }
    assertEquals(expected.getSecond(), actual.getSecond(), "epsilon");
  }

  /**
   * The backward pass for {@code epsilon} of DL4J's forward pass of {@code c}: by {@code helper}
   * alone ({@code direct}), else by DL4J's code with {@code helper} installed (null: none).
   */
  private static Pair<Gradient, INDArray> backward(
      Call c, LSTMHelper helper, INDArray epsilon, boolean direct) {
    FwdPassReturn dl4jPass = c.dl4j(null, true);
    Map<String, INDArray> views = new TreeMap<>();
    views.put("W", Nd4j.create(DataType.FLOAT, c.inputWeights.shape(), 'f'));
    views.put("RW", Nd4j.create(DataType.FLOAT, c.recurrentWeights.shape(), 'f'));
    views.put("b", Nd4j.create(DataType.FLOAT, c.biases.shape(), 'f'));
    if (direct) {
      return helper.backpropGradient(
          c.layer.conf(),
          c.gate,
          c.input,
          c.recurrentWeights,
          c.inputWeights,
          epsilon,
          false,
          -1,
          dl4jPass,
          true,
          "W",
          "RW",
          "b",
          views,
          null,
          false,
          LayerWorkspaceMgr.noWorkspaces());
    }
    return LSTMHelpers.backpropGradientHelper(
        c.layer,
        c.layer.conf(),
        c.gate,
        c.input,
        c.recurrentWeights,
        c.inputWeights,
        epsilon,
        false,
        -1,
        dl4jPass,
        true,
        "W",
        "RW",
        "b",
        views,
        null,
        false,
        helper,
        LayerWorkspaceMgr.noWorkspaces(),
        false);
  }

  /** Three 1s in a step (neither one-hot nor one-hot plus the marker): the dense product runs. */
  @Test
  void threeOnesInAStepTakeTheDensePathAndMatch() {
    Random rnd = new Random(23);
    Batch b = lastStepBatch(rnd, 5, 4, true, false);
    INDArray f = b.features();
    for (int k = 0; k < VALUES; k++) {
      f.putScalar(new int[] {2, k, 1}, k < 3 ? 1.0 : 0.0);
    }
    MultiLayerNetwork[] nets = pair(Variant.STATELESS, 8, 4);
    assertSameGradients(nets[0], nets[1], b);
    CountingFastLstmHelper.Stats s = stats(nets[1]);
    assertTrue(s.denseForwards() > 0 && s.oneHotForwards() == 0, s.toString());
    assertTrue(s.backwards() > 0 && s.declined() == 0, s.toString());
  }

  @Test
  void networksInParallelThreadsGiveTheSequentialResult() throws Exception {
    Random rnd = new Random(10);
    List<Batch> data = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      data.add(lastStepBatch(rnd, 16, 5, true, false));
    }
    MultiLayerNetwork reference = net(Variant.STATELESS, LstmImplementation.FAST, 21, 5);
    for (Batch b : data) {
      reference.fit(b.dataSet());
    }
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<INDArray>> results = new ArrayList<>();
      for (int w = 0; w < 3; w++) {
        results.add(
            pool.submit(
                () -> {
                  MultiLayerNetwork n = net(Variant.STATELESS, LstmImplementation.FAST, 21, 5);
                  for (Batch b : data) {
                    n.fit(b.dataSet());
                  }
                  return n.params().dup();
                }));
      }
      for (Future<INDArray> r : results) {
        assertEquals(reference.params(), r.get(), "parallel networks are independent");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The input epsilon: skipped only where MultiLayerNetwork discards it

  @Test
  void fitSkipsTheInputEpsilonOnlyWhereTheNetworkDiscardsIt() {
    Random rnd = new Random(11);
    MultiLayerNetwork[] nets = pair(Variant.STATELESS, 19, 5);
    Batch b = lastStepBatch(rnd, 6, 5, true, false);
    // calculateGradients returns the input epsilon: computed, and equal to DL4J's.
    assertSameGradients(nets[0], nets[1], b);
    CountingFastLstmHelper.Stats s = stats(nets[1]);
    assertTrue(s.backwards() >= 2, s.toString());
    // assertSameGradients also ran computeGradientAndScore(), which discards it: skipped once.
    assertEquals(1, s.epsilonsSkipped(), s.toString());
    Pair<Gradient, INDArray> e = nets[0].calculateGradients(b.features(), b.labels(), null, null);
    INDArray eEps = e.getSecond().dup();
    INDArray aEps = nets[1].calculateGradients(b.features(), b.labels(), null, null).getSecond();
    assertClose(aEps, eEps, "epsilon to the input from calculateGradients");
    assertEquals(1, stats(nets[1]).epsilonsSkipped(), "calculateGradients never skips");
    long before = stats(nets[1]).backwards();
    nets[0].fit(b.dataSet());
    nets[1].fit(b.dataSet());
    s = stats(nets[1]);
    assertEquals(before + 1, s.backwards(), s.toString());
    assertEquals(2, s.epsilonsSkipped(), "fit skips: " + s);
    assertClose(nets[1].params(), nets[0].params(), "parameters after fit");
  }

  @Test
  void directLayerBackpropReturnsTheEpsilon() {
    Random rnd = new Random(12);
    int t = 4;
    MultiLayerNetwork[] nets = pair(Variant.SEQ2SEQ, 23, t);
    INDArray x = features(rnd, 5, t, true);
    INDArray eps = Nd4j.randn(new Random(13).nextLong(), new long[] {5, HIDDEN, t});
    eps = eps.castTo(DataType.FLOAT);
    INDArray[] result = new INDArray[2];
    for (int i = 0; i < 2; i++) {
      nets[i].initGradientsView();
      Layer layer = lstmLayer(nets[i]);
      assertEquals(0, layer.getIndex());
      LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
      layer.setInput(x, mgr);
      layer.activate(true, mgr);
      Pair<Gradient, INDArray> p = layer.backpropGradient(eps.dup(), mgr);
      assertTrue(p.getSecond() != null, "epsilon returned to a direct caller");
      result[i] = p.getSecond().dup();
    }
    assertClose(result[1], result[0], "epsilon of a direct backpropGradient call");
    assertEquals(0, stats(nets[1]).epsilonsSkipped());
    assertFalse(FastLstmLayer.calledByFitOfNetworkInput(), "a test method is not fit");
  }

  /** Two LSTM layers (fast at both, or DL4J at both) and a per-step output layer. */
  private static MultiLayerNetwork stacked(boolean fast, double dropOut) {
    return stacked(fast, dropOut, 0);
  }

  /** As above, with dropout (retaining {@code dropOut}, if above 0) on layer {@code dropOutAt}. */
  private static MultiLayerNetwork stacked(boolean fast, double dropOut, int dropOutAt) {
    NeuralNetConfiguration.ListBuilder list =
        new NeuralNetConfiguration.Builder()
            .seed(31)
            .dataType(DataType.FLOAT)
            .updater(new org.nd4j.linalg.learning.config.Adam(0.01))
            .weightInit(org.deeplearning4j.nn.weights.WeightInit.XAVIER)
            .list();
    for (int i = 0; i < 2; i++) {
      LSTM.Builder lb =
          new LSTM.Builder().nIn(i == 0 ? VALUES : HIDDEN).nOut(HIDDEN).activation(Activation.TANH);
      if (dropOut > 0 && i == dropOutAt) {
        lb.dropOut(dropOut);
      }
      LSTM lstm = lb.build();
      list.layer(fast ? CountingFastLstm.counting(lstm) : lstm);
    }
    list.layer(
        new RnnOutputLayer.Builder(org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT)
            .nIn(HIDDEN)
            .nOut(VALUES)
            .activation(Activation.SOFTMAX)
            .build());
    MultiLayerNetwork net =
        new MultiLayerNetwork(list.setInputType(InputType.recurrent(VALUES)).build());
    net.init();
    return net;
  }

  @Test
  void stackedLayersPassTheFullEpsilonBetweenThem() {
    Random rnd = new Random(14);
    int t = 5;
    MultiLayerNetwork dl4j = stacked(false, 0);
    MultiLayerNetwork fast = stacked(true, 0);
    INDArray p = dl4j.params().dup();
    p.addi(Nd4j.randn(new Random(15).nextLong(), p.shape()).castTo(DataType.FLOAT).muli(0.3));
    dl4j.setParams(p);
    fast.setParams(p.dup());
    for (int it = 0; it < 3; it++) {
      Batch b = perStepBatch(rnd, 9, t, it % 2 == 0, false, it == 2);
      // Layer 0's gradients depend on the epsilon from layer 1.
      assertSameGradients(dl4j, fast, b);
      dl4j.fit(b.dataSet());
      fast.fit(b.dataSet());
      assertClose(fast.params(), dl4j.params(), "parameters after fit " + it);
    }
    CountingFastLstmHelper.Stats s0 = stats(fast.getLayer(0));
    CountingFastLstmHelper.Stats s1 = stats(fast.getLayer(1));
    assertTrue(s0.epsilonsSkipped() >= 3, "layer 0 skips in fit: " + s0);
    assertEquals(0, s1.epsilonsSkipped(), "layer 1 never skips: " + s1);
    assertTrue(s1.backwards() > 0 && s1.declined() == 0 && s0.declined() == 0, s1 + " " + s0);
  }

  @Test
  void inputDropoutKeepsTheEpsilon() {
    // DL4J's dropout backprop reads the returned epsilon: then it is computed even in fit.
    Random rnd = new Random(16);
    MultiLayerNetwork fast = stacked(true, 0.8);
    fast.fit(perStepBatch(rnd, 4, 3, true, false, false).dataSet());
    CountingFastLstmHelper.Stats s0 = stats(fast.getLayer(0));
    assertTrue(s0.backwards() > 0, s0.toString());
    assertEquals(0, s0.epsilonsSkipped(), s0.toString());
  }

  /**
   * Dropout by value: DL4J's dropout draws its mask from ND4J's random generator, so seeding it
   * alike before each call gives both networks the same masks. On layer 0 the mask drops inputs; on
   * layer 1 it drops layer 0's outputs and its backprop scales the epsilon layer 1 returns.
   */
  @Test
  void dropoutMatchesDl4jByValue() {
    Random rnd = new Random(24);
    for (int at = 0; at < 2; at++) {
      MultiLayerNetwork dl4j = stacked(false, 0.7, at);
      MultiLayerNetwork fast = stacked(true, 0.7, at);
      MultiLayerNetwork otherMasks = stacked(false, 0.7, at);
      assertEquals(dl4j.params(), fast.params());
      for (int it = 0; it < 3; it++) {
        Batch b = perStepBatch(rnd, 6, 4, it % 2 == 0, false, it == 2);
        Nd4j.getRandom().setSeed(1000 + it);
        Pair<Gradient, INDArray> e =
            dl4j.calculateGradients(b.features(), b.labels(), null, b.labelMask());
        Map<String, INDArray> eg = copy(e.getFirst());
        INDArray eEps = e.getSecond().dup();
        Nd4j.getRandom().setSeed(1000 + it);
        Pair<Gradient, INDArray> a =
            fast.calculateGradients(b.features(), b.labels(), null, b.labelMask());
        for (String key : eg.keySet()) {
          assertClose(
              a.getFirst().getGradientFor(key), eg.get(key), "dropout at " + at + ", " + key);
        }
        assertClose(a.getSecond(), eEps, "dropout at " + at + ", epsilon to the input");
        Nd4j.getRandom().setSeed(2000 + it);
        dl4j.fit(b.dataSet());
        Nd4j.getRandom().setSeed(2000 + it);
        fast.fit(b.dataSet());
        assertClose(
            fast.params(), dl4j.params(), "dropout at " + at + ", parameters after fit " + it);
        Nd4j.getRandom().setSeed(3000 + it);
        otherMasks.fit(b.dataSet());
      }
      // The masks matter: other masks give other parameters.
      assertTrue(worst(otherMasks.params(), dl4j.params(), RTOL) > 1.0, "dropout at " + at);
      CountingFastLstmHelper.Stats s = stats(fast.getLayer(at));
      assertTrue(s.backwards() > 0 && s.declined() == 0, s.toString());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Configuration

  @Test
  void configurationSurvivesJsonAndJavaSerialization() throws Exception {
    for (Variant v : new Variant[] {Variant.STATELESS, Variant.SEQ2SEQ, Variant.STATEFUL}) {
      MultiLayerConfiguration conf =
          NetworkFactory.build(v, VALUES, HIDDEN, 0.01, 1, 5, LstmImplementation.FAST);
      String json = conf.toJson();
      assertTrue(json.contains(FastLstm.class.getName()), "JSON names the fast layer");
      MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
      assertEquals(conf, back, v + " JSON round trip");
      assertEquals(json, back.toJson());

      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(conf);
      }
      MultiLayerConfiguration java;
      try (ObjectInputStream in =
          new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        java = (MultiLayerConfiguration) in.readObject();
      }
      assertEquals(conf, java, v + " Java serialization");
      MultiLayerNetwork net = new MultiLayerNetwork(java);
      net.init();
      assertInstanceOf(FastLstmLayer.class, lstmLayer(net));

      MultiLayerConfiguration dl4j =
          NetworkFactory.build(v, VALUES, HIDDEN, 0.01, 1, 5, LstmImplementation.DL4J);
      assertNotEquals(dl4j, conf, "fast and DL4J configurations differ");
      assertFalse(dl4j.toJson().contains(FastLstm.class.getName()));
    }
  }

  @Test
  void fastCopyKeepsEveryDl4jSetting() {
    LSTM lstm =
        new LSTM.Builder()
            .nIn(3)
            .nOut(4)
            .activation(Activation.TANH)
            .forgetGateBiasInit(2.5)
            .name("x")
            .build();
    FastLstm fast = FastLstm.of(lstm);
    assertEquals(2.5, fast.getForgetGateBiasInit());
    assertEquals("x", fast.getLayerName());
    assertEquals(3, fast.getNIn());
    assertEquals(4, fast.getNOut());
    assertFalse(fast.isHelperAllowFallback(), "fallback off: helper errors are not hidden");
    LSTM plain = (LSTM) lstm.clone();
    plain.setHelperAllowFallback(false);
    // Equal field by field to the DL4J layer, but a different layer.
    assertNotEquals(plain, fast);
    assertNotEquals(fast, plain);
    assertEquals(fast, FastLstm.of(lstm));
    assertEquals(fast, fast.clone());
  }

  @Test
  void implementationIds() {
    assertEquals(LstmImplementation.FAST, LstmImplementation.parse("fast"));
    assertEquals(LstmImplementation.DL4J, LstmImplementation.parse("dl4j"));
    assertEquals("fast", LstmImplementation.FAST.id());
    assertThrows(IllegalArgumentException.class, () -> LstmImplementation.parse("cudnn"));
  }
}
