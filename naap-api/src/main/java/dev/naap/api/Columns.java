package dev.naap.api;

import dev.naap.metrics.query.Column;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Column descriptions as they appear in {@code meta}. */
final class Columns {

  private Columns() {}

  static List<Map<String, Object>> describe(List<Column> columns) {
    return columns.stream().map(c -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", c.name());
      m.put("type", c.type().name().toLowerCase(Locale.ROOT));
      m.put("unit", c.unit());
      m.put("description", c.description());
      return m;
    }).toList();
  }
}
