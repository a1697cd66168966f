package io.echolstm.sweep;

/**
 * The stage a point is in (e.g. {@code training}), for the report of its failure: stages enter
 * their names as they go, and the name at a failure is the stage that failed.
 */
final class PointStage {
  private volatile String name;

  void enter(String stage) {
    name = stage;
  }

  String name() {
    return name;
  }
}
