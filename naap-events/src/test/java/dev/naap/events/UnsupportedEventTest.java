package dev.naap.events;

import static dev.naap.events.TestMessages.ENVELOPE_MS;
import static dev.naap.events.TestMessages.accept;
import static dev.naap.events.TestMessages.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Unknown families and unknown subtypes are kept as UnsupportedEvent, never rejected. */
class UnsupportedEventTest {

  @Test
  void unknownFamily_isKeptWithBestEffortColumns() {
    String data = "{\"type\":\"llm_stream_completed\",\"stream_id\":\"s-1\",\"request_id\":\"r-1\","
        + "\"pipeline\":\"llm\",\"timestamp\":1767908950000,\"ttft_ms\":\"not ours to judge\","
        + "\"orchestrator_info\":{\"address\":\"0xABC\",\"url\":\"https://o:8935\"},"
        + "\"is_test_load\":true}";
    String json = envelope("ai_llm_request", data);
    UnsupportedEvent e = accept(json, UnsupportedEvent.class);
    assertThat(e.supported()).isFalse();
    assertThat(e.family()).isEqualTo("ai_llm_request");
    assertThat(e.subtype()).isEqualTo("llm_stream_completed");
    assertThat(e.streamId()).isEqualTo("s-1");
    assertThat(e.requestId()).isEqualTo("r-1");
    assertThat(e.pipeline()).isEqualTo("llm");
    assertThat(e.eventTimeMs()).isEqualTo(1_767_908_950_000L);
    assertThat(e.orchestratorAddress()).isEqualTo("0xabc");
    assertThat(e.orchestratorUrl()).isEqualTo("https://o:8935");
    assertThat(e.testLoad()).isTrue();
    assertThat(e.envelope().json()).isEqualTo(json);
  }

  @Test
  void unknownFamily_readsOddlyTypedColumnsAsEmptyInsteadOfRejecting() {
    String data =
        "{\"type\":7,\"stream_id\":[1],\"timestamp\":\"soon\",\"orchestrator_info\":\"x\","
            + "\"is_test_load\":\"yes\"}";
    UnsupportedEvent e = accept(envelope("worker_lifecycle", data), UnsupportedEvent.class);
    assertThat(e.subtype()).isEmpty();
    assertThat(e.streamId()).isEmpty();
    assertThat(e.eventTimeMs()).isEqualTo(ENVELOPE_MS);
    assertThat(e.orchestratorAddress()).isEmpty();
    assertThat(e.testLoad()).isFalse();
  }

  @Test
  void unknownFamily_acceptsAnyDataShape() {
    for (String data : new String[] {"[1,2]", "\"text\"", "3", "false", "{}"}) {
      UnsupportedEvent e = accept(envelope("job_gateway", data), UnsupportedEvent.class);
      assertThat(e.subtype()).as(data).isEmpty();
      assertThat(e.eventTimeMs()).isEqualTo(ENVELOPE_MS);
    }
  }

  @Test
  void unknownFamily_ignoresAnImplausibleDataTimestamp() {
    UnsupportedEvent e =
        accept(envelope("job_gateway", "{\"timestamp\":1767908950}"), UnsupportedEvent.class);
    assertThat(e.eventTimeMs()).isEqualTo(ENVELOPE_MS); // seconds, not ms: use the envelope
  }

  @Test
  void unknownStreamTraceSubtype_isKeptAsUnsupported() {
    String data = "{\"type\":\"stream_heartbeat\",\"client_source\":\"scope\",\"stream_id\":\"s\","
        + "\"timestamp\":1767908950000}";
    Event e = accept(envelope(StreamTrace.FAMILY, data));
    assertThat(e).isInstanceOf(UnsupportedEvent.class);
    assertThat(e.family()).isEqualTo("stream_trace");
    assertThat(e.subtype()).isEqualTo("stream_heartbeat");
    assertThat(e.streamId()).isEqualTo("s");
    assertThat(e.eventTimeMs()).isEqualTo(1_767_908_950_000L);
    assertThat(e.supported()).isFalse();
  }

  @Test
  void unknownStreamTraceSubtype_isKeptEvenWhenItsFieldsHaveOtherTypes() {
    String data = "{\"type\":\"app_param_update\",\"stream_id\":42,\"timestamp\":\"later\"}";
    UnsupportedEvent e = accept(envelope(StreamTrace.FAMILY, data), UnsupportedEvent.class);
    assertThat(e.subtype()).isEqualTo("app_param_update");
    assertThat(e.streamId()).isEmpty();
  }

  @Test
  void unknownAiStreamEventsSubtype_isKeptAsUnsupported() {
    String data = "{\"type\":\"prompt_changed\",\"stream_id\":\"s\",\"pipeline\":\"comfyui\"}";
    UnsupportedEvent e = accept(envelope(AiStreamEvent.FAMILY, data), UnsupportedEvent.class);
    assertThat(e.family()).isEqualTo("ai_stream_events");
    assertThat(e.subtype()).isEqualTo("prompt_changed");
    assertThat(e.pipeline()).isEqualTo("comfyui");
  }

  @Test
  void aiStreamStatusWithAnotherDataType_isKeptAsUnsupported() {
    String data = "{\"type\":\"status_v2\",\"state\":\"ONLINE\"}";
    UnsupportedEvent e = accept(envelope(AiStreamStatus.FAMILY, data), UnsupportedEvent.class);
    assertThat(e.subtype()).isEqualTo("status_v2");
  }

  @Test
  void knownFamilyWithAnUnknownSubtype_stillRequiresItsDataShape() {
    ParseResult.Rejected r =
        TestMessages.reject(envelope(StreamTrace.FAMILY, "[{\"type\":\"x\"}]"));
    assertThat(r.reason()).isEqualTo(RejectReason.DATA_SHAPE);
  }
}
