package io.echolstm.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** What a command line run in this JVM returned and printed. */
record Outcome(int code, String out, String err) {

  /**
   * Runs {@link Main}'s command line on {@code args} in this JVM (no signal handling, the JVM not
   * ended), capturing its output.
   */
  static Outcome run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    Termination termination = Termination.unattached(errStream);
    int code =
        termination.decide(Main.commandLine(outStream, errStream, termination).execute(args));
    return new Outcome(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * {@link #run} on a loopback, UI-less Spark session on {@code master}, set as spark-submit sets
   * it (system properties, restored afterwards).
   */
  static Outcome runOnSpark(String master, String... args) {
    Map<String, String> props =
        Map.of(
            "spark.master", master,
            "spark.driver.host", "127.0.0.1",
            "spark.driver.bindAddress", "127.0.0.1",
            "spark.ui.enabled", "false");
    Map<String, String> saved = new HashMap<>();
    props.forEach(
        (k, v) -> {
          saved.put(k, System.getProperty(k));
          System.setProperty(k, v);
        });
    try {
      return run(args);
    } finally {
      saved.forEach(
          (k, v) -> {
            if (v == null) {
              System.clearProperty(k);
            } else {
              System.setProperty(k, v);
            }
          });
    }
  }
}
