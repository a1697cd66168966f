package io.echolstm.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Float arrays as bytes for the state that travels with every averaging round: Java serialization
 * writes a {@code byte[]} in one copy but a {@code float[]} one element at a time, which made
 * shipping a large network's parameters and updater state a visible part of each round.
 */
final class FloatBytes {
  private FloatBytes() {}

  static byte[] pack(float[] values) {
    if (values == null) {
      return null;
    }
    byte[] out = new byte[values.length * Float.BYTES];
    ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
    return out;
  }

  static float[] unpack(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    float[] out = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }
}
