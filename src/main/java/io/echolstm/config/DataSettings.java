package io.echolstm.config;

import static io.echolstm.config.Check.atLeast;

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
    atLeast(Key.DATA_VALUES.key(), "number of values", values, 2);
    atLeast(Key.DATA_SEQUENCE_LENGTH.key(), "sequence length", sequenceLength, 1);
    atLeast(Key.DATA_TRAIN_SEQUENCES.key(), "training sequences", trainSequences, 1);
    atLeast(Key.DATA_EVAL_SEQUENCES.key(), "evaluation sequences", evalSequences, 1);
    atLeast(Key.DATA_VALIDATION_SEQUENCES.key(), "validation sequences", validationSequences, 1);
    atLeast(Key.DATA_PARTITIONS.key(), "partitions", partitions, 1);
  }

  /** Accuracy of guessing uniformly at random. */
  public double chanceAccuracy() {
    return 1.0 / values;
  }
}
