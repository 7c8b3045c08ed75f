package dev.naap.loadtest;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps what a gateway says (error messages in {@code gateway_status.error}, HTTP answers) to an
 * {@link ErrorClass}. The messages are go-livepeer's own (livepeer-data.md §3.5, "excused"
 * failures, and the gateway's swap reasons). Stateless.
 */
public final class ErrorClassifier {
  // First match wins: more specific phrases come first.
  private static final List<Map.Entry<String, ErrorClass>> PHRASES = List.of(
      Map.entry("no orchestrators available", ErrorClass.NO_ORCHESTRATOR),
      Map.entry("no orchestrator", ErrorClass.NO_ORCHESTRATOR),
      Map.entry("insufficient capacity", ErrorClass.ORCHESTRATOR_REFUSED),
      Map.entry("insufficient balance", ErrorClass.ORCHESTRATOR_REFUSED),
      Map.entry("ticket", ErrorClass.ORCHESTRATOR_REFUSED),
      Map.entry("refused", ErrorClass.ORCHESTRATOR_REFUSED),
      Map.entry("swapping", ErrorClass.ORCHESTRATOR_SWAPPED),
      Map.entry("orchestrator is slow", ErrorClass.ORCHESTRATOR_SWAPPED),
      Map.entry("timeout", ErrorClass.TIMEOUT),
      Map.entry("timed out", ErrorClass.TIMEOUT),
      Map.entry("whip disconnected", ErrorClass.INGEST_ERROR),
      Map.entry("mediamtx ingest disconnected", ErrorClass.INGEST_ERROR),
      Map.entry("missing video", ErrorClass.INGEST_ERROR),
      Map.entry("ice connection state failed", ErrorClass.INGEST_ERROR),
      Map.entry("ingest", ErrorClass.INGEST_ERROR),
      Map.entry("pipeline process", ErrorClass.RUNNER_ERROR),
      Map.entry("cuda", ErrorClass.RUNNER_ERROR),
      Map.entry("runner", ErrorClass.RUNNER_ERROR),
      Map.entry("unavailable", ErrorClass.GATEWAY_UNAVAILABLE));

  private ErrorClassifier() {}

  /** The class of a gateway error message; {@code fallback} when no phrase matches. */
  public static ErrorClass message(String message, ErrorClass fallback) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    for (var e : PHRASES) {
      if (m.contains(e.getKey())) {
        return e.getValue();
      }
    }
    return fallback;
  }

  /** The class of an HTTP answer other than 2xx, from its status and body. */
  public static ErrorClass http(int status, String body) {
    ErrorClass byMessage = message(body, null);
    if (byMessage != null) {
      return byMessage;
    }
    if (status == 503) {
      return ErrorClass.ORCHESTRATOR_REFUSED;
    }
    if (status == 408 || status == 504) {
      return ErrorClass.TIMEOUT;
    }
    return status >= 500 ? ErrorClass.GATEWAY_UNAVAILABLE : ErrorClass.GATEWAY_REJECTED;
  }
}
