package dev.naap.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.naap.metrics.query.Column;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Response bodies: the one envelope {@code {data, meta, pagination}} in JSON, and the same rows as
 * CSV (header line of column names, RFC 4180). Thread-safe.
 */
final class Bodies {

  private static final JsonFactory JSON = new JsonFactory();

  private Bodies() {}

  /** Writes the value of {@code data}. */
  @FunctionalInterface
  interface DataWriter {
    void write(JsonGenerator g) throws IOException;
  }

  static byte[] envelope(DataWriter data, Meta meta, String nextCursor) {
    return json(g -> {
      g.writeStartObject();
      g.writeFieldName("data");
      data.write(g);
      g.writeFieldName("meta");
      Values.json(g, meta.entries());
      g.writeObjectFieldStart("pagination");
      g.writeStringField("next_cursor", nextCursor);
      g.writeBooleanField("has_more", nextCursor != null);
      g.writeEndObject();
      g.writeEndObject();
    });
  }

  /** The rows as an array of objects keyed by column name. */
  static DataWriter rows(List<Column> columns, List<List<Object>> rows) {
    return g -> {
      g.writeStartArray();
      for (List<Object> row : rows) {
        writeRow(g, columns, row);
      }
      g.writeEndArray();
    };
  }

  /** One row as an object keyed by column name; null when there is no row. */
  static void writeRow(JsonGenerator g, List<Column> columns, List<Object> row) throws IOException {
    if (row == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    for (int i = 0; i < columns.size(); i++) {
      g.writeFieldName(columns.get(i).name());
      Values.json(g, i < row.size() ? row.get(i) : null);
    }
    g.writeEndObject();
  }

  static byte[] json(DataWriter body) {
    var out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] csv(List<Column> columns, List<List<Object>> rows) {
    StringBuilder b = new StringBuilder();
    b.append(String.join(",", columns.stream().map(c -> Values.csv(c.name())).toList()))
        .append("\r\n");
    for (List<Object> row : rows) {
      for (int i = 0; i < columns.size(); i++) {
        b.append(i == 0 ? "" : ",").append(Values.csv(i < row.size() ? row.get(i) : null));
      }
      b.append("\r\n");
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
