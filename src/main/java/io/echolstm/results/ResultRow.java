package io.echolstm.results;

import io.echolstm.config.PointSettings;
import io.echolstm.config.Setting;
import io.echolstm.config.Settings;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One trained point's row: which point, every setting it trained with (the columns of the declared
 * settings, see {@link Settings}), what it measured and where it ran. A row alone says how to
 * reproduce it. Its columns are {@link ResultsSchema#SCHEMA}, derived from the same parts.
 *
 * @param point the run and point it describes
 * @param settings the point's settings, with {@code train.workers=auto} resolved
 * @param outcome the metrics, learning curve and timing
 * @param provenance master, library versions and platform
 */
public record ResultRow(
    PointIdentity point, PointSettings settings, PointOutcome outcome, Provenance provenance) {

  /** The row in {@link ResultsSchema#SCHEMA} order. */
  public Row toRow() {
    List<Object> values = new ArrayList<>(RecordColumns.values(point));
    for (Setting<?> s : Settings.perPoint()) {
      values.add(s.pointValue(settings));
    }
    values.addAll(RecordColumns.values(outcome));
    values.addAll(RecordColumns.values(provenance));
    return RowFactory.create(values.toArray());
  }
}
