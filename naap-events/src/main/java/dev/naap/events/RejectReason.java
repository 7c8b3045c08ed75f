package dev.naap.events;

import java.util.Locale;

/**
 * Why a message was rejected. {@link #code()} is the stable lower_snake string stored with the
 * quarantined message; treat it as API.
 */
public enum RejectReason {
  /** The message is null, has no bytes, or holds only JSON whitespace. */
  EMPTY,
  /** The message is longer than the parser's byte limit (checked before any decoding). */
  OVERSIZED,
  /** The bytes are not valid UTF-8. */
  INVALID_UTF8,
  /** The bytes are not JSON, or hold more than one JSON value. */
  NOT_JSON,
  /** The JSON (or its last UTF-8 sequence) ends before the value is complete. */
  TRUNCATED,
  /** The JSON value is an array, string, number, boolean or null rather than an object. */
  NOT_AN_OBJECT,
  /** A required field is absent or JSON null. */
  MISSING_FIELD,
  /** A known field holds the wrong JSON type. */
  WRONG_TYPE,
  /** A field has the right type but an unusable value, or the input exceeds a parser limit. */
  INVALID_VALUE,
  /** {@code data} is an object where the family sends an array, or the reverse. */
  DATA_SHAPE;

  private final String code = name().toLowerCase(Locale.ROOT);

  /** The stable lower_snake code, e.g. {@code "not_json"}. */
  public String code() {
    return code;
  }
}
