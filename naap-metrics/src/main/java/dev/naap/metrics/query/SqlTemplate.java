package dev.naap.metrics.query;

import dev.naap.store.Sql;
import java.util.Map;

/**
 * A query from a {@code .sql} resource of this package whose {@code ${name}} placeholders are
 * replaced by identifiers and clauses from the {@link Catalogue} — never by caller text; values
 * are always bound as query parameters.
 */
final class SqlTemplate {

  private final String name;
  private final String text;

  private SqlTemplate(String name, String text) {
    this.name = name;
    this.text = text;
  }

  static SqlTemplate load(String name) {
    String text = Sql.load(SqlTemplate.class, name);
    // A placeholder in a comment would be filled too, and a multi-line part would end the comment.
    if (text.lines().anyMatch(line -> line.strip().startsWith("--") && line.contains("${"))) {
      throw new IllegalStateException(name + ": placeholder in a comment");
    }
    return new SqlTemplate(name, text);
  }

  /** The SQL with every placeholder replaced; a placeholder left unfilled is a bug. */
  String fill(Map<String, String> parts) {
    String sql = text;
    for (Map.Entry<String, String> part : parts.entrySet()) {
      sql = sql.replace("${" + part.getKey() + "}", part.getValue());
    }
    int left = sql.indexOf("${");
    if (left >= 0) {
      throw new IllegalStateException(
          name
              + ": unfilled placeholder at "
              + sql.substring(left, Math.min(sql.length(), left + 30)));
    }
    return sql;
  }
}
