package io.echolstm.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.echolstm.files.BoundedFile;
import io.echolstm.files.FileRefusedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A run's plan as recorded when it started ({@value #FILE} in its {@code run_id=R} directory,
 * JSON): every point (id and full settings key), the master, and what {@code train.workers=auto}
 * resolved to. A rerun of the run id must have the same plan, so a run's rows all come from one
 * plan.
 *
 * @param autoWorkers the worker count {@code train.workers=auto} resolved to; null when no point
 *     uses {@code auto}, or (before Spark starts) when it is not known yet
 * @param recordedAt when the plan was recorded (UTC, ISO-8601); not compared
 */
public record RunRecord(
    String runId, String master, Integer autoWorkers, String recordedAt, List<Point> points) {
  /** The record's file name in the run directory. */
  public static final String FILE = "_echo-lstm-plan.json";

  /** One planned point: its id (the table's {@code point_id}) and its settings key. */
  public record Point(String id, String key) {
    public Point {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(key, "key");
    }
  }

  /** Reads one record: nothing after the JSON value. */
  private static final ObjectReader READER =
      RunLease.JSON.readerFor(RunRecord.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  public RunRecord {
    Objects.requireNonNull(runId, "run_id");
    Objects.requireNonNull(master, "master");
    points = List.copyOf(Objects.requireNonNull(points, "points"));
  }

  /**
   * The most bytes a recorded plan may have to be read when this plan is compared with it: twice
   * this plan's own record, plus 1 MiB. A recorded plan larger than that cannot be this plan (its
   * points would have to be twice as many or their keys twice as long), so it is refused unread as
   * another plan would be.
   */
  public long readBound() {
    try {
      long own = RunLease.JSON.writeValueAsBytes(this).length;
      return Math.min(BoundedFile.MAX_BOUND, 2 * own + (1 << 20));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a plan record", e);
    }
  }

  /** This record with {@code autoWorkers} set. */
  public RunRecord withAutoWorkers(Integer workers) {
    return new RunRecord(runId, master, workers, recordedAt, points);
  }

  /**
   * The record in {@code runDir}, if the run has one.
   *
   * @param maxBytes the largest record read (see {@link #readBound()})
   * @throws IllegalStateException when the file exists but is not a plan record (not this job's
   *     JSON, a field missing, larger than {@code maxBytes})
   * @throws UncheckedIOException when the file system fails, or (caused by a {@link
   *     FileRefusedException}) the record's path holds a directory, named pipe or device
   */
  public static Optional<RunRecord> read(FileSystem fileSystem, Path runDir, long maxBytes) {
    Path file = new Path(runDir, FILE);
    Optional<String> text;
    try {
      text = RunFiles.read(RunFiles.plain(fileSystem), file, maxBytes, "plan record");
    } catch (FileRefusedException e) {
      if (e.reason() == FileRefusedException.Reason.TOO_LARGE) {
        throw new IllegalStateException(
            "the run's plan record " + file + " is unreadable (larger than " + maxBytes + " bytes)",
            e);
      }
      throw new UncheckedIOException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (text.isEmpty()) {
      return Optional.empty();
    }
    RunRecord record;
    try {
      record = READER.readValue(text.get());
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalStateException(
          "the run's plan record "
              + file
              + " is unreadable ("
              + e.getClass().getSimpleName()
              + (e instanceof JsonProcessingException j
                  ? ": " + j.getOriginalMessage().lines().findFirst().orElse("")
                  : "")
              + ")",
          e);
    }
    if (record == null) {
      throw new IllegalStateException("the run's plan record " + file + " is unreadable (empty)");
    }
    return Optional.of(record);
  }

  /** Writes (or replaces) the record in {@code runDir}, atomically. */
  public void write(FileSystem fileSystem, Path runDir) {
    Path file = new Path(runDir, FILE);
    try {
      FileSystem fs = RunFiles.plain(fileSystem);
      fs.mkdirs(runDir);
      RunFiles.writeAtomically(fs, file, RunLease.JSON.writeValueAsString(this) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The ids of the points. */
  public Set<String> pointIds() {
    Set<String> ids = new LinkedHashSet<>();
    points.forEach(p -> ids.add(p.id()));
    return ids;
  }

  /**
   * How {@code planned} differs from this recorded plan, one phrase each, empty when they are the
   * same plan: the points (how many on each side are not on the other, and the settings whose
   * values changed, e.g. {@code lag 0,2,3 -> 0,2}), the master, and the resolved {@code auto}
   * worker count (compared only when both sides know it).
   */
  public List<String> differences(RunRecord planned) {
    List<String> out = new ArrayList<>();
    Set<String> recordedKeys = keys(points);
    Set<String> plannedKeys = keys(planned.points());
    if (!recordedKeys.equals(plannedKeys)) {
      long removed = recordedKeys.stream().filter(k -> !plannedKeys.contains(k)).count();
      long added = plannedKeys.stream().filter(k -> !recordedKeys.contains(k)).count();
      String changed = settingChanges(recordedKeys, plannedKeys);
      out.add(
          "points differ ("
              + removed
              + " of the "
              + recordedKeys.size()
              + " recorded not in this plan, "
              + added
              + " of the "
              + plannedKeys.size()
              + " planned not recorded"
              + (changed.isEmpty() ? "" : "; " + changed)
              + ")");
    }
    if (!master.equals(planned.master())) {
      out.add("master " + master + " -> " + planned.master());
    }
    if (autoWorkers != null
        && planned.autoWorkers() != null
        && !autoWorkers.equals(planned.autoWorkers())) {
      out.add("train.workers=auto resolved to " + autoWorkers + " -> " + planned.autoWorkers());
    }
    return out;
  }

  private static Set<String> keys(List<Point> points) {
    Set<String> keys = new LinkedHashSet<>();
    points.forEach(p -> keys.add(p.key()));
    return keys;
  }

  /**
   * The settings whose values differ between two sets of point keys ({@code name=value} entries
   * separated by spaces), e.g. {@code lag 0,2,3 -> 0,2, learning_rate 0.01 -> 0.02}.
   */
  static String settingChanges(Set<String> recorded, Set<String> planned) {
    Map<String, Set<String>> before = values(recorded);
    Map<String, Set<String>> after = values(planned);
    Set<String> names = new LinkedHashSet<>(before.keySet());
    names.addAll(after.keySet());
    List<String> changes = new ArrayList<>();
    for (String name : names) {
      Set<String> a = before.getOrDefault(name, Set.of());
      Set<String> b = after.getOrDefault(name, Set.of());
      if (!a.equals(b)) {
        changes.add(name + " " + String.join(",", a) + " -> " + String.join(",", b));
      }
    }
    return String.join(", ", changes);
  }

  private static Map<String, Set<String>> values(Set<String> keys) {
    Map<String, Set<String>> values = new LinkedHashMap<>();
    for (String key : keys) {
      for (String entry : key.split(" ")) {
        int eq = entry.indexOf('=');
        if (eq > 0) {
          values
              .computeIfAbsent(entry.substring(0, eq), k -> new LinkedHashSet<>())
              .add(entry.substring(eq + 1));
        }
      }
    }
    return values;
  }
}
