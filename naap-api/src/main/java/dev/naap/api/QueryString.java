package dev.naap.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a raw query string, in order, with repeats kept. Decoding is strict: a broken
 * percent escape or bytes that are not UTF-8 are a 400, not a guess. Sizes are bounded so that a
 * hostile query string costs little.
 */
final class QueryString {

  static final int MAX_PARAMETERS = 64;
  static final int MAX_VALUE_CHARS = 512;

  private final Map<String, List<String>> values;

  private QueryString(Map<String, List<String>> values) {
    this.values = values;
  }

  static QueryString parse(String raw) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return new QueryString(values);
    }
    String[] pairs = raw.split("&", -1);
    if (pairs.length > MAX_PARAMETERS) {
      throw ApiProblem.badParameter(null, "too many parameters (at most " + MAX_PARAMETERS + ")");
    }
    for (String pair : pairs) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), null);
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), name);
      if (value.length() > MAX_VALUE_CHARS) {
        throw ApiProblem.badParameter(name, "value longer than " + MAX_VALUE_CHARS + " characters");
      }
      values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return new QueryString(values);
  }

  /** Parameter names in the order they first appear. */
  List<String> names() {
    return List.copyOf(values.keySet());
  }

  /** Every value of {@code name}, in order; empty when absent. */
  List<String> all(String name) {
    return Collections.unmodifiableList(values.getOrDefault(name, List.of()));
  }

  /** The single value of {@code name}, or null; a repeated single-valued parameter is a 400. */
  String single(String name) {
    List<String> v = values.get(name);
    if (v == null) {
      return null;
    }
    if (v.size() > 1) {
      throw ApiProblem.badParameter(name, "given " + v.size() + " times; it takes one value");
    }
    return v.getFirst();
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  /**
   * The parameters but {@code name}, percent-encoded afresh from their decoded names and values
   * (names in the order they first appear): how a parameter was spelt does not survive.
   */
  String encodeWithout(String name) {
    StringBuilder b = new StringBuilder();
    values.forEach((n, vs) -> {
      if (!n.equals(name)) {
        for (String v : vs) {
          b.append(b.isEmpty() ? "" : "&").append(encode(n)).append('=').append(encode(v));
        }
      }
    });
    return b.toString();
  }

  /** Unreserved characters and ':', '/' and ',' as they are; every other byte escaped. */
  private static String encode(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (x & 0xff);
      if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~:/,".indexOf(c) >= 0)) {
        b.append(c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return b.toString();
  }

  private static String decode(String s, String parameter) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    var bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      if (c == '%') {
        int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (lo < 0) {
          throw ApiProblem.badParameter(parameter, "malformed percent-encoding");
        }
        bytes.write(hi << 4 | lo);
        i += 3;
      } else {
        bytes.writeBytes(
            c == '+' ? new byte[] {' '} : Character.toString(c).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(c);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw ApiProblem.badParameter(parameter, "not valid UTF-8 after percent-decoding");
    }
  }
}
