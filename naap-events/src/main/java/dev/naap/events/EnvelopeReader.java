package dev.naap.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/** Validates the envelope fields shared by every family (docs/EVENTS.md, "Envelope"). */
final class EnvelopeReader {
  static final int MAX_ID_CHARS = 128;
  static final int MAX_TYPE_CHARS = 64;

  private EnvelopeReader() {}

  /** The validated envelope of {@code root}; {@code message} is the original message. */
  static Envelope read(ObjectNode root, byte[] message) {
    Fields env = Fields.root(root, "");
    String id = env.requiredStr("id");
    if (id.isEmpty() || id.length() > MAX_ID_CHARS) {
      throw env.invalid("id", "must be 1 to " + MAX_ID_CHARS + " characters, got " + id.length());
    }
    String type = type(root);
    long timestampMs = timestampMs(root, env);
    String gateway = env.str("gateway");
    if (isEthAddress(gateway)) {
      gateway = gateway.toLowerCase(Locale.ROOT);
    }
    if (data(root) == null) {
      throw env.missing("data");
    }
    return new Envelope(id, type, timestampMs, gateway, message);
  }

  /** The {@code data} member, or null when absent or JSON null. */
  static JsonNode data(ObjectNode root) {
    JsonNode data = root.get("data");
    return data == null || data.isNull() ? null : data;
  }

  /** {@code type}: a string matching {@code [a-z][a-z0-9_]{0,63}}. */
  private static String type(ObjectNode root) {
    JsonNode n = root.get("type");
    if (n == null || n.isNull()) {
      throw new RejectException(RejectReason.MISSING_FIELD, "type: required field is missing");
    }
    if (!n.isTextual() || !isFamilyName(n.textValue())) {
      String shown = n.isTextual() ? Fields.quote(n.textValue()) : Fields.typeName(n);
      throw new RejectException(
          RejectReason.INVALID_VALUE,
          "type: must be a string matching [a-z][a-z0-9_]{0,63}, got " + shown);
    }
    return n.textValue();
  }

  static boolean isFamilyName(String s) {
    int n = s.length();
    if (n == 0 || n > MAX_TYPE_CHARS || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /** {@code timestamp}: unix ms as a string of digits (Go) or an integral number, plausible. */
  private static long timestampMs(ObjectNode root, Fields env) {
    JsonNode n = root.get("timestamp");
    if (n == null || n.isNull()) {
      throw env.missing("timestamp");
    }
    long ms;
    if (n.isTextual()) {
      String s = n.textValue();
      if (s.isEmpty() || s.length() > 18 || !allDigits(s)) {
        throw env.invalid("timestamp", Fields.quote(s) + " is not unix milliseconds");
      }
      ms = Long.parseLong(s);
    } else if (n.isNumber()) {
      ms = env.optLong("timestamp");
    } else {
      throw env.wrongType("timestamp", "string of digits or integer", n);
    }
    if (!Payloads.plausible(ms)) {
      throw env.invalid("timestamp", ms + " is not a unix-ms time between 2015 and 2100");
    }
    return ms;
  }

  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  static boolean isEthAddress(String s) {
    if (s.length() != 42 || !s.startsWith("0x")) {
      return false;
    }
    for (int i = 2; i < 42; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }
}
