package dev.naap.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.naap.events.AiStreamEvent;
import dev.naap.events.AiStreamStatus;
import dev.naap.events.Event;
import dev.naap.events.NetworkCapabilities;
import dev.naap.events.StreamIngestMetrics;
import dev.naap.events.StreamTrace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Cadences, clocks and units as go-livepeer and ai-runner produce them. */
class CadenceTest {

  private static <T> Map<String, List<T>> by(List<Event> events, Class<T> type,
      java.util.function.Function<T, String> key) {
    return events.stream().filter(type::isInstance).map(type::cast)
        .collect(Collectors.groupingBy(key, HashMap::new, Collectors.toList()));
  }

  @Test
  void status_isEmittedEveryTenSeconds_perRunnerSession() {
    var sessions = by(SimRun.perfect().accepted, AiStreamStatus.class,
        s -> s.streamId() + "|" + s.orchestratorInfo().address() + "|" + s.startTimeMs());
    assertThat(sessions).hasSizeGreaterThan(500);
    for (List<AiStreamStatus> list : sessions.values()) {
      List<Long> ts = list.stream().map(AiStreamStatus::timestampMs).sorted().toList();
      for (int i = 1; i < ts.size(); i++) {
        assertThat(ts.get(i) - ts.get(i - 1)).isBetween(9_970L, 10_030L);
      }
      AiStreamStatus first =
          list.stream().min((a, b) -> Long.compare(a.timestampMs(), b.timestampMs())).orElseThrow();
      assertThat(first.timestampMs() - first.startTimeMs()).isBetween(9_900L, 10_100L);
    }
  }

  @Test
  void ingestMetrics_areEveryFiveSeconds_cumulative_withRttInNanos() {
    var streams =
        by(SimRun.perfect().accepted, StreamIngestMetrics.class, StreamIngestMetrics::streamId);
    for (List<StreamIngestMetrics> list : streams.values()) {
      List<StreamIngestMetrics> sorted = new ArrayList<>(list);
      sorted.sort((a, b) -> Long.compare(a.timestampMs(), b.timestampMs()));
      for (int i = 1; i < sorted.size(); i++) {
        assertThat(sorted.get(i).timestampMs() - sorted.get(i - 1).timestampMs())
            .isBetween(5_000L, 5_001L);
        assertThat(sorted.get(i).stats().peerConnStats().bytesReceived())
            .isGreaterThan(sorted.get(i - 1).stats().peerConnStats().bytesReceived());
      }
      for (StreamIngestMetrics m : sorted) {
        assertThat(m.stats().trackStats())
            .extracting(t -> t.type())
            .containsExactly("video", "audio");
        for (var t : m.stats().trackStats()) {
          if (m.envelope().gateway().isEmpty()) {
            assertThat(t.rttNanos()).isZero();
          } else {
            assertThat(t.rttNanos()).isBetween(1_000_000L, 1_000_000_000L);
          }
          assertThat(t.jitterMs()).isBetween(0.0, 500.0);
        }
      }
    }
  }

  @Test
  void envelopeTimestamp_isAStringOfUnixMillis_orAnIntegerFromTheTestersGateways()
      throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    SimRun run = SimRun.perfect();
    int integers = 0;
    for (int i = 0; i < run.messages.size(); i += 7) {
      JsonNode envelope = mapper.readTree(run.messages.get(i));
      JsonNode ts = envelope.get("timestamp");
      boolean tester =
          envelope.get("gateway").asText().startsWith("cloud-spe-ai-live-video-tester-");
      assertThat(ts.isTextual()).isEqualTo(!tester);
      assertThat(ts.isIntegralNumber()).isEqualTo(tester);
      integers += tester ? 1 : 0;
      assertThat(Long.parseLong(ts.asText()))
          .isBetween(SimRun.PEAK_START_MS, SimRun.PEAK_START_MS + 3 * 3_600_000L);
    }
    assertThat(integers).isPositive();
  }

  @Test
  void traces_followTheRealOrder_forHealthyStreams() {
    var streams = by(SimRun.perfect().accepted, StreamTrace.class, StreamTrace::streamId);
    List<String> order =
        List.of(
            "gateway_receive_stream_request",
            "gateway_send_first_ingest_segment",
            "runner_receive_first_ingest_segment",
            "runner_send_first_processed_segment",
            "gateway_receive_first_processed_segment",
            "gateway_receive_few_processed_segments",
            "gateway_ingest_stream_closed");
    int checked = 0;
    for (List<StreamTrace> list : streams.values()) {
      List<String> subtypes = list.stream()
          .sorted((a, b) -> Long.compare(a.envelope().timestampMs(), b.envelope().timestampMs()))
          .map(StreamTrace::subtype).toList();
      if (subtypes.equals(order)) {
        checked++;
      } else {
        assertThat(subtypes.getFirst()).isEqualTo("gateway_receive_stream_request");
      }
    }
    assertThat(checked).isGreaterThan(streams.size() / 2);
  }

  @Test
  void runnerTimes_areFloatSeconds_andTimestampsAreMillis() {
    for (Event e : SimRun.perfect().accepted) {
      if (e instanceof AiStreamEvent.RunnerError r) {
        assertThat(r.timeSeconds() * 1000)
            .isCloseTo((double) r.timestampMs(), org.assertj.core.data.Offset.offset(1.0));
      } else if (e instanceof AiStreamEvent.Restart r) {
        assertThat(r.restartTimeSeconds() * 1000)
            .isCloseTo((double) r.timestampMs(), org.assertj.core.data.Offset.offset(1.0));
        assertThat(r.restartCount()).isPositive();
      }
    }
  }

  @Test
  void capabilities_areSnapshotEvery25Minutes_perGateway() {
    var byGateway =
        by(SimRun.perfect().accepted, NetworkCapabilities.class, e -> e.envelope().gateway());
    assertThat(byGateway).hasSize(6);
    for (List<NetworkCapabilities> list : byGateway.values()) {
      assertThat(list).hasSize(3);
      for (int i = 1; i < list.size(); i++) {
        assertThat(list.get(i).envelope().timestampMs() - list.get(i - 1).envelope().timestampMs())
            .isEqualTo(25 * 60_000L);
      }
    }
  }
}
