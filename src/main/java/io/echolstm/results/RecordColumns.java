package io.echolstm.results;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The results columns of a record: one nullable column per component, in declaration order, named
 * in snake_case ({@code windowsToTarget} is {@code windows_to_target}) and typed from the
 * component's Java type. A metric or provenance field is added to the table by adding it to its
 * record; nothing else lists columns.
 */
final class RecordColumns {
  private static final Map<Class<?>, DataType> TYPES =
      Map.ofEntries(
          Map.entry(int.class, DataTypes.IntegerType),
          Map.entry(Integer.class, DataTypes.IntegerType),
          Map.entry(long.class, DataTypes.LongType),
          Map.entry(Long.class, DataTypes.LongType),
          Map.entry(double.class, DataTypes.DoubleType),
          Map.entry(Double.class, DataTypes.DoubleType),
          Map.entry(boolean.class, DataTypes.BooleanType),
          Map.entry(Boolean.class, DataTypes.BooleanType),
          Map.entry(String.class, DataTypes.StringType),
          Map.entry(Instant.class, DataTypes.TimestampType));

  private RecordColumns() {}

  /** The columns of {@code type}, in component order. */
  static List<StructField> fields(Class<? extends Record> type) {
    List<StructField> fields = new ArrayList<>();
    for (RecordComponent c : type.getRecordComponents()) {
      fields.add(DataTypes.createStructField(column(c.getName()), sqlType(c), true));
    }
    return fields;
  }

  /** A column and its one-line meaning, for the README's results table. */
  record Documented(StructField field, String doc) {}

  /**
   * {@link #fields} with each component's {@link ColumnDoc}; a list of records is documented by its
   * own doc followed by its element's fields and their docs.
   *
   * @throws IllegalStateException naming a component without a {@link ColumnDoc}
   */
  static List<Documented> documented(Class<? extends Record> type) {
    List<Documented> out = new ArrayList<>();
    List<StructField> fields = fields(type);
    RecordComponent[] components = type.getRecordComponents();
    for (int i = 0; i < components.length; i++) {
      String doc = doc(type, components[i]);
      if (fields.get(i).dataType() instanceof ArrayType array
          && array.elementType() instanceof StructType) {
        Type element =
            ((ParameterizedType) components[i].getGenericType()).getActualTypeArguments()[0];
        List<String> parts = new ArrayList<>();
        for (Documented d : documented(((Class<?>) element).asSubclass(Record.class))) {
          parts.add("`" + d.field().name() + "` (" + d.doc() + ")");
        }
        doc += ", each with " + String.join(", ", parts);
      }
      out.add(new Documented(fields.get(i), doc));
    }
    return out;
  }

  private static String doc(Class<?> type, RecordComponent c) {
    ColumnDoc doc = c.getAnnotation(ColumnDoc.class);
    if (doc == null) {
      throw new IllegalStateException(
          type.getSimpleName()
              + "."
              + c.getName()
              + " has no @ColumnDoc: say what its column means");
    }
    return doc.value();
  }

  /** {@link #fields} as a struct, for a record nested in a column (a list of them). */
  static StructType struct(Class<? extends Record> type) {
    return DataTypes.createStructType(fields(type));
  }

  /** The SQL type of a column holding values of {@code type} (a boxed or primitive scalar). */
  static DataType sqlType(Class<?> type) {
    DataType t = TYPES.get(type);
    if (t == null) {
      throw new IllegalArgumentException("no results column type for " + type.getName());
    }
    return t;
  }

  /** The values of {@code record}'s components in column order, as Spark's rows take them. */
  static List<Object> values(Record record) {
    List<Object> values = new ArrayList<>();
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      try {
        values.add(toColumn(c.getAccessor().invoke(record)));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + c.getName() + " of " + record, e);
      }
    }
    return values;
  }

  /** {@code windowsToTarget} as {@code windows_to_target}. */
  static String column(String component) {
    return component.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }

  private static DataType sqlType(RecordComponent c) {
    if (c.getType() == List.class) {
      Type element = ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[0];
      if (element instanceof Class<?> e && e.isRecord()) {
        return DataTypes.createArrayType(struct(e.asSubclass(Record.class)), false);
      }
      throw new IllegalArgumentException("a list column must hold records: " + c);
    }
    return sqlType(c.getType());
  }

  private static Object toColumn(Object value) {
    if (value instanceof Instant i) {
      return Timestamp.from(i);
    }
    if (value instanceof List<?> list) {
      return list.stream().map(e -> (Object) toRow((Record) e)).toList();
    }
    return value;
  }

  private static Row toRow(Record record) {
    return RowFactory.create(values(record).toArray());
  }
}
