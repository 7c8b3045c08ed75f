package dev.naap.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds go-livepeer envelopes in their real shapes (livepeer-data.md §1), with only the fields
 * that matter for metrics, at times given in ms after {@link #T0}. Each envelope gets a new id.
 */
final class LiveEvents {

  static final String A = "0xaaaa000000000000000000000000000000000001";
  static final String B = "0xbbbb000000000000000000000000000000000002";
  static final long T0 = 1_767_900_000_000L;
  private final AtomicInteger ids = new AtomicInteger();

  String envelope(String type, long t, String data) {
    return "{\"id\":\"ev-" + ids.incrementAndGet() + "\",\"type\":\"" + type + "\",\"timestamp\":\"" + (T0 + t)
        + "\",\"gateway\":\"gw-1\",\"data\":" + data + "}";
  }

  String trace(String stream, String subtype, String orch, long t) {
    return envelope("stream_trace", t, "{\"type\":\"" + subtype + "\",\"timestamp\":" + (T0 + t)
        + ",\"stream_id\":\"" + stream + "\",\"request_id\":\"r-" + stream + "\",\"pipeline_id\":\"\","
        + "\"orchestrator_info\":{\"address\":\"" + orch + "\",\"url\":\"" + (orch.isEmpty() ? "" : "https://" + orch.substring(2, 6) + ":8935") + "\"}}");
  }

  String request(String stream, long t) {
    return trace(stream, "gateway_receive_stream_request", "", t);
  }

  String noOrchestrators(String stream, long t) {
    return trace(stream, "gateway_no_orchestrators_available", "", t);
  }

  String ingest(String stream, String orch, long t) {
    return trace(stream, "gateway_send_first_ingest_segment", orch, t);
  }

  String processed(String stream, String orch, long t) {
    return trace(stream, "gateway_receive_first_processed_segment", orch, t);
  }

  String swap(String stream, String orch, long t) {
    // orchestrator_swap carries no data timestamp: its time is the envelope's.
    return envelope("stream_trace", t, "{\"type\":\"orchestrator_swap\",\"stream_id\":\"" + stream
        + "\",\"request_id\":\"r-" + stream + "\",\"pipeline\":\"streamdiffusion\",\"message\":\"slow\","
        + "\"orchestrator_info\":{\"address\":\"" + orch + "\",\"url\":\"\"}}");
  }

  String status(String stream, String orch, long t, double fps, String state) {
    return envelope("ai_stream_status", t, "{\"type\":\"status\",\"pipeline\":\"streamdiffusion\",\"state\":\""
        + state + "\",\"timestamp\":" + (T0 + t) + ",\"inference_status\":{\"fps\":" + fps
        + ",\"restart_count\":0,\"last_error\":null},\"stream_id\":\"" + stream + "\",\"request_id\":\"r-" + stream
        + "\",\"pipeline_id\":\"\",\"orchestrator_info\":{\"address\":\"" + orch + "\",\"url\":\"\"}}");
  }

  String statusWithError(String stream, String orch, long t, String error) {
    return status(stream, orch, t, 20, "ONLINE").replace("\"last_error\":null", "\"last_error\":\"" + error + "\"");
  }

  String restart(String stream, String orch, long t) {
    return envelope("ai_stream_events", t, "{\"type\":\"restart\",\"pipeline\":\"streamdiffusion\",\"restart_count\":1,"
        + "\"restart_time\":" + ((T0 + t) / 1000.0) + ",\"timestamp\":" + (T0 + t) + ",\"stream_id\":\"" + stream
        + "\",\"request_id\":\"r-" + stream + "\",\"pipeline_id\":\"\",\"orchestrator_info\":{\"address\":\"" + orch
        + "\",\"url\":\"\"}}");
  }

  String ingestMetrics(String stream, long t, long received, long sent) {
    return envelope("stream_ingest_metrics", t, "{\"timestamp\":" + (T0 + t) + ",\"stream_id\":\"" + stream
        + "\",\"pipeline_id\":\"\",\"request_id\":\"r-" + stream + "\",\"stats\":{\"peer_conn_stats\":{\"ID\":\"iceTransport\","
        + "\"BytesReceived\":" + received + ",\"BytesSent\":" + sent + "},\"track_stats\":[{\"type\":\"video\",\"jitter\":4.5,"
        + "\"packets_lost\":0,\"packets_received\":100,\"packet_loss_pct\":0,\"rtt\":0}],\"conn_quality\":\"good\"}}");
  }

  String capabilities(long t, String localAddress, List<String> gpuIds) {
    StringBuilder gpus = new StringBuilder();
    for (int i = 0; i < gpuIds.size(); i++) {
      gpus.append(i == 0 ? "" : ",").append("\"").append(i).append("\":{\"id\":\"").append(gpuIds.get(i))
          .append("\",\"name\":\"NVIDIA GeForce RTX 4090\",\"major\":8,\"memory_free\":1,\"memory_total\":25757220864}");
    }
    return envelope("network_capabilities", t, "[{\"address\":\"0xd000000000000000000000000000000000000000\","
        + "\"local_address\":\"" + localAddress + "\",\"orch_uri\":\"https://orch:8935\",\"capabilities\":{"
        + "\"bitstring\":[1],\"version\":\"0.8.8\"},\"hardware\":[{\"pipeline\":\"live-video-to-video\","
        + "\"model_id\":\"streamdiffusion\",\"gpu_info\":{" + gpus + "}}]}]");
  }

  /** A session on orchestrator A whose first frame came {@code ptffMs} after the request. */
  List<String> session(String stream, long ptffMs, double... fps) {
    List<String> events = new ArrayList<>(List.of(request(stream, 0), ingest(stream, A, ptffMs / 2),
        processed(stream, A, ptffMs)));
    for (int i = 0; i < fps.length; i++) {
      events.add(status(stream, A, ptffMs + 10_000L * (i + 1), fps[i], "ONLINE"));
    }
    return events;
  }
}
