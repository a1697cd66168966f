package io.echolstm.config;

/** How the parameter-averaging master moves training data to its workers. */
public enum Approach {
  /**
   * Minibatches are written once to files and read back by each split (fast; needs a file system
   * every executor sees).
   */
  EXPORT,
  /** Each split is taken straight from the RDD (works anywhere; re-reads the RDD every split). */
  DIRECT
}
