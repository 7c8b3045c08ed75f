package dev.naap.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the polled {@code /status} answers of one stream have shown so far. A status is counted
 * once however often it is polled (by its runner {@code timestamp}), so the FPS samples are the
 * runner's reports, not the poll rate. Not thread-safe: one driver thread owns it.
 */
final class StatusObservation {
  private final Set<Long> seen = new HashSet<>();
  private final List<Double> fpsSamples = new ArrayList<>();
  private JsonNode last;
  private String servedBy = "";

  /** Takes in one poll's answer (null: the gateway does not know the stream, yet or any more). */
  void add(JsonNode status) {
    if (status == null) {
      return;
    }
    last = status;
    String url = status.path("orchestrator_info").path("url").asText("");
    if (!url.isEmpty()) {
      servedBy = url;
    }
    if (status.has("timestamp") && seen.add(status.get("timestamp").asLong())) {
      double fps = fps(status);
      if (fps > 0) {
        fpsSamples.add(fps);
      }
    }
  }

  JsonNode last() {
    return last;
  }

  boolean everSeen() {
    return last != null;
  }

  String servedBy() {
    return servedBy;
  }

  int statusSamples() {
    return seen.size();
  }

  /** Whether the last status shows output: inference FPS above 0 in a running state. */
  boolean outputFlowing() {
    return last != null && fps(last) > 0 && !"LOADING".equals(last.path("state").asText())
        && !"ERROR".equals(last.path("state").asText());
  }

  /** The runner's {@code last_params_update_time} in the last status, or -1. */
  long paramsUpdateTime() {
    return last == null
        ? -1
        : last.path("inference_status").path("last_params_update_time").asLong(-1);
  }

  /**
   * Whether the runner applied params after {@code previousUpdateTime} (its update time moved on).
   */
  boolean paramsAppliedSince(long previousUpdateTime) {
    return last != null && paramsUpdateTime() > previousUpdateTime;
  }

  /**
   * Whether the last applied params are {@code params}: true when the status echoes them in
   * {@code last_params}, or echoes nothing; false when someone changed them again after us.
   */
  boolean lastParamsAre(JsonNode params) {
    JsonNode echoed = last == null ? null : last.path("inference_status").path("last_params");
    return echoed == null || echoed.isMissingNode() || echoed.isNull() || echoed.equals(params);
  }

  /** The runner-clock age of the last applied params when the last status was made, or -1. */
  long appliedAgeMs() {
    long at = last == null ? -1 : last.path("timestamp").asLong(-1);
    long applied = paramsUpdateTime();
    return at < 0 || applied < 0 ? -1 : Math.max(0, at - applied);
  }

  /** The error the gateway reports for the stream, or null. */
  String gatewayError() {
    JsonNode e =
        last == null ? null : last.path("gateway_status").path("error").path("error_message");
    return e == null || e.isMissingNode() || e.isNull() || e.asText().isEmpty() ? null : e.asText();
  }

  /** The runner's error when the stream is in state ERROR, or null. */
  String runnerError() {
    if (last == null || !"ERROR".equals(last.path("state").asText())) {
      return null;
    }
    String e = last.path("inference_status").path("last_error").asText("");
    return e.isEmpty() ? "runner state ERROR" : e;
  }

  Double meanFps() {
    return fpsSamples.isEmpty()
        ? null
        : fpsSamples.stream().mapToDouble(d -> d).average().orElseThrow();
  }

  /** Standard deviation over mean of the FPS samples; null with fewer than two. */
  Double fpsJitter() {
    if (fpsSamples.size() < 2) {
      return null;
    }
    double mean = meanFps();
    double var =
        fpsSamples.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum()
            / (fpsSamples.size() - 1);
    return Math.sqrt(var) / mean;
  }

  private static double fps(JsonNode status) {
    return status.path("inference_status").path("fps").asDouble(0);
  }
}
