package io.echolstm.config;

/**
 * The settings one sweep point trains with: one value of each swept list plus its experiment's
 * records. {@link Setting#pointValue} reads a declaration's value from it, so the point key and the
 * results columns both come from the declarations.
 */
public interface PointSettings {
  Variant variant();

  int lag();

  int window();

  int hidden();

  long seed();

  DataSettings data();

  /**
   * The experiment's model settings; of its {@code hidden} sizes, this point trains {@link
   * #hidden()}.
   */
  ModelSettings model();

  TrainSettings train();

  EvalSettings eval();

  /** Whether the point is one lag of a grid or a probe of a frontier search. */
  LagSearch lagSearch();

  /**
   * The parameter-averaging workers: {@code train.workers} as configured ({@link
   * TrainSettings#AUTO_WORKERS} for {@code auto}) while the point is planned, the count it trained
   * with once its row records it.
   */
  default int workers() {
    return train().workers();
  }
}
