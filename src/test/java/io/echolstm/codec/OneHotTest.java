package io.echolstm.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.echolstm.config.Variant;
import io.echolstm.window.Frame;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class OneHotTest {

  @Test
  void windowsAreBatchByValuesByTime() {
    INDArray x = OneHot.windows(new int[][] {{3, 0, 9}, {1, 1, 2}}, 10);
    assertArrayEquals(new long[] {2, 10, 3}, x.shape());
    assertEquals(6.0, x.sumNumber().doubleValue());
    assertEquals(1.0, x.getDouble(0, 3, 0));
    assertEquals(1.0, x.getDouble(0, 9, 2));
    assertEquals(1.0, x.getDouble(1, 2, 2));
    assertEquals(0.0, x.getDouble(1, 2, 1));
  }

  @Test
  void encodeThenDecodeIsTheIdentity() {
    int[] labels = {0, 7, 99, 42, 42, 13};
    assertArrayEquals(labels, OneHot.decode(OneHot.labels(labels, 100)));
    for (int t = 0; t < 3; t++) {
      INDArray step =
          OneHot.windows(new int[][] {{5, 6, 7}, {8, 9, 0}}, 10)
              .get(
                  org.nd4j.linalg.indexing.NDArrayIndex.all(),
                  org.nd4j.linalg.indexing.NDArrayIndex.all(),
                  org.nd4j.linalg.indexing.NDArrayIndex.point(t));
      assertArrayEquals(new int[] {5 + t, (8 + t) % 10}, OneHot.decode(step));
    }
  }

  @Test
  void valuesOutsideTheRangeAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> OneHot.labels(new int[] {10}, 10));
    assertThrows(IllegalArgumentException.class, () -> OneHot.windows(new int[][] {{-2}}, 10));
  }

  @Test
  void maskedStepsAreEmptyAndMaskedOut() {
    Frame f = new Frame(0, 2, new int[] {-1, 4, 5}, new int[] {4}, new boolean[] {true});
    OneHot.Batch b = new Inputs(Variant.MASKED, 6, 3).encode(List.of(f));
    assertEquals(0.0, b.features().slice(0).getColumn(0).sumNumber().doubleValue());
    assertEquals(2.0, b.features().sumNumber().doubleValue());
    assertEquals(Nd4j.createFromArray(new float[][] {{0, 1, 1}}), b.featureMask());
    assertArrayEquals(new long[] {1, 6}, b.labels().shape());
  }

  @Test
  void perStepLabelsCarryALabelMask() {
    Frame f =
        new Frame(
            0, 2, new int[] {1, 2, 3}, new int[] {-1, 1, 2}, new boolean[] {false, true, true});
    OneHot.Batch b = new Inputs(Variant.SEQ2SEQ, 4, 3).encode(List.of(f));
    assertArrayEquals(new long[] {1, 4, 3}, b.labels().shape());
    assertEquals(Nd4j.createFromArray(new float[][] {{0, 1, 1}}), b.labelMask());
    assertEquals(1.0, b.labels().getDouble(0, 2, 2));
    assertEquals(0.0, b.labels().sumNumber().doubleValue() - 2.0);
    assertEquals(null, b.featureMask());
  }

  @Test
  void statefulFramesMarkEachWindowStart() {
    // Two windows of 3 (positions 2 and 3 of 1,2,3,4), labels on each window's last step.
    Frame f =
        new Frame(
            0,
            3,
            new int[] {1, 2, 3, 2, 3, 4},
            new int[] {-1, -1, 2, -1, -1, 3},
            new boolean[] {false, false, true, false, false, true});
    Inputs inputs = new Inputs(Variant.STATEFUL, 5, 3);
    assertEquals(6, inputs.features());
    OneHot.Batch b = inputs.encode(List.of(f));
    assertArrayEquals(new long[] {1, 6, 6}, b.features().shape());
    // The marker (feature 5) is 1 at steps 0 and 3 only; each step still holds its value.
    assertEquals(
        Nd4j.createFromArray(new float[] {1, 0, 0, 1, 0, 0}), b.features().slice(0).getRow(5));
    for (int step = 0; step < 6; step++) {
      INDArray column = b.features().slice(0).getColumn(step);
      assertEquals(1.0, column.getDouble(f.features()[step]), "value at step " + step);
      assertEquals(step % 3 == 0 ? 2.0 : 1.0, column.sumNumber().doubleValue(), "step " + step);
    }
    assertArrayEquals(new long[] {1, 5, 6}, b.labels().shape(), "labels stay one-hot values");
    // Windows of one step would all be marked: no marker (the beginner's mistake's input).
    assertEquals(5, new Inputs(Variant.STATEFUL, 5, 1).features());
    // Other variants have no marker.
    Frame w = new Frame(0, 2, new int[] {1, 2, 3}, new int[] {1}, new boolean[] {true});
    assertArrayEquals(
        new long[] {1, 5, 3},
        new Inputs(Variant.STATELESS, 5, 3).encode(List.of(w)).features().shape());
  }
}
