package io.echolstm.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a point frames its samples and what the network predicts: the tutorial's default and the
 * extensions it leaves to the reader.
 */
public enum Variant {
  /** Each full window is an independent sample; the label is the value {@code lag} steps back. */
  STATELESS(false),
  /**
   * One sample per sequence position, fed in order with the LSTM state carried from sample to
   * sample within a sequence and reset between sequences; gradients are truncated at each sample
   * (truncated BPTT with segment length = window). The first step of each window carries a
   * window-start marker (one extra input), since no zero state marks it. Every label whose value
   * lies in the sequence has been in the input by the time it is asked for (in its own window or an
   * earlier one, through the carried state), so no lag makes a control. Window 1, lag 1 is the
   * tutorial's beginner mistake.
   */
  STATEFUL(true),
  /**
   * Like stateless, but positions without full history are kept with their missing steps masked
   * instead of dropped.
   */
  MASKED(false),
  /** Each sample is the sequence so far, padded and masked to the sequence length. */
  WHOLE_SEQUENCE(false),
  /** Full windows; the network outputs, at every step, the value {@code lag} steps back. */
  SEQ2SEQ(true);

  private final boolean perStepOutput;

  Variant(boolean perStepOutput) {
    this.perStepOutput = perStepOutput;
  }

  /** True when the network emits a prediction at every time step (labels masked where unused). */
  public boolean perStepOutput() {
    return perStepOutput;
  }

  /** True when the variant's inputs can hold masked steps (a feature mask goes with them). */
  public boolean maskedInputs() {
    return this == MASKED || this == WHOLE_SEQUENCE;
  }

  /**
   * True when the first step of each window carries a window-start marker: an extra input feature
   * (index {@code values}) set to 1 there. Only the stateful variant with a window of more than one
   * step has it: its windows start from a carried state, so nothing else tells the network where a
   * window begins, and an LSTM cannot then latch "the first value of the window"; it would have to
   * learn every in-window lag as a delay line over an unbroken stream (window 5, lag 4 stayed at
   * 0.14 without the marker and reached 0.99 within an epoch with it). With one step per window
   * every step would be marked, which tells nothing: the beginner's mistake keeps the tutorial's
   * input.
   */
  public boolean marksWindowStarts(int window) {
    return this == STATEFUL && window > 1;
  }

  /**
   * Input features per step for integers {@code 0..values-1}: the one-hot values, plus the marker
   * where {@link #marksWindowStarts(int)}.
   */
  public int inputs(int values, int window) {
    return marksWindowStarts(window) ? values + 1 : values;
  }

  /** The name used in configs and in the results table. */
  public String id() {
    return Setting.id(this);
  }

  /**
   * True when the label can be in what the model has seen: lag inside the window, or any lag for
   * the whole-sequence variant (the sequence so far is the input) and the stateful variant (the
   * earlier windows of the sequence went through the carried LSTM state). Labels whose value would
   * precede the sequence start are masked, not counted. Points where it cannot are kept as controls
   * that should stay at chance.
   */
  public boolean labelReachable(int lag, int window) {
    return this == WHOLE_SEQUENCE || this == STATEFUL || lag < window;
  }

  public static Variant parse(String key, String text) {
    for (Variant v : values()) {
      if (v.id().equals(text)) {
        return v;
      }
    }
    throw new SettingsException(
        key,
        "unknown variant '"
            + text
            + "', expected one of "
            + Arrays.stream(values()).map(Variant::id).collect(Collectors.joining(", ")));
  }
}
