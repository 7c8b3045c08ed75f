package dev.naap.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.events.AiStreamEvent;
import dev.naap.events.AiStreamStatus;
import dev.naap.events.Event;
import dev.naap.events.StreamTrace;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every message the simulator emits passes the real event contract, except injected malformed ones.
 */
class EventContractTest {

  @Test
  void everyEvent_isAccepted_whenNothingIsMalformed() {
    SimRun run = SimRun.perfect();
    assertThat(run.messages).hasSizeGreaterThan(10_000);
    assertThat(run.rejected).isEmpty();
    assertThat(run.accepted).allMatch(Event::supported);
  }

  @Test
  void onlyInjectedMalformedMessages_areRejected() {
    SimRun run = SimRun.quirky();
    long injected = run.truth.malformed().values().stream().mapToLong(Long::longValue).sum();
    assertThat(injected).isGreaterThan(50);
    assertThat(run.rejected).hasSize((int) injected);
    assertThat(run.truth.malformed().keySet()).hasSize(Delivery.MALFORMED_KINDS.length);
  }

  @Test
  void everyFamilyAndSubtype_isEmitted() {
    SimRun run = SimRun.perfect();
    Set<String> seen = run.accepted.stream().map(e -> e.family() + "/" + e.subtype())
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(seen).contains("ai_stream_status/status", "stream_ingest_metrics/",
        "discovery_results/", "network_capabilities/", "create_new_payment/",
        "ai_stream_events/params_update", "ai_stream_events/error", "ai_stream_events/restart");
    for (String subtype : StreamTrace.SUBTYPES) {
      if (!subtype.equals("gateway_receive_first_data_segment")
          && !subtype.equals("runner_receive_stream_request")) {
        assertThat(seen).contains("stream_trace/" + subtype);
      }
    }
    assertThat(run.accepted).anyMatch(e -> e instanceof AiStreamEvent.GatewayError)
        .anyMatch(e -> e instanceof AiStreamEvent.RunnerError);
  }

  @Test
  void statusStates_coverTheRunnerStateMachine() {
    Set<String> states = SimRun.perfect().accepted.stream()
        .filter(e -> e instanceof AiStreamStatus).map(e -> ((AiStreamStatus) e).state())
        .collect(Collectors.toSet());
    assertThat(states)
        .contains("LOADING", "ONLINE", "DEGRADED_INPUT", "DEGRADED_INFERENCE", "ERROR");
  }

  @Test
  void gateways_includeOneWithAnEmptyName_andOptionalFieldsOnOneOnly() {
    SimRun run = SimRun.perfect();
    Set<String> gateways =
        run.accepted.stream().map(e -> e.envelope().gateway()).collect(Collectors.toSet());
    assertThat(gateways).hasSize(6).contains("", "cloud-spe-ai-live-video-tester-fra");
    Set<String> withGpuId =
        run.accepted.stream()
            .filter(e -> e instanceof AiStreamStatus s && !s.gpuId().isEmpty())
            .map(e -> e.envelope().gateway())
            .collect(Collectors.toSet());
    assertThat(withGpuId).hasSize(1).doesNotContain("");
    assertThat(run.accepted).anyMatch(Event::testLoad);
  }
}
