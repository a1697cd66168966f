package io.echolstm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echolstm.config.SettingsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The master a command will start Spark on, checked before Spark starts. */
class SparkSetupTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "local",
        "local[1]",
        "local[*]",
        "local[2,3]",
        "local[ 2 , 3 ]",
        "local[*,4]",
        "spark://127.0.0.1:7077",
        "spark://a:7077,b:7077",
        "local-cluster[2,1,1024]",
        "yarn",
        "k8s://https://host:6443",
        "mesos://host:5050"
      })
  void mastersSparkParsesAreAccepted(String master) {
    SparkSetup.checkMaster(master);
  }

  /** Issue 16 case 16, for launchers other than scripts/run.sh: Spark would refuse these later. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "bogus://x",
        "local[0]",
        "local[abc]",
        "local[2,0]",
        "local[-1]",
        "local[99999999999]",
        "spark://",
        "spark://host",
        "spark://host:port",
        "Local",
        "",
        "local[2] "
      })
  void othersAreRefusedNamingTheMaster(String master) {
    SettingsException e =
        assertThrows(SettingsException.class, () -> SparkSetup.checkMaster(master));
    assertEquals("spark.master", e.key());
    assertTrue(e.getMessage().contains("'" + master + "'"), e.getMessage());
  }

  @Test
  void onlyAMasterWhoseExecutorIsThisJvmIsLocal() {
    assertTrue(SparkSetup.isLocal("local"));
    assertTrue(SparkSetup.isLocal("local[2]"));
    assertTrue(SparkSetup.isLocal("local[*,3]"));
    assertFalse(SparkSetup.isLocal("local-cluster[2,1,1024]"));
    assertFalse(SparkSetup.isLocal("spark://h:7077"));
  }

  @Test
  @Timeout(30)
  void planRefusesAMasterSparkWouldRefuse() {
    String before = System.getProperty("spark.master");
    System.setProperty("spark.master", "local[0]");
    try {
      Outcome o = Outcome.run("plan");
      assertEquals(Main.BAD_INPUT, o.code(), o.err());
      assertTrue(o.err().contains("(key spark.master)"), o.err());
      assertEquals(1, o.err().strip().lines().count(), o.err());
    } finally {
      if (before == null) {
        System.clearProperty("spark.master");
      } else {
        System.setProperty("spark.master", before);
      }
    }
  }
}
