package dev.naap.store;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns Java parameter values into the text ClickHouse parses for {@code {name:Type}}: the same
 * text for {@code chdb_query_with_params_n} and for HTTP {@code param_<name>}.
 *
 * <p>Scalars are TSV-escaped (ClickHouse unescapes them once before parsing the value), so a raw
 * tab or newline can never reach the parser. Arrays are not unescaped by ClickHouse: an array is
 * written as its literal, with each string element quoted and backslash-escaped.
 */
final class QueryParams {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** One encoded parameter. */
  record Param(String name, String text) {}

  private QueryParams() {}

  static List<Param> encode(Map<String, ?> params) {
    if (params == null || params.isEmpty()) {
      return List.of();
    }
    List<Param> out = new ArrayList<>(params.size());
    for (Map.Entry<String, ?> e : params.entrySet()) {
      String name = e.getKey();
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "query parameter name " + name + " must match " + NAME.pattern());
      }
      out.add(new Param(name, scalarOrArray(name, e.getValue())));
    }
    return Collections.unmodifiableList(out);
  }

  private static String scalarOrArray(String name, Object value) {
    return switch (value) {
      case null -> "\\N";
      case RawParam raw -> raw.text();
      case Collection<?> c -> arrayLiteral(name, c);
      default -> tsvEscape(scalarText(name, value));
    };
  }

  /** The unescaped text of a scalar. */
  private static String scalarText(String name, Object value) {
    return switch (value) {
      case String s -> s;
      case Boolean b -> b ? "true" : "false";
      case Instant t -> epochText(t);
      case Double d -> floatText(d);
      case Float f -> floatText(f.doubleValue());
      case BigDecimal d -> d.toPlainString();
      case Byte _, Short _, Integer _, Long _, BigInteger _ -> value.toString();
      case Number n -> n.toString();
      default -> throw unsupported(name, value);
    };
  }

  private static String arrayLiteral(String name, Collection<?> values) {
    StringBuilder sb = new StringBuilder("[");
    boolean first = true;
    for (Object v : values) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      switch (v) {
        case null -> sb.append("NULL");
        case RawParam raw -> sb.append(raw.text());
        case Collection<?> c -> sb.append(arrayLiteral(name, c));
        case String s -> quote(sb, s);
        // Instants are quoted inside arrays: an unquoted number there is read as another unit.
        case Instant t -> quote(sb, epochText(t));
        default -> sb.append(scalarText(name, v));
      }
    }
    return sb.append(']').toString();
  }

  private static IllegalArgumentException unsupported(String name, Object value) {
    return new IllegalArgumentException(
        "query parameter " + name + " has unsupported type " + value.getClass().getName()
            + "; use String, Number, Boolean, Instant, a Collection of those, null or RawParam");
  }

  static String epochText(Instant t) {
    BigDecimal seconds =
        BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9));
    return seconds.stripTrailingZeros().toPlainString();
  }

  private static String floatText(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    return Double.toString(d);
  }

  /** ClickHouse's escaping for TSV fields: what {@code \N}-style unescaping turns back. */
  static String tsvEscape(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep =
          switch (c) {
            case '\\' -> "\\\\";
            case '\t' -> "\\t";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\0' -> "\\0";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            default -> null;
          };
      if (rep != null && sb == null) {
        sb = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (sb != null) {
        if (rep != null) {
          sb.append(rep);
        } else {
          sb.append(c);
        }
      }
    }
    return sb == null ? s : sb.toString();
  }

  /** A single-quoted ClickHouse string literal. */
  static void quote(StringBuilder sb, String s) {
    sb.append('\'');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\'' -> sb.append("\\'");
        case '\t' -> sb.append("\\t");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\0' -> sb.append("\\0");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> sb.append(c);
      }
    }
    sb.append('\'');
  }
}
