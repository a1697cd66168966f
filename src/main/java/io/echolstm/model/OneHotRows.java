package io.echolstm.model;

import java.util.Arrays;

/**
 * The input projection as a row lookup: when each input step holds at most two exact 1s among exact
 * zeros (a one-hot value, plus the stateful variant's window-start marker), {@code x W} is the sum
 * of the input-weight rows those 1s select, and the input-weight gradient is a scatter-add of the
 * gate deltas into those rows.
 */
final class OneHotRows {
  private OneHotRows() {}

  /**
   * For input {@code x} (c order [m, n, t]): per (step, b), at {@code r = step*m + b}, the feature
   * indices of the (at most two) exact 1s among exact zeros: the lower at {@code r}, the other at
   * {@code t*m + r}, -1 where there is none. Null if any (b, step) holds anything else (then the
   * dense path runs).
   */
  static int[] find(float[] x, int m, int n, int t, int[] reuse) {
    int tm = m * t;
    int[] hot = reuse != null && reuse.length >= 2 * tm ? reuse : new int[2 * tm];
    Arrays.fill(hot, 0, 2 * tm, -1);
    for (int b = 0; b < m; b++) {
      for (int k = 0; k < n; k++) {
        int base = (b * n + k) * t;
        for (int step = 0; step < t; step++) {
          float v = x[base + step];
          if (v != 0f) {
            int at = step * m + b;
            if (v != 1f || hot[tm + at] >= 0) {
              return null;
            }
            hot[hot[at] >= 0 ? tm + at : at] = k;
          }
        }
      }
    }
    return hot;
  }

  /**
   * Step {@code step}'s {@code z = x W + b} into {@code z} (f order [m, 4h]) from the rows of
   * {@code w} (f order [n, 4h]) that {@code hot} (from {@link #find}) selects.
   */
  static void project(
      int[] hot, float[] w, float[] bias, int m, int n, int t, int g, int step, float[] z) {
    final int hs = step * m;
    final int hs2 = t * m + hs; // the second 1 of each row, if any
    for (int q = 0; q < g; q++) {
      final float bq = bias[q];
      final int wq = q * n;
      final int zq = q * m;
      for (int b = 0; b < m; b++) {
        int k = hot[hs + b];
        int k2 = hot[hs2 + b];
        float xw = k >= 0 ? w[wq + k] : 0f;
        if (k2 >= 0) {
          xw += w[wq + k2];
        }
        z[zq + b] = xw + bq;
      }
    }
  }

  /**
   * The input-weight gradient (f order [n, 4h]) into {@code gw}: the deltas {@code d} (f order
   * [t*m, 4h]) of rows {@code from..t*m-1} added into the rows {@code hot} selects.
   */
  static void weightGradient(int[] hot, float[] d, int n, int g, int tm, int from, float[] gw) {
    Arrays.fill(gw, 0, n * g, 0f);
    for (int q = 0; q < g; q++) {
      final int qn = q * n;
      final int qd = q * tm;
      for (int row = from; row < tm; row++) {
        int k = hot[row];
        if (k >= 0) {
          gw[qn + k] += d[qd + row];
          int k2 = hot[tm + row];
          if (k2 >= 0) {
            gw[qn + k2] += d[qd + row];
          }
        }
      }
    }
  }
}
