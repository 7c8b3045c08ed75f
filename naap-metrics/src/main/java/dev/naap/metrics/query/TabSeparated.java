package dev.naap.metrics.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Decodes ClickHouse {@code TabSeparated} output into rows of typed values: {@code \N} is null,
 * strings are unescaped, timestamps come as epoch seconds, {@code nan} and {@code inf} (which no
 * query should produce) become null rather than a number that looks measured.
 */
final class TabSeparated {

  private TabSeparated() {}

  static List<List<Object>> rows(String text, List<Column> columns) {
    List<List<Object>> rows = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.split("\t", -1);
      if (fields.length != columns.size()) {
        throw new IllegalStateException("expected " + columns.size() + " columns, got " + fields.length + ": " + line);
      }
      List<Object> row = new ArrayList<>(fields.length);
      for (int i = 0; i < fields.length; i++) {
        row.add(value(fields[i], columns.get(i).type()));
      }
      rows.add(Collections.unmodifiableList(row));
    }
    return rows;
  }

  static Object value(String field, Column.Type type) {
    if (field.equals("\\N")) {
      return null;
    }
    return switch (type) {
      case STRING -> unescape(field);
      case INTEGER -> Long.parseLong(field);
      case DECIMAL -> decimal(field);
      case TIMESTAMP -> Instant.ofEpochSecond(Long.parseLong(field));
      case BOOLEAN -> field.equals("true") || field.equals("1");
    };
  }

  private static Double decimal(String field) {
    return switch (field) {
      case "nan", "-nan", "inf", "-inf", "+inf" -> null;
      default -> Double.parseDouble(field);
    };
  }

  private static String unescape(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder b = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c != '\\' || i + 1 == field.length()) {
        b.append(c);
        continue;
      }
      char next = field.charAt(++i);
      b.append(switch (next) {
        case 't' -> '\t';
        case 'n' -> '\n';
        case 'r' -> '\r';
        case '0' -> '\0';
        case 'b' -> '\b';
        case 'f' -> '\f';
        default -> next;
      });
    }
    return b.toString();
  }
}
