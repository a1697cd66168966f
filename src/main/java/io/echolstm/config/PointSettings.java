package io.echolstm.config;

/**
 * The settings one sweep point trains with: one value of each swept list plus the experiment's
 * fixed settings. {@link Setting#pointValue} reads a declaration's value from it, so the point key
 * and the results columns both come from the declarations.
 */
public interface PointSettings {
  Variant variant();

  int lag();

  int window();

  int hidden();

  long seed();

  DataSettings data();

  TrainSettings train();

  int evalBatchSize();
}
