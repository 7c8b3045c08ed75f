package dev.naap.loadtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * One test stream: the stream key (the name in the publish URL and in {@code /update}), the
 * stream id (in {@code /status} and in every event), its pipeline, initial params, the
 * orchestrator pin ({@code ""} for any) and how long it is published.
 */
public record LiveStream(String key, String streamId, String pipeline, ObjectNode params,
    String orchestratorPin, Duration duration) {

  /** The query string a client's publish URL carries, as the gateway reads it. */
  public String query() {
    StringBuilder q = new StringBuilder("pipeline=").append(GatewayClient.enc(pipeline))
        .append("&streamId=").append(GatewayClient.enc(streamId))
        .append("&params=").append(GatewayClient.enc(params.toString()))
        .append("&duration_secs=").append(Math.max(1, duration.toSeconds()));
    if (!orchestratorPin.isEmpty()) {
      q.append("&orchestrator=").append(GatewayClient.enc(orchestratorPin));
    }
    return q.toString();
  }
}
