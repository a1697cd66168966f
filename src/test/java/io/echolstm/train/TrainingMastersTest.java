package io.echolstm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.config.ConfigLoader;
import io.echolstm.config.TrainSettings;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.Test;

class TrainingMastersTest {

  /**
   * The launcher gives every JVM dl4j-spark's stats clock (here the pom, for the test JVM, as
   * scripts/run.sh does for the driver); building a master that collects stats changes nothing
   * JVM-wide and carries no training hook.
   */
  @Test
  void buildingAMasterThatCollectsStatsSetsNoSystemProperty() {
    TrainSettings train =
        new ConfigLoader().set("train.collect-stats=true").load(List.of()).get(0).train();
    assertTrue(train.collectStats());
    // The JDK itself records user.timezone when the default time zone is first read, as
    // dl4j-spark's stats do: read it before taking the snapshot.
    java.util.TimeZone.getDefault();
    Map<String, String> before = properties();

    ParameterAveragingTrainingMaster master = TrainingMasters.parameterAveraging(train, 2, 7);
    TrainingMasters.parameterAveraging(train, 2, 7, "file:/nonexistent/export");

    assertTrue(master.getIsCollectTrainingStats());
    assertTrue(
        master.getTrainingHookList() == null || master.getTrainingHookList().isEmpty(),
        "no training hooks: " + master.getTrainingHookList());
    assertEquals(before, properties(), "system properties after building masters");
  }

  private static Map<String, String> properties() {
    Map<String, String> out = new TreeMap<>();
    System.getProperties().stringPropertyNames().forEach(k -> out.put(k, System.getProperty(k)));
    return out;
  }
}
