package dev.naap.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the live-video families whose {@code data} is one object: {@code stream_trace}, {@code
 * ai_stream_status}, {@code ai_stream_events} and {@code stream_ingest_metrics}.
 */
final class LiveVideoReader {
  private LiveVideoReader() {}

  static Event streamTrace(Envelope env, JsonNode dataNode) {
    Fields data = Payloads.object(env, dataNode);
    String subtype = data.requiredStr("type");
    if (!StreamTrace.SUBTYPES.contains(subtype)) {
      return UnsupportedReader.read(env, dataNode);
    }
    return new StreamTrace(
        env,
        subtype,
        Payloads.timestampMs(data),
        data.str("stream_id"),
        data.str("request_id"),
        data.str("pipeline_id"),
        data.str("pipeline"),
        data.str("message"),
        Payloads.orchestratorInfo(data),
        Payloads.testLoad(data));
  }

  static Event aiStreamStatus(Envelope env, JsonNode dataNode) {
    Fields data = Payloads.object(env, dataNode);
    String subtype = data.str("type");
    if (!subtype.isEmpty() && !subtype.equals(AiStreamStatus.SUBTYPE)) {
      return UnsupportedReader.read(env, dataNode);
    }
    Fields input = data.obj("input_status");
    Fields inference = data.obj("inference_status");
    OrchestratorInfo orchestrator = Payloads.orchestratorInfo(data);
    String gpuId = data.str("gpu_id");
    return new AiStreamStatus(
        env,
        Payloads.timestampMs(data),
        data.str("stream_id"),
        data.str("request_id"),
        data.str("pipeline_id"),
        data.str("pipeline"),
        data.str("state"),
        data.optLong("start_time"),
        data.optLong("last_state_update_time"),
        data.optLong("last_status_timestamp"),
        new AiStreamStatus.InputStatus(input.optDouble("fps"), input.optLong("last_input_time")),
        new AiStreamStatus.InferenceStatus(
            inference.optDouble("fps"),
            inference.optLong("last_output_time"),
            inference.optLong("last_params_update_time"),
            inference.rawJson("last_params"),
            inference.str("last_params_hash"),
            inference.str("last_error"),
            inference.optLong("last_error_time"),
            Payloads.runnerTimeMs(inference.optDouble("last_restart_time")),
            inference.strList("last_restart_logs"),
            inference.optInt("restart_count")),
        orchestrator,
        gpuId.isEmpty() ? orchestrator.gpuId() : gpuId,
        Payloads.testLoad(data));
  }

  static Event aiStreamEvent(Envelope env, JsonNode dataNode) {
    Fields data = Payloads.object(env, dataNode);
    String subtype = data.requiredStr("type");
    return switch (subtype) {
      case AiStreamEvent.ParamsUpdate.SUBTYPE ->
          new AiStreamEvent.ParamsUpdate(
              env,
              data.str("stream_id"),
              data.str("request_id"),
              data.str("pipeline_id"),
              data.str("pipeline"),
              data.rawJson("params"),
              Payloads.orchestratorInfo(data),
              Payloads.testLoad(data));
      // The gateway's LiveErrorEventSender always sets "capability"; the runner never does.
      case AiStreamEvent.GatewayError.SUBTYPE ->
          data.has("capability") ? gatewayError(env, data) : runnerError(env, data);
      case AiStreamEvent.Restart.SUBTYPE ->
          new AiStreamEvent.Restart(
              env,
              Payloads.timestampMs(data),
              data.str("stream_id"),
              data.str("request_id"),
              data.str("pipeline_id"),
              data.str("pipeline"),
              data.optInt("restart_count"),
              data.optDouble("restart_time"),
              data.strList("restart_logs"),
              Payloads.orchestratorInfo(data),
              Payloads.testLoad(data));
      default -> UnsupportedReader.read(env, dataNode);
    };
  }

  private static AiStreamEvent gatewayError(Envelope env, Fields data) {
    return new AiStreamEvent.GatewayError(
        env,
        data.str("stream_id"),
        data.str("request_id"),
        data.str("pipeline_id"),
        data.str("pipeline"),
        data.str("capability"),
        data.str("message"),
        Payloads.orchestratorInfo(data),
        Payloads.testLoad(data));
  }

  private static AiStreamEvent runnerError(Envelope env, Fields data) {
    return new AiStreamEvent.RunnerError(
        env,
        Payloads.timestampMs(data),
        data.optDouble("time"),
        data.str("stream_id"),
        data.str("request_id"),
        data.str("pipeline_id"),
        data.str("pipeline"),
        data.str("message"),
        Payloads.orchestratorInfo(data),
        Payloads.testLoad(data));
  }

  static Event streamIngestMetrics(Envelope env, JsonNode dataNode) {
    Fields data = Payloads.object(env, dataNode);
    Fields stats = data.obj("stats");
    Fields peer = stats.obj("peer_conn_stats");
    List<Fields> tracks = stats.objList("track_stats");
    List<StreamIngestMetrics.TrackStats> trackStats = new ArrayList<>(tracks.size());
    for (Fields t : tracks) {
      trackStats.add(
          new StreamIngestMetrics.TrackStats(
              t.str("type"),
              t.dbl("jitter"),
              t.lng("packets_lost"),
              t.lng("packets_received"),
              t.dbl("packet_loss_pct"),
              t.lng("rtt"),
              t.dbl("last_input_ts"),
              t.dbl("last_output_ts"),
              t.dbl("latency"),
              t.strList("warnings")));
    }
    return new StreamIngestMetrics(
        env,
        Payloads.timestampMs(data),
        data.str("stream_id"),
        data.str("request_id"),
        data.str("pipeline_id"),
        new StreamIngestMetrics.MediaStats(
            new StreamIngestMetrics.PeerConnStats(
                peer.str("ID"), peer.lng("BytesReceived"), peer.lng("BytesSent")),
            trackStats,
            stats.str("conn_quality")),
        Payloads.orchestratorInfo(data),
        Payloads.testLoad(data));
  }
}
