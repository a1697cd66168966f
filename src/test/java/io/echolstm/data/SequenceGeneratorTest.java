package io.echolstm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SequenceGeneratorTest {

  @Test
  void samePartitionAndSeedGiveTheSameSequences() {
    List<int[]> a = SequenceGenerator.partition(42, Seeds.TRAIN_STREAM, 3, 10, 100, 25);
    List<int[]> b = SequenceGenerator.partition(42, Seeds.TRAIN_STREAM, 3, 10, 100, 25);
    assertEquals(10, a.size());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i), b.get(i));
    }
  }

  @Test
  void partitionsSeedsAndStreamsAllDiffer() {
    int[] base = SequenceGenerator.partition(42, Seeds.TRAIN_STREAM, 0, 1, 100, 25).get(0);
    int[] otherPartition =
        SequenceGenerator.partition(42, Seeds.TRAIN_STREAM, 1, 1, 100, 25).get(0);
    int[] otherSeed = SequenceGenerator.partition(43, Seeds.TRAIN_STREAM, 0, 1, 100, 25).get(0);
    int[] evalStream = SequenceGenerator.partition(42, Seeds.EVAL_STREAM, 0, 1, 100, 25).get(0);
    assertFalse(Arrays.equals(base, otherPartition));
    assertFalse(Arrays.equals(base, otherSeed));
    assertFalse(Arrays.equals(base, evalStream));
  }

  @Test
  void valuesStayInRangeAndCoverIt() {
    Set<Integer> seen = new HashSet<>();
    for (int[] s : SequenceGenerator.partition(7, Seeds.TRAIN_STREAM, 0, 200, 10, 25)) {
      assertEquals(25, s.length);
      for (int v : s) {
        assertTrue(v >= 0 && v < 10, "value out of range: " + v);
        seen.add(v);
      }
    }
    assertEquals(10, seen.size());
  }

  @Test
  void partitionLayoutCoversEveryIdOnce() {
    int total = 23;
    int partitions = 4;
    long next = 0;
    int counted = 0;
    for (int p = 0; p < partitions; p++) {
      assertEquals(next, SequenceGenerator.firstIdIn(p, total, partitions));
      int count = SequenceGenerator.countIn(p, total, partitions);
      assertTrue(count == 5 || count == 6, "unbalanced partition: " + count);
      next += count;
      counted += count;
    }
    assertEquals(total, counted);
  }

  @Test
  void derivedSeedsAreDistinct() {
    Set<Long> seeds = new HashSet<>();
    for (long stream = 1; stream <= 2; stream++) {
      for (long p = 0; p < 1000; p++) {
        seeds.add(Seeds.derive(42, stream, p));
      }
    }
    assertEquals(2000, seeds.size());
  }
}
