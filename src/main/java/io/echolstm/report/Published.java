package io.echolstm.report;

import java.util.List;

/**
 * The outcomes the tutorial published for its three setups (integers 0..99, one LSTM layer), to be
 * shown beside the measured ones. A point matches a setup by variant, lag and window, whatever its
 * other settings.
 */
final class Published {
  /**
   * One published outcome.
   *
   * @param accuracy the published accuracy, as a fraction
   * @param accuracyText how the tutorial states it
   * @param lossText the published loss, or null when the tutorial gives none
   */
  record Finding(
      String name,
      int lag,
      int window,
      double accuracy,
      String accuracyText,
      String lossText,
      String meaning) {

    String setup() {
      return "lag " + lag + ", window " + window;
    }

    boolean matches(PointResult p) {
      return (p.variant() == null || p.variant().equals("stateless"))
          && p.lag() != null
          && p.lag() == lag
          && p.window() != null
          && p.window() == window;
    }
  }

  static final List<Finding> FINDINGS =
      List.of(
          new Finding(
              "echo the current value",
              0,
              1,
              1.0,
              "100 %",
              null,
              "the value to echo is the input: learned perfectly"),
          new Finding(
              "the beginner's mistake",
              1,
              1,
              0.0,
              "near 0 % (chance, 1 %)",
              "≈ 4.6 (ln 100)",
              "the previous value is not in a one-step input: nothing to learn"),
          new Finding(
              "echo lag 1 from a 5-step window",
              1,
              5,
              1.0,
              "near 100 %",
              null,
              "the lagged value is inside the window: learned"));

  private Published() {}

  static List<PointResult> measured(Finding f, List<PointResult> points) {
    return points.stream().filter(f::matches).toList();
  }
}
