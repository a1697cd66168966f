package io.echolstm.sweep;

import io.echolstm.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not part of the suite (its name matches no test pattern): trains each case of {@link
 * VariantsSparkTest} with seeds 1..N ({@code -Dspread.seeds=N}, default 8) besides the test's own
 * seed 42, and prints one line per row, so the test's bounds can be checked against the spread of
 * replicated runs. Run: {@code mvn -B -ntp -o test -Dtest=VariantsSpread
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class VariantsSpread extends SparkTestSession {
  @TempDir static Path dir;

  @Test
  void measure() {
    int seeds = Integer.getInteger("spread.seeds", 8);
    List<Long> all = new ArrayList<>(List.of(42L));
    for (long s = 1; s <= seeds; s++) {
      all.add(s);
    }
    System.out.println(
        "SPREAD case seed window lag accuracy reachable exact validation loss epochs stop"
            + " eval_windows eval_labels first_history_accuracy");
    for (long seed : all) {
      measure("masked", seed, VariantsSparkTest.MASKED);
      measure("seq2seq", seed, VariantsSparkTest.SEQ2SEQ);
      measure("whole", seed, VariantsSparkTest.WHOLE_SEQUENCE);
      measure("stateful", seed, VariantsSparkTest.STATEFUL);
    }
  }

  private static void measure(String name, long seed, String[] sets) {
    String[] withSeed = java.util.Arrays.copyOf(sets, sets.length + 1);
    withSeed[sets.length] = "seed=" + seed;
    for (Row r : VariantsSparkTest.train(dir.resolve("results"), name + "-" + seed, withSeed)) {
      List<Row> history = r.getList(r.fieldIndex("history"));
      System.out.println(
          String.format(
              Locale.ROOT,
              "SPREAD %s %d %d %d %.4f %s %s %s %.4f %d %s %d %d %.4f",
              name,
              seed,
              r.<Integer>getAs("window"),
              r.<Integer>getAs("lag"),
              r.<Double>getAs("accuracy"),
              r.getAs("reachable_accuracy"),
              r.getAs("exact_match_accuracy"),
              r.getAs("validation_accuracy"),
              r.<Double>getAs("loss"),
              r.<Integer>getAs("epochs"),
              r.getAs("stop_reason"),
              r.<Long>getAs("eval_windows"),
              r.<Long>getAs("eval_labels"),
              history.get(0).<Double>getAs("accuracy")));
    }
  }
}
