package dev.naap.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed, path-aware reads from one JSON object of a message. Absent fields and JSON null read as
 * the documented default ({@code ""}, 0, null, empty); a present field of the wrong JSON type
 * throws {@link RejectException} naming its full path. The path is built only when an error is
 * reported, so the happy path allocates no strings for it.
 */
final class Fields {
  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);
  private static final double LONG_LIMIT = 0x1p63;

  private final JsonNode node; // an ObjectNode, or MissingNode for an absent object
  private final Fields parent;
  private final String name; // "data", "stats", "[3]"

  private Fields(JsonNode node, Fields parent, String name) {
    this.node = node;
    this.parent = parent;
    this.name = name;
  }

  /** The object (or, for {@link #element}, array) {@code node} at top-level path {@code name}. */
  static Fields root(JsonNode node, String name) {
    return new Fields(node, null, name);
  }

  /** True when this object was present in the message (not absent and not null). */
  boolean present() {
    return node.isObject();
  }

  /** True when {@code field} is present and not JSON null. */
  boolean has(String field) {
    return get(field) != null;
  }

  // ---- strings -------------------------------------------------------------------------------

  /** A string field; {@code ""} when absent or null. */
  String str(String field) {
    JsonNode n = get(field);
    if (n == null) {
      return "";
    }
    if (!n.isTextual()) {
      throw wrongType(field, "string", n);
    }
    return unicode(field, n.textValue());
  }

  /**
   * {@code s} if it is valid Unicode. A JSON escape such as {@code "\ud800"} decodes to a lone
   * surrogate, which no UTF-8 column can hold: stored, it became {@code ?}, and distinct ids
   * collided. Such a field is rejected, never altered.
   */
  String unicode(String field, String s) {
    int at = unpairedSurrogate(s);
    if (at >= 0) {
      throw invalid(field, String.format("holds an unpaired surrogate \\u%04x at char %d;"
          + " strings must be valid Unicode", (int) s.charAt(at), at));
    }
    return s;
  }

  /** The index of the first unpaired surrogate in {@code s}, or -1. */
  static int unpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** A string field that must be present and non-null. */
  String requiredStr(String field) {
    if (get(field) == null) {
      throw missing(field);
    }
    return str(field);
  }

  /** An address-like string, lower-cased so addresses compare case-insensitively. */
  String lowerStr(String field) {
    return str(field).toLowerCase(Locale.ROOT);
  }

  /** A list of strings; empty when absent or null. */
  List<String> strList(String field) {
    JsonNode n = get(field);
    if (n == null) {
      return List.of();
    }
    if (!n.isArray()) {
      throw wrongType(field, "array", n);
    }
    List<String> out = new ArrayList<>(n.size());
    for (int i = 0; i < n.size(); i++) {
      JsonNode item = n.get(i);
      if (!item.isTextual()) {
        throw wrongType(field + "[" + i + "]", "string", item);
      }
      out.add(unicode(field + "[" + i + "]", item.textValue()));
    }
    return List.copyOf(out);
  }

  /** A nested value as compact JSON text; {@code ""} when absent or null. */
  String rawJson(String field) {
    JsonNode n = get(field);
    return n == null ? "" : n.toString();
  }

  // ---- numbers -------------------------------------------------------------------------------

  /** An integer field, or null when absent or null. Integral floats such as {@code 1.0} count. */
  Long optLong(String field) {
    JsonNode n = get(field);
    return n == null ? null : toLong(field, n);
  }

  /** An integer field; 0 when absent or null (Go omitempty). */
  long lng(String field) {
    JsonNode n = get(field);
    return n == null ? 0L : toLong(field, n);
  }

  /** A 32-bit integer field, or null when absent or null. */
  Integer optInt(String field) {
    JsonNode n = get(field);
    return n == null ? null : toInt(field, n);
  }

  /** A 32-bit integer field; 0 when absent or null. */
  int integer(String field) {
    JsonNode n = get(field);
    return n == null ? 0 : toInt(field, n);
  }

  /** A finite number field, or null when absent or null. */
  Double optDouble(String field) {
    JsonNode n = get(field);
    return n == null ? null : toDouble(field, n);
  }

  /** A finite number field; 0 when absent or null. */
  double dbl(String field) {
    JsonNode n = get(field);
    return n == null ? 0.0 : toDouble(field, n);
  }

  /** A list of unsigned 64-bit words (capability bitstrings) held in two's complement longs. */
  List<Long> uint64List(String field) {
    JsonNode n = get(field);
    if (n == null) {
      return List.of();
    }
    if (!n.isArray()) {
      throw wrongType(field, "array", n);
    }
    List<Long> out = new ArrayList<>(n.size());
    for (int i = 0; i < n.size(); i++) {
      String path = field + "[" + i + "]";
      JsonNode item = n.get(i);
      if (item.isBigInteger()) {
        BigInteger v = item.bigIntegerValue();
        if (v.signum() < 0 || v.compareTo(TWO_TO_64) >= 0) {
          throw invalid(path, "outside the unsigned 64-bit range");
        }
        out.add(v.longValue());
      } else {
        long v = toLong(path, item);
        if (v < 0) {
          throw invalid(path, "must not be negative");
        }
        out.add(v);
      }
    }
    return List.copyOf(out);
  }

  // ---- booleans ------------------------------------------------------------------------------

  /** A boolean field; false when absent or null. */
  boolean bool(String field) {
    JsonNode n = get(field);
    if (n == null) {
      return false;
    }
    if (!n.isBoolean()) {
      throw wrongType(field, "boolean", n);
    }
    return n.booleanValue();
  }

  // ---- Go numbers sent as strings --------------------------------------------------------------

  /** A string holding a plain decimal ({@code -?digits[.digits]}); null when absent or empty. */
  BigDecimal decimalString(String field) {
    String s = str(field);
    if (s.isEmpty()) {
      return null;
    }
    return Decimals.parse(s).orElseThrow(() -> invalid(field, quote(s) + " is not a decimal"));
  }

  /** A string holding a plain integer ({@code -?digits}); null when absent or empty. */
  BigInteger integerString(String field) {
    BigDecimal d = decimalString(field);
    if (d == null) {
      return null;
    }
    if (d.scale() > 0) {
      throw invalid(field, quote(str(field)) + " is not an integer");
    }
    return d.toBigInteger();
  }

  /** A string holding a non-negative integer that fits a long; null when absent or empty. */
  Long longString(String field) {
    BigInteger v = integerString(field);
    if (v == null) {
      return null;
    }
    if (v.signum() < 0 || v.bitLength() > 63) {
      throw invalid(field, quote(str(field)) + " is outside 0.." + Long.MAX_VALUE);
    }
    return v.longValue();
  }

  // ---- structure -----------------------------------------------------------------------------

  /** A nested object; an absent one (all reads default) when the field is absent or null. */
  Fields obj(String field) {
    JsonNode n = get(field);
    if (n == null) {
      return new Fields(MissingNode.getInstance(), this, field);
    }
    if (!n.isObject()) {
      throw wrongType(field, "object", n);
    }
    return new Fields(n, this, field);
  }

  /** A list of objects; empty when absent or null. */
  List<Fields> objList(String field) {
    JsonNode n = get(field);
    if (n == null) {
      return List.of();
    }
    if (!n.isArray()) {
      throw wrongType(field, "array", n);
    }
    Fields array = new Fields(n, this, field);
    List<Fields> out = new ArrayList<>(n.size());
    for (int i = 0; i < n.size(); i++) {
      out.add(array.element(i));
    }
    return out;
  }

  /**
   * The members of a JSON object used as a map (Go {@code map[K]V}), each value an object; empty
   * when absent or null. Members whose value is null are skipped, like absent ones.
   */
  List<Map.Entry<String, Fields>> objMap(String field) {
    Fields map = obj(field);
    if (!map.present()) {
      return List.of();
    }
    List<Map.Entry<String, Fields>> out = new ArrayList<>(map.node.size());
    for (Map.Entry<String, JsonNode> e : map.node.properties()) {
      Fields value = map.obj(e.getKey());
      if (value.present()) {
        out.add(Map.entry(e.getKey(), value));
      }
    }
    return out;
  }

  /** The members of a JSON object used as a map whose values are integers. */
  List<Map.Entry<String, Long>> longMap(String field) {
    Fields map = obj(field);
    if (!map.present()) {
      return List.of();
    }
    List<Map.Entry<String, Long>> out = new ArrayList<>(map.node.size());
    for (Map.Entry<String, JsonNode> e : map.node.properties()) {
      Long v = map.optLong(e.getKey());
      if (v != null) {
        out.add(Map.entry(e.getKey(), v));
      }
    }
    return out;
  }

  /** Element {@code index} of this array node, which must be an object. */
  Fields element(int index) {
    JsonNode item = node.get(index);
    String label = "[" + index + "]";
    if (!item.isObject()) {
      throw new RejectException(
          RejectReason.WRONG_TYPE,
          path() + label + ": expected object, got " + typeName(item));
    }
    return new Fields(item, this, label);
  }

  // ---- errors --------------------------------------------------------------------------------

  /** The path of {@code field} in this object, e.g. {@code data.stats.track_stats[0].rtt}. */
  String path(String field) {
    String base = path();
    if (base.isEmpty() || field.startsWith("[")) {
      return base + field;
    }
    return base + "." + field;
  }

  String path() {
    if (parent == null) {
      return name;
    }
    return parent.path(name);
  }

  RejectException missing(String field) {
    return new RejectException(
        RejectReason.MISSING_FIELD, path(field) + ": required field is missing");
  }

  RejectException wrongType(String field, String expected, JsonNode actual) {
    return new RejectException(
        RejectReason.WRONG_TYPE,
        path(field) + ": expected " + expected + ", got " + typeName(actual));
  }

  RejectException invalid(String field, String problem) {
    return new RejectException(RejectReason.INVALID_VALUE, path(field) + ": " + problem);
  }

  /** The JSON type of a node as a reader would name it. */
  static String typeName(JsonNode n) {
    return switch (n.getNodeType()) {
      case STRING -> "string";
      case NUMBER -> n.isIntegralNumber() ? "integer" : "number";
      case BOOLEAN -> "boolean";
      case OBJECT -> "object";
      case ARRAY -> "array";
      case NULL -> "null";
      default -> n.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  /** A value for an error message: quoted and cut to 40 characters. */
  static String quote(String s) {
    return '"' + (s.length() <= 40 ? s : s.substring(0, 40) + "…") + '"';
  }

  // ---- internals -----------------------------------------------------------------------------

  private JsonNode get(String field) {
    JsonNode n = node.get(field);
    return n == null || n.isNull() ? null : n;
  }

  private long toLong(String field, JsonNode n) {
    if (!n.isNumber()) {
      throw wrongType(field, "integer", n);
    }
    if (n.isIntegralNumber()) {
      if (!n.canConvertToLong()) {
        throw invalid(field, "integer outside the 64-bit range");
      }
      return n.longValue();
    }
    if (n.isBigDecimal()) {
      BigDecimal d = n.decimalValue();
      if (d.stripTrailingZeros().scale() > 0) {
        throw wrongType(field, "integer", n);
      }
      try {
        return d.longValueExact();
      } catch (ArithmeticException e) {
        throw invalid(field, "integer outside the 64-bit range");
      }
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d)) {
      throw invalid(field, "number is not finite");
    }
    if (d != Math.rint(d)) {
      throw new RejectException(
          RejectReason.WRONG_TYPE, path(field) + ": expected integer, got fractional number " + d);
    }
    if (d < -LONG_LIMIT || d >= LONG_LIMIT) {
      throw invalid(field, "integer outside the 64-bit range");
    }
    return (long) d;
  }

  private int toInt(String field, JsonNode n) {
    long v = toLong(field, n);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw invalid(field, "integer outside the 32-bit range");
    }
    return (int) v;
  }

  private double toDouble(String field, JsonNode n) {
    if (!n.isNumber()) {
      throw wrongType(field, "number", n);
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d)) {
      throw invalid(field, "number is not finite");
    }
    return d;
  }
}
