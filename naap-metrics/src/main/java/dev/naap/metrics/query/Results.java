package dev.naap.metrics.query;

import dev.naap.store.Rows;
import dev.naap.store.Store;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A statement's rows as typed values in the order of a list of {@link Column}s, read by name
 * through the store's {@link Rows}: the statement must return exactly the columns the catalogue
 * names, so a statement and its catalogue entry cannot drift apart.
 */
final class Results {

  private Results() {}

  /** The rows of {@code sql}, whose result columns are named as {@code columns} are. */
  static List<List<Object>> read(Store store, String sql, Map<String, ?> params,
      List<Column> columns) {
    return read(store, sql, params, columns, names(columns));
  }

  /**
   * The rows of {@code sql}, whose result columns are named {@code fields}: the SQL's name of
   * each of {@code columns}, in the same order.
   */
  static List<List<Object>> read(Store store, String sql, Map<String, ?> params,
      List<Column> columns, List<String> fields) {
    Rows rows = Rows.query(store, sql, params, fields);
    List<List<Object>> out = new ArrayList<>(rows.size());
    for (Rows.Row row : rows) {
      List<Object> values = new ArrayList<>(columns.size());
      for (int i = 0; i < columns.size(); i++) {
        values.add(value(row, fields.get(i), columns.get(i).type()));
      }
      out.add(Collections.unmodifiableList(values));
    }
    return out;
  }

  static List<String> names(List<Column> columns) {
    return columns.stream().map(Column::name).toList();
  }

  private static Object value(Rows.Row row, String field, Column.Type type) {
    return switch (type) {
      case STRING -> row.string(field);
      case INTEGER -> row.integer(field);
      case DECIMAL -> row.decimal(field);
      case TIMESTAMP -> row.instant(field);
      case BOOLEAN -> row.bool(field);
    };
  }
}
