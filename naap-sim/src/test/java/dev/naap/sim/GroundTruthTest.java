package dev.naap.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.naap.events.AiStreamEvent;
import dev.naap.events.AiStreamStatus;
import dev.naap.events.CreateNewPayment;
import dev.naap.events.CreateSignedTicket;
import dev.naap.events.Event;
import dev.naap.events.NetworkCapabilities;
import dev.naap.events.StreamTrace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ground truth agrees with the events emitted. */
class GroundTruthTest {

  private static Set<String> streamsWith(SimRun run, String subtype) {
    return run.accepted.stream()
        .filter(e -> e instanceof StreamTrace t && t.subtype().equals(subtype))
        .map(Event::streamId)
        .collect(Collectors.toSet());
  }

  private static long sum(SimRun run, java.util.function.ToLongFunction<GroundTruth.DemandCell> f) {
    return run.truth.demand().stream().mapToLong(f).sum();
  }

  @Test
  void requestedSessions_perGateway_equalTheRequestTraces() {
    SimRun run = SimRun.perfect();
    Map<String, Long> traces =
        run.accepted.stream()
            .filter(
                e ->
                    e instanceof StreamTrace t
                        && t.subtype().equals("gateway_receive_stream_request"))
            .collect(Collectors.groupingBy(e -> e.envelope().gateway(), Collectors.counting()));
    assertThat(traces).hasSize(6);
    traces.forEach((gw, n) -> assertThat(run.truth.requested(gw)).as(gw).isEqualTo(n));
  }

  @Test
  void startedNoOrchestratorAndSwapped_equalTheStreamsWithThoseTraces() {
    SimRun run = SimRun.perfect();
    assertThat(sum(run, GroundTruth.DemandCell::started))
        .isEqualTo(streamsWith(run, "gateway_receive_few_processed_segments").size());
    // Either form: the trace, or (on the gateways that time out) only the 2 s timeout error.
    Set<String> noOrchestrator =
        new HashSet<>(streamsWith(run, "gateway_no_orchestrators_available"));
    noOrchestrator.addAll(
        run.accepted.stream()
            .filter(
                e ->
                    e instanceof AiStreamEvent.GatewayError g
                        && g.message().equals("no orchestrators available within 2s timeout"))
            .map(Event::streamId)
            .toList());
    assertThat(sum(run, GroundTruth.DemandCell::noOrchestrator))
        .isPositive()
        .isEqualTo(noOrchestrator.size());
    assertThat(sum(run, GroundTruth.DemandCell::swapped)).isPositive()
        .isEqualTo(streamsWith(run, "orchestrator_swap").size());
    assertThat(sum(run, GroundTruth.DemandCell::requested) - sum(run, GroundTruth.DemandCell::open))
        .isEqualTo(streamsWith(run, "gateway_ingest_stream_closed").size());
  }

  /**
   * Every orchestrator session pays on its start; the truth counts those that also emitted an event
   * naming the orchestrator (the end-to-end tests check that count against the segments exactly).
   */
  @Test
  void orchestratorSessions_areAtMostTheFirstPaymentsPerNode() {
    SimRun run = SimRun.perfect();
    Map<String, Long> firstPayments = firstPaymentsPerNode(run);
    for (GroundTruth.OrchestratorTruth o : run.truth.orchestrators()) {
      assertThat(o.sessions()).isLessThanOrEqualTo(firstPayments.getOrDefault(o.url(), 0L));
    }
  }

  @Test
  void gpuMeanFps_matchesTheStatusEvents_perOrchestratorAndPipeline() {
    SimRun run = SimRun.perfect();
    Map<String, double[]> measured = new HashMap<>();
    for (Event e : run.accepted) {
      if (e instanceof AiStreamStatus s && s.inferenceStatus().fps() > 0) {
        double[] a =
            measured.computeIfAbsent(
                s.orchestratorInfo().address() + "|" + s.pipeline(), k -> new double[2]);
        a[0] += s.inferenceStatus().fps();
        a[1]++;
      }
    }
    Map<String, double[]> truth = new HashMap<>();
    for (GroundTruth.GpuTruth g : run.truth.gpus()) {
      double[] a = truth.computeIfAbsent(g.orchestrator() + "|" + g.pipeline(), k -> new double[2]);
      a[0] += g.meanOutputFps() * g.statusSamples();
      a[1] += g.statusSamples();
      assertThat(g.meanOutputFps()).isLessThanOrEqualTo(g.capabilityFps() * 1.2);
    }
    assertThat(measured).isNotEmpty();
    measured.forEach((k, m) -> {
      assertThat(truth.get(k)[1]).as(k).isEqualTo(m[1]);
      assertThat(truth.get(k)[0] / truth.get(k)[1]).as(k).isCloseTo(m[0] / m[1], within(1e-6));
    });
  }

  @Test
  void realisedFailures_matchTheTrueProbabilities_within4Sigma() {
    GroundTruth t = SimRun.perfect().truth;
    double expected = 0, variance = 0;
    long failed = 0, sessions = 0;
    for (GroundTruth.OrchestratorTruth o : t.orchestrators()) {
      expected += o.sessions() * o.failureProbability();
      variance += o.sessions() * o.failureProbability() * (1 - o.failureProbability());
      failed += o.failedSessions();
      sessions += o.sessions();
    }
    assertThat(sessions).isGreaterThan(500);
    assertThat((double) failed).isCloseTo(expected, within(4 * Math.sqrt(variance)));
  }

  @Test
  void failedSessions_neverProduceOutput() {
    SimRun run = SimRun.perfect();
    Map<String, Long> firstPayments = firstPaymentsPerNode(run);
    Map<String, Long> outputs =
        run.accepted.stream()
            .filter(
                e ->
                    e instanceof StreamTrace tr
                        && tr.subtype().equals("runner_send_first_processed_segment"))
            .collect(Collectors.groupingBy(Event::orchestratorUrl, Collectors.counting()));
    for (GroundTruth.OrchestratorTruth o : run.truth.orchestrators()) {
      long withoutOutput =
          firstPayments.getOrDefault(o.url(), 0L) - outputs.getOrDefault(o.url(), 0L);
      assertThat(withoutOutput).as(o.url()).isGreaterThanOrEqualTo(o.failedSessions());
    }
  }

  @Test
  void gpuModels_andRegions_coverTheDefaultNetwork() {
    GroundTruth t = SimRun.perfect().truth;
    assertThat(t.orchestrators()).hasSize(40);
    assertThat(t.gpus()).hasSize(80);
    assertThat(t.gpus().stream().map(GroundTruth.GpuTruth::model).distinct())
        .hasSizeGreaterThanOrEqualTo(6);
    assertThat(t.gpus().stream().map(GroundTruth.GpuTruth::pipeline).distinct()).hasSize(4);
    assertThat(t.orchestrators().stream().map(GroundTruth.OrchestratorTruth::region).distinct())
        .hasSize(8);
  }

  @Test
  void darkOrchestrator_disappears_fromStatusAndCapabilities() {
    SimRun run = SimRun.perfect();
    GroundTruth.OrchestratorTruth dark = run.truth.orchestrators().stream()
        .filter(o -> o.darkFromMs() > 0).findFirst().orElseThrow();
    assertThat(run.accepted)
        .anyMatch(
            e ->
                e instanceof StreamTrace t
                    && t.subtype().equals("orchestrator_swap")
                    && t.message().startsWith("trickle subscribe error")
                    && t.orchestratorInfo().url().equals(dark.url()));
    for (Event e : run.accepted) {
      long t = e.envelope().timestampMs();
      if (t < dark.darkFromMs() + 32_000 || t >= dark.darkToMs()) {
        continue;
      }
      if (e instanceof AiStreamStatus s) {
        assertThat(s.orchestratorInfo().url()).isNotEqualTo(dark.url());
      } else if (e instanceof NetworkCapabilities c) {
        assertThat(c.orchestrators()).noneMatch(o -> o.orchUri().equals(dark.url()));
      }
    }
  }

  /**
   * Each gateway's session time, recomputed from the events as METRICS.md defines it ("Network
   * demand"): first to last event of the session's families, but a closed session ends before the
   * gateway errors (no orchestrator) stamped after its close. Those stray errors exist, so the
   * definition before (first to last event) gives more. Also with a fifth of the events lost (a
   * session whose close was lost keeps its stray errors: nothing tells them apart), repeated and
   * late.
   */
  @Test
  void sessionTimes_equalTheEventsTimeWithoutTheErrorsAfterTheClose() {
    assertSessionTimes(SimRun.perfect());
    SimRun lossy = new SimRun(SimRun.peak(3, Duration.ofMinutes(30)).lossRate(0.2)
        .duplicateRate(0.01).lateRate(0.01).build());
    Set<String> closed = lossy.accepted.stream()
        .filter(e -> e.subtype().equals("gateway_ingest_stream_closed"))
        .map(GroundTruthTest::session).collect(Collectors.toSet());
    assertThat(lossy.accepted).as("stray errors of a session whose close was lost")
        .anyMatch(e -> e instanceof AiStreamEvent a && a.subtype().equals("error")
            && a.orchestratorAddress().isEmpty() && !closed.contains(session(e))
            && isStray(a));
    assertSessionTimes(lossy);
  }

  private static boolean isStray(AiStreamEvent e) {
    return e instanceof AiStreamEvent.GatewayError g
        && (g.message().startsWith("Error publishing, wrote")
            || g.message().startsWith("trickle subscribe error reading"));
  }

  private static void assertSessionTimes(SimRun run) {
    Set<String> families =
        Set.of("stream_trace", "ai_stream_status", "ai_stream_events", "stream_ingest_metrics");
    Map<String, Long> closes = new HashMap<>();
    for (Event e : run.accepted) {
      if (e instanceof StreamTrace t && t.subtype().equals("gateway_ingest_stream_closed")) {
        closes.merge(session(e), e.eventTimeMs(), Math::max);
      }
    }
    // Per session: gateway, first, last, last but for the errors after the close.
    Map<String, long[]> times = new HashMap<>();
    Map<String, String> gateways = new HashMap<>();
    for (Event e : run.accepted) {
      if (!families.contains(e.family()) || e.streamId().isEmpty()) {
        continue;
      }
      long t = e.eventTimeMs();
      long[] s = times.computeIfAbsent(session(e),
          k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE});
      gateways.put(session(e), e.envelope().gateway());
      s[0] = Math.min(s[0], t);
      s[1] = Math.max(s[1], t);
      Long close = closes.get(session(e));
      boolean stray = e instanceof AiStreamEvent a && a.subtype().equals("error")
          && a.orchestratorAddress().isEmpty() && close != null && t > close;
      if (!stray) {
        s[2] = Math.max(s[2], t);
      }
    }
    Map<String, Long> expected = new HashMap<>();
    Map<String, Long> before = new HashMap<>();
    Map<String, Long> concurrent = new HashMap<>();
    long shortened = 0;
    for (var e : times.entrySet()) {
      long[] s = e.getValue();
      String gw = gateways.get(e.getKey());
      expected.merge(gw, s[2] - s[0], Long::sum);
      before.merge(gw, s[1] - s[0], Long::sum);
      shortened += s[2] < s[1] ? 1 : 0;
      for (long m = Math.floorDiv(s[0], 60_000L) * 60_000L; m <= s[2]; m += 60_000L) {
        concurrent.merge(gw + " " + m, 1L, Long::sum);
      }
    }
    Map<String, Long> truthMs = new HashMap<>();
    Map<String, Long> truthConcurrent = new HashMap<>();
    for (GroundTruth.SessionTime t : run.truth.sessionTimes()) {
      truthMs.put(t.gateway(), t.streamMs());
      t.concurrentByMinute().forEach((m, n) -> truthConcurrent.put(t.gateway() + " " + m, n));
    }
    assertThat(truthMs).hasSize(6).isEqualTo(expected);
    assertThat(truthConcurrent).isEqualTo(concurrent);
    assertThat(shortened).as("sessions with stray errors after their close").isPositive();
    assertThat(before.values().stream().mapToLong(Long::longValue).sum())
        .isGreaterThan(expected.values().stream().mapToLong(Long::longValue).sum());
  }

  private static String session(Event e) {
    return e.streamId() + "|" + e.requestId();
  }

  @Test
  void deliveryCounts_explainEveryMessage() {
    SimRun run = SimRun.quirky();
    long generated = 0, lost = 0, duplicated = 0;
    for (var e : run.truth.delivery().entrySet()) {
      if (!e.getKey().contains("/")) {
        generated += e.getValue().generated();
        lost += e.getValue().lost();
        duplicated += e.getValue().duplicated();
      }
    }
    assertThat(lost).isPositive();
    assertThat(duplicated).isPositive();
    assertThat(run.accepted).hasSize((int) (generated - lost + duplicated));
    Set<String> ids = new HashSet<>();
    run.accepted.forEach(e -> ids.add(e.id()));
    assertThat(ids).hasSize((int) (generated - lost));
  }

  @Test
  void lateEvents_arriveAfterLaterEvents() {
    SimRun run = SimRun.quirky();
    long maxSeen = 0;
    int late = 0;
    for (Event e : run.accepted) {
      long t = e.envelope().timestampMs();
      if (t < maxSeen - 25_000) {
        late++;
      }
      maxSeen = Math.max(maxSeen, t);
    }
    assertThat(late).isPositive();
  }

  @Test
  void groundTruth_roundTripsThroughJson(@TempDir Path dir) {
    GroundTruth t = SimRun.quirky().truth;
    Path file = dir.resolve("truth.json");
    t.writeJson(file);
    assertThat(GroundTruth.readJson(file)).isEqualTo(t);
  }

  /**
   * Every orchestrator session's first payment, per node: a create_new_payment naming the model,
   * or, on the gateway that pays through a remote signer, a "new" create_signed_ticket.
   */
  private static Map<String, Long> firstPaymentsPerNode(SimRun run) {
    return run.accepted.stream()
        .filter(e -> e instanceof CreateNewPayment p && p.manifestId().startsWith("35_")
            || e instanceof CreateSignedTicket t && t.sessionStatus().equals("new"))
        .collect(Collectors.groupingBy(Event::orchestratorUrl, Collectors.counting()));
  }
}
