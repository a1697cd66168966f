package io.echolstm.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates the random integer sequences of one partition. Pure Java: the Spark glue calls it
 * inside each partition, and tests call it with no session.
 */
public final class SequenceGenerator {
  private SequenceGenerator() {}

  /**
   * Sequences held by {@code partition} when {@code total} sequences are spread over {@code
   * partitions}.
   */
  public static int countIn(int partition, int total, int partitions) {
    return total / partitions + (partition < total % partitions ? 1 : 0);
  }

  /** Global id of the first sequence of {@code partition}; ids are dense from 0. */
  public static long firstIdIn(int partition, int total, int partitions) {
    return (long) partition * (total / partitions) + Math.min(partition, total % partitions);
  }

  /**
   * The sequences of one partition, each {@code length} values drawn uniformly from {@code
   * 0..values-1} by a generator seeded from {@code (seed, stream, partition)} alone.
   */
  public static List<int[]> partition(
      long seed, long stream, int partition, int count, int values, int length) {
    SplittableRandom random = new SplittableRandom(Seeds.derive(seed, stream, partition));
    List<int[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int[] sequence = new int[length];
      for (int t = 0; t < length; t++) {
        sequence[t] = random.nextInt(values);
      }
      out.add(sequence);
    }
    return out;
  }
}
