package io.echolstm.config;

/**
 * The {@code eval.*} settings: when and how a point is evaluated.
 *
 * @param everyWindows evaluate on the validation set and record a history entry every this many
 *     training windows (rounded to whole chunks of an epoch), and at the end
 * @param batchSize windows scored per forward pass in evaluation
 */
public record EvalSettings(int everyWindows, int batchSize) {
  public EvalSettings {
    Settings.EVAL_EVERY_WINDOWS.check(everyWindows);
    Settings.EVAL_BATCH_SIZE.check(batchSize);
  }
}
