package dev.naap.events;

import static dev.naap.events.TestMessages.ENVELOPE_MS;
import static dev.naap.events.TestMessages.accept;
import static dev.naap.events.TestMessages.envelope;
import static dev.naap.events.TestMessages.reject;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Quirks of stream_trace, ai_stream_status, ai_stream_events and stream_ingest_metrics. */
class LiveVideoFamiliesTest {
  private static final String ORCH =
      "\"orchestrator_info\":{\"address\":\"0x52CF2968b3DC6016778742D3539449a6597D5954\","
          + "\"url\":\"https://o:8935\"}";

  // ---- stream_trace ----------------------------------------------------------------------------

  @Test
  void orchestratorSwap_hasNoDataTimestampAndUsesTheEnvelopeTime() {
    String data = "{\"type\":\"orchestrator_swap\",\"stream_id\":\"s\",\"request_id\":\"r\","
        + "\"pipeline\":\"streamdiffusion\",\"message\":\"orchestrator is slow\"," + ORCH + "}";
    StreamTrace t = accept(envelope(StreamTrace.FAMILY, data), StreamTrace.class);
    assertThat(t.timestampMs()).isNull();
    assertThat(t.eventTimeMs()).isEqualTo(ENVELOPE_MS);
    assertThat(t.pipeline()).isEqualTo("streamdiffusion");
    assertThat(t.message()).isEqualTo("orchestrator is slow");
    assertThat(t.orchestratorAddress()).isEqualTo("0x52cf2968b3dc6016778742d3539449a6597d5954");
  }

  @Test
  void streamTrace_acceptsEveryModelledSubtype() {
    for (String subtype : StreamTrace.SUBTYPES) {
      String data = "{\"type\":\"" + subtype + "\",\"timestamp\":1767908945300}";
      StreamTrace t = accept(envelope(StreamTrace.FAMILY, data), StreamTrace.class);
      assertThat(t.subtype()).isEqualTo(subtype);
      assertThat(t.eventTimeMs()).isEqualTo(1_767_908_945_300L);
      assertThat(t.orchestratorInfo()).isEqualTo(OrchestratorInfo.EMPTY);
    }
    assertThat(StreamTrace.SUBTYPES).hasSize(11);
  }

  @Test
  void streamTrace_treatsAZeroTimestampAsAbsent() {
    String data = "{\"type\":\"gateway_ingest_stream_closed\",\"timestamp\":0}";
    assertThat(accept(envelope(StreamTrace.FAMILY, data)).eventTimeMs()).isEqualTo(ENVELOPE_MS);
  }

  @Test
  void streamTrace_rejectsADataTimestampInSeconds() {
    String data = "{\"type\":\"gateway_ingest_stream_closed\",\"timestamp\":1767908945}";
    assertThat(reject(envelope(StreamTrace.FAMILY, data)))
        .isEqualTo(new ParseResult.Rejected(RejectReason.INVALID_VALUE,
            "data.timestamp: 1767908945 is not a unix-ms time between 2015 and 2100"));
  }

  @Test
  void streamTrace_readsRegionGpuIdAndTestLoadFromTheDataQualityFixes() {
    String data = "{\"type\":\"gateway_receive_first_processed_segment\",\"is_test_load\":true,"
        + "\"orchestrator_info\":{\"address\":\"0xAB\",\"url\":\"u\",\"region\":\"FRA\","
        + "\"gpu_id\":\"GPU-1\"}}";
    StreamTrace t = accept(envelope(StreamTrace.FAMILY, data), StreamTrace.class);
    assertThat(t.orchestratorInfo()).isEqualTo(new OrchestratorInfo("0xab", "u", "GPU-1", "FRA"));
    assertThat(t.testLoad()).isTrue();
  }

  @Test
  void streamTrace_rejectsANonBooleanTestLoadFlag() {
    String data = "{\"type\":\"gateway_receive_stream_request\",\"is_test_load\":\"true\"}";
    assertThat(reject(envelope(StreamTrace.FAMILY, data)).detail())
        .isEqualTo("data.is_test_load: expected boolean, got string");
  }

  @Test
  void streamTrace_readsANullOrchestratorInfoAsEmpty() {
    String data = "{\"type\":\"gateway_no_orchestrators_available\",\"orchestrator_info\":null}";
    assertThat(accept(envelope(StreamTrace.FAMILY, data)).orchestratorAddress()).isEmpty();
  }

  // ---- ai_stream_status ------------------------------------------------------------------------

  @Test
  void aiStreamStatus_takesTheGpuIdFromDataFirst() {
    String data = "{\"type\":\"status\",\"gpu_id\":\"GPU-data\","
        + "\"orchestrator_info\":{\"address\":\"0xa\",\"gpu_id\":\"GPU-orch\"}}";
    AiStreamStatus s = accept(envelope(AiStreamStatus.FAMILY, data), AiStreamStatus.class);
    assertThat(s.gpuId()).isEqualTo("GPU-data");
    assertThat(s.orchestratorInfo().gpuId()).isEqualTo("GPU-orch");
  }

  @Test
  void aiStreamStatus_fallsBackToTheOrchestratorInfoGpuId() {
    String data = "{\"type\":\"status\",\"orchestrator_info\":{\"gpu_id\":\"GPU-orch\","
        + "\"region\":\"LAX\"}}";
    AiStreamStatus s = accept(envelope(AiStreamStatus.FAMILY, data), AiStreamStatus.class);
    assertThat(s.gpuId()).isEqualTo("GPU-orch");
    assertThat(s.orchestratorInfo().region()).isEqualTo("LAX");
  }

  @Test
  void aiStreamStatus_readsRunnerNullsAndErrorState() {
    String data = "{\"type\":\"status\",\"state\":\"ERROR\",\"timestamp\":1767908960000,"
        + "\"input_status\":null,"
        + "\"inference_status\":{\"fps\":0,\"last_error\":\"CUDA out of memory\","
        + "\"last_error_time\":1767908959000,\"last_restart_time\":1767908958000.0,"
        + "\"last_restart_logs\":[\"line 1\",\"line 2\"],\"restart_count\":3,"
        + "\"last_params\":null},\"is_test_load\":true}";
    AiStreamStatus s = accept(envelope(AiStreamStatus.FAMILY, data), AiStreamStatus.class);
    assertThat(s.state()).isEqualTo("ERROR");
    assertThat(s.inputStatus()).isEqualTo(new AiStreamStatus.InputStatus(null, null));
    AiStreamStatus.InferenceStatus inf = s.inferenceStatus();
    assertThat(inf.fps()).isZero();
    assertThat(inf.lastError()).isEqualTo("CUDA out of memory");
    assertThat(inf.lastErrorTimeMs()).isEqualTo(1_767_908_959_000L);
    assertThat(inf.lastRestartTimeMs()).isEqualTo(1_767_908_958_000L); // integral float accepted
    assertThat(inf.lastRestartLogs()).containsExactly("line 1", "line 2");
    assertThat(inf.restartCount()).isEqualTo(3);
    assertThat(inf.lastParamsJson()).isEmpty();
    assertThat(s.testLoad()).isTrue();
    assertThat(s.eventTimeMs()).isEqualTo(1_767_908_960_000L);
  }

  @Test
  void aiStreamStatus_acceptsAMissingDataTypeAsStatus() {
    AiStreamStatus s =
        accept(envelope(AiStreamStatus.FAMILY, "{\"state\":\"LOADING\"}"), AiStreamStatus.class);
    assertThat(s.subtype()).isEqualTo("status");
    assertThat(s.eventTimeMs()).isEqualTo(ENVELOPE_MS);
    assertThat(s.startTimeMs()).isNull();
  }

  @Test
  void aiStreamStatus_rejectsAFractionalMillisecondTime() {
    String data = "{\"type\":\"status\",\"start_time\":1767908945607.5}";
    assertThat(reject(envelope(AiStreamStatus.FAMILY, data)).detail())
        .startsWith("data.start_time: expected integer, got fractional number");
  }

  @Test
  void aiStreamStatus_readsALastRestartTimeInFloatSecondsAsMilliseconds() {
    // Issue 12: the runner's lifetime restart time may come in float seconds, as on its events.
    String data = "{\"type\":\"status\",\"inference_status\":{\"last_restart_time\":1767908958.25,"
        + "\"restart_count\":2}}";
    AiStreamStatus s = accept(envelope(AiStreamStatus.FAMILY, data), AiStreamStatus.class);
    assertThat(s.inferenceStatus().lastRestartTimeMs()).isEqualTo(1_767_908_958_250L);
    assertThat(s.inferenceStatus().restartCount()).isEqualTo(2);
  }

  @Test
  void aiStreamStatus_rejectsNonStringRestartLogs() {
    String data = "{\"type\":\"status\",\"inference_status\":{\"last_restart_logs\":[\"a\",1]}}";
    assertThat(reject(envelope(AiStreamStatus.FAMILY, data)).detail())
        .isEqualTo("data.inference_status.last_restart_logs[1]: expected string, got integer");
  }

  // ---- ai_stream_events ------------------------------------------------------------------------

  @Test
  void paramsUpdate_keepsTheClientParamsAsJsonAndUsesTheEnvelopeTime() {
    String data = "{\"type\":\"params_update\",\"stream_id\":\"s\",\"request_id\":\"r\","
        + "\"pipeline\":\"streamdiffusion\",\"pipeline_id\":\"p\","
        + "\"params\":{\"prompt\":\"a cat\",\"t_index_list\":[0,8,17]}," + ORCH + "}";
    AiStreamEvent.ParamsUpdate u =
        accept(envelope(AiStreamEvent.FAMILY, data), AiStreamEvent.ParamsUpdate.class);
    assertThat(u.subtype()).isEqualTo("params_update");
    assertThat(u.paramsJson()).isEqualTo("{\"prompt\":\"a cat\",\"t_index_list\":[0,8,17]}");
    assertThat(u.eventTimeMs()).isEqualTo(ENVELOPE_MS);
    assertThat(u.pipelineId()).isEqualTo("p");
    assertThat(u.orchestratorUrl()).isEqualTo("https://o:8935");
  }

  @Test
  void gatewayError_isRecognisedByItsCapabilityKey() {
    String data =
        "{\"type\":\"error\",\"request_id\":\"r\",\"stream_id\":\"s\",\"pipeline_id\":\"\",\"pipeline\":\"streamdiffusion\",\"capability\":\"\",\"message\":\"whip"
            + " disconnected\"}";
    AiStreamEvent.GatewayError g =
        accept(envelope(AiStreamEvent.FAMILY, data), AiStreamEvent.GatewayError.class);
    assertThat(g.subtype()).isEqualTo("error");
    assertThat(g.message()).isEqualTo("whip disconnected");
    assertThat(g.capability()).isEmpty();
    assertThat(g.eventTimeMs()).isEqualTo(ENVELOPE_MS);
    assertThat(g.orchestratorAddress()).isEmpty();
  }

  @Test
  void runnerError_readsFloatSecondsAndItsMillisecondTimestamp() {
    String data =
        "{\"type\":\"error\",\"pipeline\":\"comfyui\",\"message\":\"Error in pipeline\","
            + "\"time\":1767908956.123456,\"timestamp\":1767908956124,\"stream_id\":\"s\","
            + ORCH
            + "}";
    AiStreamEvent.RunnerError e =
        accept(envelope(AiStreamEvent.FAMILY, data), AiStreamEvent.RunnerError.class);
    assertThat(e.subtype()).isEqualTo("error");
    assertThat(e.timeSeconds()).isEqualTo(1_767_908_956.123456);
    assertThat(e.eventTimeMs()).isEqualTo(1_767_908_956_124L);
    assertThat(e.orchestratorAddress()).isEqualTo("0x52cf2968b3dc6016778742d3539449a6597d5954");
  }

  @Test
  void restart_readsCountFloatSecondsAndLogs() {
    String data = "{\"type\":\"restart\",\"pipeline\":\"streamdiffusion\",\"restart_count\":2,"
        + "\"restart_time\":1767908970.5,\"restart_logs\":[\"Traceback\",\"OOM\"],"
        + "\"timestamp\":1767908970501}";
    AiStreamEvent.Restart r =
        accept(envelope(AiStreamEvent.FAMILY, data), AiStreamEvent.Restart.class);
    assertThat(r.restartCount()).isEqualTo(2);
    assertThat(r.restartTimeSeconds()).isEqualTo(1_767_908_970.5);
    assertThat(r.restartLogs()).containsExactly("Traceback", "OOM");
    assertThat(r.eventTimeMs()).isEqualTo(1_767_908_970_501L);
  }

  @Test
  void runnerError_rejectsTimeSentAsAString() {
    String data = "{\"type\":\"error\",\"time\":\"1767908956.1\"}";
    assertThat(reject(envelope(AiStreamEvent.FAMILY, data)).detail())
        .isEqualTo("data.time: expected number, got string");
  }

  // ---- stream_ingest_metrics -------------------------------------------------------------------

  @Test
  void ingestMetrics_readsNanosecondRttAndWarnings() {
    String data = "{\"timestamp\":1767908950608,\"stream_id\":\"s\",\"stats\":{"
        + "\"peer_conn_stats\":{\"ID\":\"iceTransport\",\"BytesReceived\":15247459,"
        + "\"BytesSent\":66273},\"track_stats\":[{\"type\":\"video\",\"jitter\":55.5,"
        + "\"packets_lost\":-2,\"packets_received\":13169,\"packet_loss_pct\":2.5,"
        + "\"rtt\":35000000,\"last_input_ts\":89.89,\"last_output_ts\":88.1,\"latency\":1.79,"
        + "\"warnings\":[\"jitter greater than 50 ms\"]}],\"conn_quality\":\"bad\"}}";
    StreamIngestMetrics m = accept(envelope(StreamIngestMetrics.FAMILY, data),
        StreamIngestMetrics.class);
    assertThat(m.stats().peerConnStats())
        .isEqualTo(new StreamIngestMetrics.PeerConnStats("iceTransport", 15_247_459L, 66_273L));
    StreamIngestMetrics.TrackStats t = m.stats().trackStats().getFirst();
    assertThat(t.rttNanos()).isEqualTo(35_000_000L); // 35 ms
    assertThat(t.packetsLost()).isEqualTo(-2); // RTP cumulative loss can go negative
    assertThat(t.latencySeconds()).isEqualTo(1.79);
    assertThat(t.warnings()).containsExactly("jitter greater than 50 ms");
    assertThat(m.stats().connQuality()).isEqualTo("bad");
    assertThat(m.pipeline()).isEmpty();
  }

  @Test
  void ingestMetrics_readsOmittedStatsAsZero() {
    StreamIngestMetrics m = accept(envelope(StreamIngestMetrics.FAMILY,
        "{\"stats\":{\"track_stats\":[{}]}}"), StreamIngestMetrics.class);
    assertThat(m.stats().peerConnStats())
        .isEqualTo(new StreamIngestMetrics.PeerConnStats("", 0, 0));
    assertThat(m.stats().trackStats().getFirst().jitterMs()).isZero();
    assertThat(m.eventTimeMs()).isEqualTo(ENVELOPE_MS);
  }

  @Test
  void ingestMetrics_rejectsByteCountsSentAsStrings() {
    String data = "{\"stats\":{\"peer_conn_stats\":{\"BytesReceived\":\"15247459\"}}}";
    assertThat(reject(envelope(StreamIngestMetrics.FAMILY, data)).detail())
        .isEqualTo("data.stats.peer_conn_stats.BytesReceived: expected integer, got string");
  }
}
