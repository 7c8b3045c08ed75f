package dev.naap.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Keeps an event this contract does not model. Reads the shared columns best-effort and never
 * rejects: the envelope is valid, and the payload's shape is not ours to judge.
 */
final class UnsupportedReader {
  private UnsupportedReader() {}

  static Event read(Envelope env, JsonNode data) {
    JsonNode info = data.path("orchestrator_info");
    JsonNode ts = data.path("timestamp");
    long eventTimeMs = env.timestampMs();
    if (ts.canConvertToExactIntegral() && ts.canConvertToLong()
        && Payloads.plausible(ts.longValue())) {
      eventTimeMs = ts.longValue();
    }
    return new UnsupportedEvent(
        env,
        text(data, "type"),
        eventTimeMs,
        text(data, "stream_id"),
        text(data, "request_id"),
        text(data, "pipeline"),
        text(info, "address").toLowerCase(Locale.ROOT),
        text(info, "url"),
        data.path("is_test_load").booleanValue());
  }

  private static String text(JsonNode object, String field) {
    JsonNode n = object.path(field);
    if (!n.isTextual()) {
      return "";
    }
    if (Fields.unpairedSurrogate(n.textValue()) >= 0) {
      throw new RejectException(RejectReason.INVALID_VALUE, field + ": holds an unpaired surrogate;"
          + " strings must be valid Unicode");
    }
    return n.textValue();
  }
}
