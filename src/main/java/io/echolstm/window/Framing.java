package io.echolstm.window;

import io.echolstm.config.Variant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pure-Java reference framing of every variant; {@link WindowFrames} does the same in Spark SQL
 * and is tested against it. For window {@code W} and lag {@code L}:
 *
 * <ul>
 *   <li>stateless: positions {@code t >= max(W-1, L)}; input {@code s[t-W+1..t]}; label {@code
 *       s[t-L]} (the tutorial's shift/concat with NaN rows dropped);
 *   <li>masked: positions {@code t >= L}; input steps before the sequence start are masked;
 *   <li>whole-sequence: positions {@code t >= L}; input {@code s[0..t]} padded with masked steps to
 *       the sequence length;
 *   <li>seq2seq: positions {@code t >= max(W-1, L)}; input {@code s[t-W+1..t]}; at step {@code k}
 *       (absolute position {@code p}) the label {@code s[p-L]}, masked where {@code p-L < 0} (a
 *       window ending before {@code t = L} would have every label masked, and is not framed);
 *   <li>stateful: one frame per sequence, the stateless-style windows of positions {@code t >= W-1}
 *       concatenated, each window's label {@code s[t-L]} on its last step (masked where {@code t-L
 *       < 0}), every other step's label masked. Every unmasked label is reachable, for any lag:
 *       windows {@code W-1..t} together hold {@code s[0..t]}, and the LSTM state is carried from
 *       window to window. The network also sees where each window starts: the frame codec ({@code
 *       codec.Inputs}) adds a marker to each window's first step when it encodes the frame.
 * </ul>
 */
public final class Framing {
  private Framing() {}

  /**
   * The position of a sequence's first sample (a stateful frame's first window). Every variant's
   * samples carry at least one label from there on, except the stateful frame's windows before
   * {@code t = lag}, which it holds for the state they carry.
   */
  public static int firstPosition(Variant variant, int window, int lag) {
    return switch (variant) {
      case STATELESS, SEQ2SEQ -> Math.max(window - 1, lag);
      case MASKED, WHOLE_SEQUENCE -> lag;
      case STATEFUL -> window - 1;
    };
  }

  /** Samples (windows) one sequence of {@code length} values yields; a stateful frame holds all. */
  public static int samplesPerSequence(Variant variant, int length, int window, int lag) {
    return Math.max(0, length - firstPosition(variant, window, lag));
  }

  /**
   * The samples of {@link #samplesPerSequence} that carry a label: what the results count as
   * windows, in every variant. Only a stateful frame holds windows without one (positions {@code t
   * < lag}: the value precedes the sequence); they are fed for the state they carry, not counted.
   */
  public static int labelledSamplesPerSequence(Variant variant, int length, int window, int lag) {
    return variant == Variant.STATEFUL
        ? Math.max(0, length - Math.max(firstPosition(variant, window, lag), lag))
        : samplesPerSequence(variant, length, window, lag);
  }

  /** Frames one sequence. */
  public static List<Frame> frame(Variant variant, long seqId, int[] s, int window, int lag) {
    List<Frame> out = new ArrayList<>();
    boolean inWindow = lag < window;
    int first = firstPosition(variant, window, lag);
    switch (variant) {
      case STATELESS -> {
        for (int t = first; t < s.length; t++) {
          out.add(
              single(seqId, t, Arrays.copyOfRange(s, t - window + 1, t + 1), s[t - lag], inWindow));
        }
      }
      case MASKED -> {
        for (int t = first; t < s.length; t++) {
          int[] x = new int[window];
          for (int k = 0; k < window; k++) {
            int p = t - window + 1 + k;
            x[k] = p >= 0 ? s[p] : Frame.MISSING;
          }
          out.add(single(seqId, t, x, s[t - lag], inWindow));
        }
      }
      case WHOLE_SEQUENCE -> {
        for (int t = first; t < s.length; t++) {
          int[] x = new int[s.length];
          Arrays.fill(x, Frame.MISSING);
          System.arraycopy(s, 0, x, 0, t + 1);
          out.add(single(seqId, t, x, s[t - lag], true));
        }
      }
      case SEQ2SEQ -> {
        for (int t = first; t < s.length; t++) {
          int[] labels = new int[window];
          boolean[] reachable = new boolean[window];
          for (int k = 0; k < window; k++) {
            int p = t - window + 1 + k;
            labels[k] = p - lag >= 0 ? s[p - lag] : Frame.MISSING;
            reachable[k] = k >= lag;
          }
          out.add(
              new Frame(seqId, t, Arrays.copyOfRange(s, t - window + 1, t + 1), labels, reachable));
        }
      }
      case STATEFUL -> {
        int samples = samplesPerSequence(variant, s.length, window, lag);
        int[] x = new int[samples * window];
        int[] labels = new int[samples * window];
        boolean[] reachable = new boolean[samples * window];
        Arrays.fill(labels, Frame.MISSING);
        for (int i = 0; i < samples; i++) {
          int t = first + i;
          System.arraycopy(s, t - window + 1, x, i * window, window);
          int last = i * window + window - 1;
          labels[last] = t - lag >= 0 ? s[t - lag] : Frame.MISSING;
          reachable[last] = t - lag >= 0;
        }
        if (samples > 0) {
          out.add(new Frame(seqId, s.length - 1, x, labels, reachable));
        }
      }
    }
    return out;
  }

  private static Frame single(long seqId, int pos, int[] features, int label, boolean reachable) {
    return new Frame(seqId, pos, features, new int[] {label}, new boolean[] {reachable});
  }
}
