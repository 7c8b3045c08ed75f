package dev.naap.events;

import java.util.Locale;

/**
 * Why a message was rejected. {@link #code()} is the stable lower_snake string stored with the
 * quarantined message; treat it as API. All but {@link #STORE_ERROR} are the parser's.
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
  DATA_SHAPE,
  /**
   * Not the parser's: a valid message that the store refused to insert on its own while it took
   * other writes (the Kafka ingest's isolation of a batch the store refuses); the detail is the
   * store's error.
   */
  STORE_ERROR;

  /** Details are cut here (and end in "…"): they are for humans, and a row each. */
  public static final int MAX_DETAIL_CHARS = 300;

  private final String code = name().toLowerCase(Locale.ROOT);

  /** {@code detail} cut to {@link #MAX_DETAIL_CHARS}. */
  public static String cut(String detail) {
    return detail.length() <= MAX_DETAIL_CHARS
        ? detail
        : detail.substring(0, MAX_DETAIL_CHARS) + "…";
  }

  /** The stable lower_snake code, e.g. {@code "not_json"}. */
  public String code() {
    return code;
  }
}
