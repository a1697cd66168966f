package io.echolstm.sweep;

/** A point's stages with one of them replaced (e.g. wrapped to fail, or to check something). */
final class Stages {
  private Stages() {}

  static PointStages withPrepare(PointStages s, PointStages.Prepare prepare) {
    return new PointStages(prepare, s.train(), s.evaluate(), s.save(), s.commit());
  }

  static PointStages withTrain(PointStages s, PointTrainer train) {
    return new PointStages(s.prepare(), train, s.evaluate(), s.save(), s.commit());
  }

  static PointStages withCommit(PointStages s, PointStages.Commit commit) {
    return new PointStages(s.prepare(), s.train(), s.evaluate(), s.save(), commit);
  }
}
