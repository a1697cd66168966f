package io.echolstm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.codec.PackedBatch;
import io.echolstm.window.Frame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class MinibatchesTest {

  @Test
  void theChunksOfAnEpochCoverEveryMinibatchOnce() {
    for (int n : new int[] {0, 1, 7, 40, 41}) {
      for (int chunks : new int[] {1, 3, 8}) {
        List<Integer> seen = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
          int[] picked = Minibatches.selected(n, 42, 1, 0, c, chunks);
          // nearly equal shares
          assertTrue(Math.abs(picked.length - (double) n / chunks) < 1.0, n + "/" + chunks);
          Arrays.stream(picked).forEach(seen::add);
        }
        assertEquals(n, seen.size());
        assertEquals(n, new HashSet<>(seen).size(), "no minibatch twice");
      }
    }
  }

  /**
   * Cut at multiples of an averaging round's minibatches, the chunks still cover every minibatch
   * once and follow the same order; only the epoch's last chunk may end with a short round.
   */
  @Test
  void chunksCutInWholeRoundsCoverEveryMinibatchOnceInOrder() {
    for (int n : new int[] {0, 1, 7, 40, 41, 63}) {
      for (int unit : new int[] {1, 3, 20}) {
        for (int chunks : new int[] {1, 3, 8}) {
          List<Integer> seen = new ArrayList<>();
          for (int c = 0; c < chunks; c++) {
            int[] picked = Minibatches.selected(n, 42, 1, 0, c, chunks, unit);
            if (seen.size() + picked.length < n) {
              assertEquals(0, picked.length % unit, n + "/" + unit + "/" + chunks + " chunk " + c);
            }
            Arrays.stream(picked).forEach(seen::add);
          }
          int[] whole = Minibatches.selected(n, 42, 1, 0, 0, 1);
          assertEquals(Arrays.stream(whole).boxed().toList(), seen, n + "/" + unit + "/" + chunks);
        }
      }
    }
    // unit 1 cuts where the plain slices do
    for (int c = 0; c < 3; c++) {
      assertArrayEquals(
          Minibatches.selected(41, 42, 1, 0, c, 3), Minibatches.selected(41, 42, 1, 0, c, 3, 1));
    }
  }

  @Test
  void theOrderIsSeededAndDiffersBetweenEpochsAndPartitions() {
    int[] a = Minibatches.selected(50, 42, 1, 0, 0, 1);
    assertArrayEquals(a, Minibatches.selected(50, 42, 1, 0, 0, 1));
    assertNotEquals(Arrays.toString(a), Arrays.toString(Minibatches.selected(50, 42, 2, 0, 0, 1)));
    assertNotEquals(Arrays.toString(a), Arrays.toString(Minibatches.selected(50, 42, 1, 1, 0, 1)));
    assertNotEquals(Arrays.toString(a), Arrays.toString(Minibatches.selected(50, 7, 1, 0, 0, 1)));
  }

  private static List<Integer> sorted(List<Integer> values) {
    List<Integer> out = new ArrayList<>(values);
    out.sort(null);
    return out;
  }

  @Test
  void batchesHoldEveryFrameOnceInMinibatchesOfTheBatchSize() {
    List<Frame> frames = new ArrayList<>();
    for (int i = 0; i < 103; i++) {
      frames.add(new Frame(i, 0, new int[] {i}, new int[] {i}, new boolean[] {true}));
    }
    List<PackedBatch> batches = Minibatches.batches(frames, 25, 9);
    assertEquals(List.of(25, 25, 25, 25, 3), batches.stream().map(PackedBatch::size).toList());
    List<Integer> values = new ArrayList<>();
    for (PackedBatch b : batches) {
      assertEquals(1, b.steps());
      for (int i = 0; i < b.size(); i++) {
        assertEquals(b.features()[i], b.labels()[i], "features and label stay together");
        values.add(b.features()[i]);
      }
    }
    List<Integer> expected = new ArrayList<>();
    frames.forEach(f -> expected.add(f.features()[0]));
    assertEquals(sorted(expected), sorted(values), "every frame once");
    assertNotEquals(
        expected.subList(0, 25), values.subList(0, 25), "shuffled, not in sequence order");
    assertArrayEquals(
        batches.get(0).features(), Minibatches.batches(frames, 25, 9).get(0).features());
  }
}
