package io.echolstm.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a results directory may hold, decided once (issue 16 cases 2, 3 and 7, and their class). */
class ResultsPathTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "out/a:b",
        "/abs/a:b/c",
        "hdfs://nn:8020/x/a:b",
        "out/b[1]",
        "out/b]",
        "out/{a,b}",
        "out/a}",
        "out/*",
        "out/a?b",
        "out/a\\b",
        "file:/tmp/a[1]",
        "file://otherhost/tmp/x",
        "file:relative/x",
        "file:",
        "out/a\tb",
        "out/a\nb",
        "out/\u0000",
        "out/\u007f",
        "",
        "   ",
      })
  void pathsTheTableCannotCarryAreRefusedInOneLine(String dir) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ResultsPath.check(dir));
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "results                         | results",
        "results/                        | results",
        "results//                       | results",
        "out/a b                         | out/a b",
        "out/100%                        | out/100%",
        "out/a%20b                       | out/a%20b",
        "out/#1                          | out/#1",
        "out/a+b=c,d@e~f!g$h&i'j(k);l    | out/a+b=c,d@e~f!g$h&i'j(k);l",
        "out/caf\u00e9/\u4e2d            | out/caf\u00e9/\u4e2d",
        "../up/./here/..                 | ../up/./here/..",
        "/                               | /",
        "/abs/results/                   | /abs/results",
        "file:/abs/results               | file:///abs/results",
        "file:///abs/results/            | file:///abs/results",
        "file://localhost/abs/results    | file:///abs/results",
        "FILE://LOCALHOST/abs            | file:///abs",
        "hdfs://nn:8020/x/               | hdfs://nn:8020/x",
        "hdfs:///x                       | hdfs:///x",
        "a:b                             | a:b",
      })
  void everythingElseIsCarriedAsWritten(String dir, String used) {
    assertEquals(used, ResultsPath.check(dir));
    assertTrue(ResultsPath.check(used).equals(used), "checking twice changes nothing");
  }
}
