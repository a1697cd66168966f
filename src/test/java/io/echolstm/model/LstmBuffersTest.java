package io.echolstm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The fast layer's reused buffers: kept for one shape, freed as soon as another replaces them. */
class LstmBuffersTest {
  @Test
  void aNewShapeFreesTheBuffersOfTheLastOne() {
    LstmBuffers b = new LstmBuffers();
    b.ensure(4, 3, 2, 5);
    INDArray x = b.xN;
    INDArray z = b.zFlat;
    b.ensure(4, 3, 2, 5);
    assertSame(x, b.xN, "the same shape keeps its buffers");
    b.ensure(3, 3, 2, 5);
    assertTrue(x.wasClosed() && z.wasClosed(), "the last shape's buffers are freed at once");
    assertArrayEquals(new long[] {15, 3}, b.xN.shape());
    assertFalse(b.xN.wasClosed());
    INDArray last = b.xN;
    b.close();
    assertTrue(last.wasClosed());
    assertNull(b.xN);
    b.ensure(3, 3, 2, 5);
    assertFalse(b.xN.wasClosed(), "allocated again after close");
    b.close();
  }
}
