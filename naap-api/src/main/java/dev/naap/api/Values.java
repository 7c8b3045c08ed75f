package dev.naap.api;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * How one value of a query-layer row is written: numbers as numbers, times as RFC 3339 UTC, and
 * null (no data) as null in JSON and an empty field in CSV. A non-finite double has no JSON form
 * and means no data, so it is null too.
 */
final class Values {

  private Values() {}

  static void json(JsonGenerator g, Object v) throws IOException {
    switch (v) {
      case null -> g.writeNull();
      case String s -> g.writeString(s);
      case Double d when !Double.isFinite(d) -> g.writeNull();
      case Float f when !Float.isFinite(f) -> g.writeNull();
      case Double d -> g.writeNumber(d);
      case Long l -> g.writeNumber(l);
      case Integer i -> g.writeNumber(i);
      case Number n -> g.writeNumber(n.toString());
      case Boolean b -> g.writeBoolean(b);
      case Instant t -> g.writeString(t.toString());
      case Map<?, ?> m -> {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          g.writeFieldName(String.valueOf(e.getKey()));
          json(g, e.getValue());
        }
        g.writeEndObject();
      }
      case Collection<?> c -> {
        g.writeStartArray();
        for (Object o : c) {
          json(g, o);
        }
        g.writeEndArray();
      }
      default -> g.writeString(v.toString());
    }
  }

  /**
   * The CSV field for {@code v}, quoted (RFC 4180) when it holds a separator, quote or line break.
   * Text that a spreadsheet would run as a formula (starting with {@code =}, {@code +}, {@code -},
   * {@code @}, tab or carriage return: a gateway may name itself {@code =2+5}) gets a leading
   * {@code '}, as OWASP recommends; numbers are written as they are, so -5 stays a number.
   */
  static String csv(Object v) {
    String s = switch (v) {
      case null -> "";
      case Double d when !Double.isFinite(d) -> "";
      case Number n -> n.toString();
      default -> defused(v.toString());
    };
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  /** {@code text} with a leading {@code '} when a spreadsheet would read it as a formula. */
  private static String defused(String text) {
    return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
  }
}
