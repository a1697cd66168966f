package io.echolstm.config;

/** Whether a run saves each point's trained network next to its results row. */
public enum ModelSave {
  /** Save while the run's plan is small (see {@code SweepPlan#AUTO_SAVE_MAX_POINTS}). */
  AUTO,
  /** Always save. */
  TRUE,
  /** Never save. */
  FALSE
}
