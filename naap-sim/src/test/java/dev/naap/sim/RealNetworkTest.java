package dev.naap.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.events.AiStreamEvent;
import dev.naap.events.AiStreamStatus;
import dev.naap.events.Event;
import dev.naap.events.NetworkCapabilities;
import dev.naap.events.StreamTrace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The behaviours real production events show (../shared/reference/real-network.md), each in the
 * emitted events and in the ground truth.
 */
class RealNetworkTest {

  private static final String TIMEOUT = "no orchestrators available within 2s timeout";

  /** Events of one stream in time order. */
  private static Map<String, List<Event>> byStream(SimRun run) {
    Map<String, List<Event>> streams = new HashMap<>();
    for (Event e : run.accepted) {
      if (!e.streamId().isEmpty()) {
        streams.computeIfAbsent(e.streamId(), k -> new ArrayList<>()).add(e);
      }
    }
    streams
        .values()
        .forEach(
            l ->
                l.sort(
                    (a, b) ->
                        Long.compare(a.envelope().timestampMs(), b.envelope().timestampMs())));
    return streams;
  }

  private static boolean trace(Event e, String subtype) {
    return e instanceof StreamTrace t && t.subtype().equals(subtype);
  }

  @Test
  void restartCounters_belongToTheRunner_andMoveOnlyWhenItRestartsDuringTheSegment() {
    SimRun run = SimRun.perfect();
    int cleanWithLifetimeCount = 0;
    int risingDuringSegment = 0;
    for (List<Event> events : byStream(run).values()) {
      Map<String, List<AiStreamStatus>> statusesByNode = new HashMap<>();
      Set<String> restartedOn = new HashSet<>();
      for (Event e : events) {
        if (e instanceof AiStreamStatus s) {
          statusesByNode.computeIfAbsent(s.orchestratorUrl(), k -> new ArrayList<>()).add(s);
        } else if (e instanceof AiStreamEvent.Restart r) {
          restartedOn.add(r.orchestratorUrl());
        }
      }
      for (var entry : statusesByNode.entrySet()) {
        List<Integer> counts =
            entry.getValue().stream().map(s -> s.inferenceStatus().restartCount()).toList();
        if (restartedOn.contains(entry.getKey())) {
          risingDuringSegment += counts.getFirst() < counts.getLast() ? 1 : 0;
          continue;
        }
        // No restart during the stream: the runner's count never moves, and its last restart is
        // from before the stream's request.
        assertThat(counts).as("restart counts on a clean segment").containsOnly(counts.getFirst());
        AiStreamStatus first = entry.getValue().getFirst();
        long segmentFrom = events.stream().filter(e -> entry.getKey().equals(e.orchestratorUrl()))
            .mapToLong(Event::eventTimeMs).min().orElseThrow();
        if (counts.getFirst() > 0) {
          cleanWithLifetimeCount++;
          assertThat(first.inferenceStatus().lastRestartTimeMs()).isLessThan(segmentFrom);
        }
      }
    }
    assertThat(cleanWithLifetimeCount)
        .as("clean segments on runners restarted before")
        .isGreaterThan(50);
    assertThat(risingDuringSegment).as("segments whose runner restarted during them").isPositive();
  }

  @Test
  void firstStatus_mayCarryThePreviousStreamsOutput_andNoInputYet() {
    SimRun run = SimRun.perfect();
    int carried = 0;
    int noInput = 0;
    for (Event e : run.accepted) {
      if (e instanceof AiStreamStatus s && s.inferenceStatus().fps() == 0) {
        Long lastOutput = s.inferenceStatus().lastOutputTimeMs();
        carried += lastOutput != null && lastOutput < s.startTimeMs() ? 1 : 0;
        noInput += s.inputStatus().lastInputTimeMs() == null ? 1 : 0;
      }
    }
    assertThat(carried).isPositive();
    assertThat(noInput).isPositive();
  }

  @Test
  void oneSigner_frontsSeveralNodes_eachWithOneHardwareEntryPerRunnerKeyedZero() {
    SimRun run = SimRun.perfect();
    NetworkCapabilities snapshot =
        run.accepted.stream()
            .filter(e -> e instanceof NetworkCapabilities)
            .map(e -> (NetworkCapabilities) e)
            .findFirst()
            .orElseThrow();
    Map<String, Set<String>> urlsBySigner = new HashMap<>();
    boolean severalGpusForOneModel = false;
    for (NetworkCapabilities.OrchestratorCapabilities o : snapshot.orchestrators()) {
      urlsBySigner.computeIfAbsent(o.localAddress(), k -> new HashSet<>()).add(o.orchUri());
      Map<String, Set<String>> idsByModel = new HashMap<>();
      for (NetworkCapabilities.Hardware h : o.hardware()) {
        assertThat(h.gpus()).singleElement().satisfies(g -> assertThat(g.slot()).isEqualTo("0"));
        idsByModel.computeIfAbsent(h.modelId(), k -> new HashSet<>()).add(h.gpus().getFirst().id());
      }
      severalGpusForOneModel |= idsByModel.values().stream().anyMatch(ids -> ids.size() > 1);
    }
    assertThat(urlsBySigner.values()).anyMatch(urls -> urls.size() >= 4);
    assertThat(urlsBySigner.values().stream().filter(urls -> urls.size() > 1).flatMap(Set::stream))
        .anyMatch(u -> u.contains(".org:")).anyMatch(u -> u.contains(".net:"));
    assertThat(severalGpusForOneModel).isTrue();
    // The truth's nodes: one per URL, and the GPUs it would attribute are those of that URL only.
    assertThat(
            run.truth.orchestrators().stream().map(GroundTruth.OrchestratorTruth::url).distinct())
        .hasSize(run.truth.orchestrators().size());
    for (GroundTruth.NodePipelineTruth n : run.truth.nodePipelines()) {
      assertThat(n.gpuIds()).containsExactlyInAnyOrderElementsOf(run.truth.gpus().stream()
          .filter(g -> g.url().equals(n.url()) && g.pipeline().equals(n.pipeline()))
          .map(GroundTruth.GpuTruth::gpuId).distinct().toList());
    }
  }

  @Test
  void aSwapBackToTheSameNode_givesASecondFirstIngest_andTheTruthCountsIt() {
    SimRun run = SimRun.perfect();
    long swapsBack = 0;
    for (List<Event> events : byStream(run).values()) {
      for (int i = 0; i < events.size(); i++) {
        if (events.get(i) instanceof StreamTrace swap && swap.subtype().equals("orchestrator_swap")
            && swap.message().startsWith("trickle subscribe stopping, stream not found")) {
          String url = swap.orchestratorUrl();
          // The attempt swapped out had ingest and no output.
          List<Event> before =
              events.subList(0, i).stream().filter(e -> url.equals(e.orchestratorUrl())).toList();
          assertThat(before).anyMatch(e -> trace(e, "gateway_send_first_ingest_segment"))
              .noneMatch(e -> trace(e, "gateway_receive_first_processed_segment"));
          List<Event> next = events.subList(i + 1, events.size()).stream()
              .filter(e -> trace(e, "gateway_send_first_ingest_segment")).limit(1).toList();
          if (!next.isEmpty() && next.getFirst().orchestratorUrl().equals(url)) {
            swapsBack++;
            assertThat(next.getFirst().orchestratorAddress()).isEqualTo(swap.orchestratorAddress());
          }
        }
      }
    }
    assertThat(swapsBack)
        .isPositive()
        .isEqualTo(
            run.truth.orchestrators().stream()
                .mapToLong(GroundTruth.OrchestratorTruth::swapsBack)
                .sum());
  }

  @Test
  void timeoutGateways_sayNoOrchestratorOnlyByAnError_twoSecondsAfterTheRequest() {
    SimRun run = SimRun.perfect();
    Set<String> timeoutGateways =
        run.truth.gateways().stream()
            .filter(g -> g.noOrchestratorForm().equals("timeout_error"))
            .map(GroundTruth.GatewayTruth::host)
            .collect(Collectors.toSet());
    assertThat(timeoutGateways)
        .contains("gateway-eu.livepeer-sim.net", "cloud-spe-ai-live-video-tester-fra");
    int timeouts = 0;
    for (List<Event> events : byStream(run).values()) {
      boolean timeoutGateway = timeoutGateways.contains(events.getFirst().envelope().gateway());
      assertThat(events).as("trace form only on the other gateways")
          .noneMatch(e -> timeoutGateway && trace(e, "gateway_no_orchestrators_available"));
      for (Event e : events) {
        if (e instanceof AiStreamEvent.GatewayError g && g.message().equals(TIMEOUT)) {
          assertThat(timeoutGateway).isTrue();
          assertThat(g.orchestratorInfo().address()).isEmpty();
          long request = events.getFirst().eventTimeMs();
          if (events.stream().noneMatch(x -> trace(x, "orchestrator_swap"))) {
            assertThat(g.eventTimeMs() - request).isBetween(2_000L, 2_150L);
          }
          timeouts++;
        }
      }
    }
    assertThat(timeouts).isPositive();
  }

  @Test
  void strayErrorsAfterTheClose_nameNoOrchestrator() {
    SimRun run = SimRun.perfect();
    int stray = 0;
    for (List<Event> events : byStream(run).values()) {
      long closed = events.stream().filter(e -> trace(e, "gateway_ingest_stream_closed"))
          .mapToLong(Event::eventTimeMs).findFirst().orElse(Long.MAX_VALUE);
      for (Event e : events) {
        if (e instanceof AiStreamEvent.GatewayError g && g.capability().isEmpty()) {
          assertThat(g.eventTimeMs()).isGreaterThan(closed);
          assertThat(g.orchestratorInfo().address()).isEmpty();
          assertThat(g.message())
              .matches(
                  "Error publishing, wrote \\d+ dropping Post .*: connection reset by peer"
                      + "|trickle subscribe error reading: Channel exists but sequence does not");
          stray++;
        }
      }
    }
    assertThat(stray).isPositive();
  }

  @Test
  void firstIngest_comes9To19SecondsAfterTheRequest() {
    SimRun run = SimRun.perfect();
    int measured = 0;
    for (List<Event> events : byStream(run).values()) {
      Event first =
          events.stream()
              .filter(e -> trace(e, "gateway_send_first_ingest_segment"))
              .findFirst()
              .orElse(null);
      boolean swappedFirst = first != null && events.stream()
          .anyMatch(e -> trace(e, "orchestrator_swap") && e.eventTimeMs() < first.eventTimeMs());
      if (first != null && !swappedFirst) { // a swap (the dark node) before any ingest starts again
        assertThat(first.eventTimeMs() - events.getFirst().eventTimeMs())
            .isBetween(9_000L, 19_000L);
        measured++;
      }
    }
    assertThat(measured).isGreaterThan(500);
  }

  @Test
  void theTestersStreams_comeThroughItsGateways_unflagged() {
    SimRun run = SimRun.perfect();
    Map<String, List<Event>> streams = byStream(run);
    List<String> tester =
        streams.keySet().stream().filter(id -> id.startsWith("aiJobTesterStream-")).toList();
    assertThat(tester).hasSizeGreaterThanOrEqualTo(30);
    for (String id : tester) {
      assertThat(id).matches("aiJobTesterStream-\\d{19}");
      assertThat(streams.get(id))
          .allMatch(e -> e.envelope().gateway().startsWith("cloud-spe-ai-live-video-tester-"))
          .noneMatch(Event::testLoad);
    }
    assertThat(run.truth.demand().stream().mapToLong(GroundTruth.DemandCell::testerStreams).sum())
        .isEqualTo(tester.size());
    assertThat(run.truth.demand().stream().mapToLong(GroundTruth.DemandCell::flaggedTestLoad).sum())
        .isEqualTo(
            streams.values().stream().filter(l -> l.stream().anyMatch(Event::testLoad)).count())
        .isPositive();
  }

  /**
   * Over three hours, a rarely listed node's snapshot ages past 2 h: its segments are stale in the
   * truth, and no snapshot lists it in between.
   */
  @Test
  void rarelyListedNodes_goStale() {
    SimRun run =
        new SimRun(
            SimRun.peak(3, Duration.ofHours(3)).peakStreamsPerHour(300).perfectDelivery().build());
    Set<String> rare =
        run.truth.orchestrators().stream()
            .filter(GroundTruth.OrchestratorTruth::rarelyListed)
            .map(GroundTruth.OrchestratorTruth::url)
            .collect(Collectors.toSet());
    assertThat(rare).hasSize(5);
    for (Event e : run.accepted) {
      if (e instanceof NetworkCapabilities c
          && e.envelope().timestampMs() > SimRun.PEAK_START_MS + 60_000) {
        assertThat(c.orchestrators()).noneMatch(o -> rare.contains(o.orchUri()));
      }
    }
    Map<String, Long> resolutions = new HashMap<>();
    run.truth
        .nodePipelines()
        .forEach(n -> n.gpuResolution().forEach((k, v) -> resolutions.merge(k, v, Long::sum)));
    assertThat(resolutions.keySet()).contains("reported", "capabilities", "ambiguous", "stale");
    assertThat(
            run.truth.nodePipelines().stream().filter(n -> n.gpuResolution().containsKey("stale")))
        .allMatch(n -> rare.contains(n.url()));
  }
}
