package io.echolstm.model;

import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bulk copies between float INDArrays and Java arrays through the native pointer (one memcpy), with
 * a dup into the wanted order when the array is not contiguous.
 */
final class Nd {
  private Nd() {}

  static float[] ensure(float[] a, int len) {
    return a != null && a.length >= len ? a : new float[len];
  }

  static FloatPointer pointer(INDArray a) {
    if (a.dataType() != DataType.FLOAT) {
      throw new IllegalArgumentException("float array expected, found " + a.dataType());
    }
    return new FloatPointer(a.data().addressPointer());
  }

  static boolean contiguous(INDArray a, char order) {
    return a.ordering() == order
        && Arrays.equals(a.stride(), Nd4j.getStrides(a.shape(), order))
        && (a.length() <= 1 || a.elementWiseStride() == 1);
  }

  /** At most one dimension longer than 1: c and f layouts coincide. */
  private static boolean vectorLike(INDArray a) {
    int big = 0;
    for (long d : a.shape()) {
      if (d > 1) {
        big++;
      }
    }
    return big <= 1;
  }

  private static boolean layoutIs(INDArray a, char order) {
    return contiguous(a, order) || (vectorLike(a) && (contiguous(a, 'c') || contiguous(a, 'f')));
  }

  /** All elements of {@code a} in f (column-major) order. */
  static float[] readF(INDArray a, float[] reuse) {
    return read(a, 'f', reuse);
  }

  /** All elements of {@code a} in c (row-major) order. */
  static float[] readC(INDArray a, float[] reuse) {
    return read(a, 'c', reuse);
  }

  private static float[] read(INDArray a, char order, float[] reuse) {
    int len = Math.toIntExact(a.length());
    float[] out = ensure(reuse, len);
    if (!layoutIs(a, order)) {
      a = a.dup(order);
    }
    if (len > 0) {
      pointer(a).get(out, 0, len);
    }
    return out;
  }

  /** Copies {@code len} values from {@code src[off..]} into a contiguous array {@code dst}. */
  static void write(INDArray dst, float[] src, int off, int len) {
    if (!(contiguous(dst, 'c') || contiguous(dst, 'f')) || dst.length() != len) {
      throw new IllegalArgumentException("contiguous destination expected");
    }
    pointer(dst).put(src, off, len);
  }

  /** Writes {@code src} (f order) into {@code dst}, whatever its layout. */
  static void writeF(INDArray dst, float[] src, int len) {
    if (dst.length() != len) {
      throw new IllegalArgumentException("length " + dst.length() + " != " + len);
    }
    if (layoutIs(dst, 'f')) {
      pointer(dst).put(src, 0, len);
    } else {
      dst.assign(Nd4j.create(Arrays.copyOf(src, len), dst.shape(), 'f'));
    }
  }

  /** c = op(a) op(b), written into c whatever its layout. */
  static void gemmInto(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB) {
    if (contiguous(c, 'f') || contiguous(c, 'c')) {
      Nd4j.gemm(a, b, c, transA, transB, 1.0, 0.0);
    } else {
      INDArray tmp = Nd4j.createUninitialized(DataType.FLOAT, c.shape(), 'f');
      Nd4j.gemm(a, b, tmp, transA, transB, 1.0, 0.0);
      c.assign(tmp);
    }
  }

  /** Fails unless {@code view}'s elements lie inside {@code base}'s memory. */
  static void checkSharesBuffer(INDArray base, INDArray view) {
    long a = base.data().addressPointer().address();
    long v = view.data().addressPointer().address();
    if (v < a || v + 4 * view.length() > a + 4 * base.length()) {
      throw new IllegalStateException("expected a view sharing the buffer");
    }
  }
}
