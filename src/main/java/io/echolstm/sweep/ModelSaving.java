package io.echolstm.sweep;

import io.echolstm.model.ModelFile;
import io.echolstm.model.ModelInfo;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves a point's network under the results table ({@link io.echolstm.results.ModelStore}), with
 * what {@code predict} needs to use it.
 */
final class ModelSaving implements PointStages.Save {
  private static final Logger LOG = LoggerFactory.getLogger(ModelSaving.class);

  private final RunContext run;

  ModelSaving(RunContext run) {
    this.run = run;
  }

  @Override
  public String save(PlannedPoint planned, MultiLayerNetwork network) {
    SweepPoint point = planned.point();
    var data = point.data();
    ModelInfo info =
        new ModelInfo(
            point.variant(),
            point.window(),
            point.lag(),
            data.values(),
            point.hidden(),
            data.sequenceLength(),
            point.experiment(),
            run.runId(),
            point.id(),
            point.key());
    String modelPath =
        run.results()
            .models()
            .save(run.runId(), point.id(), out -> ModelFile.write(network, info, out));
    LOG.info("{}: model saved as {} in {}", planned.progress(), modelPath, run.results().dir());
    return modelPath;
  }
}
