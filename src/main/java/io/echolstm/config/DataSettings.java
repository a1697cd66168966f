package io.echolstm.config;

/**
 * How the random integer sequences are generated.
 *
 * @param values integers are drawn uniformly from {@code 0..values-1}
 * @param sequenceLength values per sequence
 * @param trainSequences sequences generated for training
 * @param evalSequences held-out test sequences, from their own seed stream; the reported metrics
 *     come from them alone
 * @param validationSequences held-out validation sequences, from another seed stream; training
 *     decisions (target, plateau) are made on them
 * @param partitions Spark partitions the sequences are generated in
 */
public record DataSettings(
    int values,
    int sequenceLength,
    int trainSequences,
    int evalSequences,
    int validationSequences,
    int partitions) {

  public DataSettings {
    Settings.DATA_VALUES.check(values);
    Settings.DATA_SEQUENCE_LENGTH.check(sequenceLength);
    Settings.DATA_TRAIN_SEQUENCES.check(trainSequences);
    Settings.DATA_EVAL_SEQUENCES.check(evalSequences);
    Settings.DATA_VALIDATION_SEQUENCES.check(validationSequences);
    Settings.DATA_PARTITIONS.check(partitions);
  }

  /** Accuracy of guessing uniformly at random. */
  public double chanceAccuracy() {
    return 1.0 / values;
  }
}
