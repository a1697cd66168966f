package io.echolstm.data;

/**
 * Derives independent seeds from a base seed, so every (stream, partition) pair gets its own
 * generator and no generator is ever shared or captured across tasks.
 */
public final class Seeds {
  /** The training sequences' stream. */
  public static final long TRAIN_STREAM = 1;

  /**
   * The held-out test sequences' stream, whose metrics the results table reports: never overlaps
   * the training or validation streams.
   */
  public static final long EVAL_STREAM = 2;

  /** The validation sequences' stream, on which training decisions (target, plateau) are made. */
  public static final long VALIDATION_STREAM = 3;

  /** The order in which training windows are grouped into minibatches and fitted. */
  public static final long ORDER_STREAM = 4;

  private Seeds() {}

  /**
   * A well-mixed seed for {@code (seed, stream, partition)}; SplitMix64 finalizer per component.
   */
  public static long derive(long seed, long stream, long partition) {
    long h = mix(seed);
    h = mix(h ^ mix(stream + 0x9E3779B97F4A7C15L));
    return mix(h ^ mix(partition + 0xD1B54A32D192ED03L));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
