package dev.naap.events;

import static dev.naap.events.TestMessages.PARSER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Kafka capture of one StreamDiffusion session (65 envelopes, every live family) and the
 * two real {@code /getNetworkCapabilities} answers. Expected values were read off the files by
 * hand.
 */
class RealCaptureTest {
  private static final String ORCH_SIGNER = "0x52cf2968b3dc6016778742d3539449a6597d5954";
  private static final String ORCH_ON_CHAIN = "0xd00354656922168815fcd1e51cbddb9e359e3c7f";
  private static final String ORCH_URL = "https://rtav-orch2.xodeapp.xyz:28935";
  private static final String STREAM = "stream-o5s73x-mk5zc8fy";
  private static final String MODEL = "streamdiffusion-sdxl-faceid";

  private static List<byte[]> messages;
  private static List<Event> events;

  @BeforeAll
  static void parseCapture() {
    messages = TestMessages.captureMessages();
    events = new ArrayList<>();
    for (byte[] m : messages) {
      if (PARSER.parse(m) instanceof ParseResult.Accepted(Event e)) {
        events.add(e);
      }
    }
  }

  @Test
  void parse_acceptsEveryCaptureMessage() {
    assertThat(messages).hasSize(65);
    assertThat(events).hasSize(65);
    assertThat(events).allMatch(Event::supported);
  }

  @Test
  void parse_yieldsTheCapturesFamilyAndSubtypeCounts() {
    Map<String, Integer> counts = new TreeMap<>();
    for (Event e : events) {
      String key = e.subtype().isEmpty() ? e.family() : e.family() + "/" + e.subtype();
      counts.merge(key, 1, Integer::sum);
    }
    assertThat(counts)
        .containsExactlyInAnyOrderEntriesOf(
            Map.ofEntries(
                Map.entry("stream_ingest_metrics", 34),
                Map.entry("ai_stream_status/status", 17),
                Map.entry("create_new_payment", 6),
                Map.entry("stream_trace/gateway_receive_stream_request", 1),
                Map.entry("stream_trace/gateway_send_first_ingest_segment", 1),
                Map.entry("stream_trace/runner_receive_first_ingest_segment", 1),
                Map.entry("stream_trace/runner_send_first_processed_segment", 1),
                Map.entry("stream_trace/gateway_receive_first_processed_segment", 1),
                Map.entry("stream_trace/gateway_receive_few_processed_segments", 1),
                Map.entry("discovery_results", 1),
                Map.entry("network_capabilities", 1)));
  }

  @Test
  void parse_keepsTheOriginalEnvelopeTextAndEnvelopeFields() {
    Event first = events.getFirst();
    assertThat(first.envelope().json())
        .isEqualTo(new String(messages.getFirst(), StandardCharsets.UTF_8));
    assertThat(first.id()).isEqualTo("59485235-8460-472f-a894-3b84f37ee9bb");
    assertThat(first.envelope().timestampMs()).isEqualTo(1_767_908_945_298L);
    assertThat(first.envelope().gateway()).isEmpty();
  }

  @Test
  void streamTrace_timelineUsesDataTimestampsIncludingTheRunnerClock() {
    Map<String, Long> times = new TreeMap<>();
    for (Event e : events) {
      if (e instanceof StreamTrace t) {
        times.put(t.subtype(), t.eventTimeMs());
        assertThat(t.streamId()).isEqualTo(STREAM);
        assertThat(t.requestId()).isEqualTo("db936fab");
        assertThat(t.pipelineId()).isEmpty();
      }
    }
    assertThat(times)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "gateway_receive_stream_request", 1_767_908_945_298L,
                "gateway_send_first_ingest_segment", 1_767_908_947_583L,
                "runner_receive_first_ingest_segment", 1_767_908_947_585L,
                "runner_send_first_processed_segment", 1_767_908_947_688L,
                "gateway_receive_first_processed_segment", 1_767_908_947_953L,
                "gateway_receive_few_processed_segments", 1_767_908_952_042L));
    StreamTrace runner = trace("runner_receive_first_ingest_segment");
    // runner clock (data) is 2 ms after the gateway's enqueue time (envelope)
    assertThat(runner.envelope().timestampMs()).isEqualTo(1_767_908_947_583L);
    assertThat(runner.orchestratorAddress()).isEqualTo(ORCH_SIGNER);
    assertThat(trace("gateway_receive_stream_request").orchestratorAddress()).isEmpty();
  }

  @Test
  void aiStreamStatus_firstSampleMatchesTheReferenceExample() {
    AiStreamStatus s = (AiStreamStatus) events.get(10);
    assertThat(s.id()).isEqualTo("f0f0e510-9cda-4879-8546-6adbc080fb6e");
    assertThat(s.subtype()).isEqualTo("status");
    assertThat(s.state()).isEqualTo("ONLINE");
    assertThat(s.inferenceStatus().fps()).isCloseTo(17.30, within(0.005));
    assertThat(s.inputStatus().fps()).isCloseTo(20.48, within(0.005));
    assertThat(s.inputStatus().lastInputTimeMs()).isEqualTo(1_767_908_955_516L);
    assertThat(s.orchestratorAddress()).isEqualTo(ORCH_SIGNER);
    assertThat(s.orchestratorUrl()).isEqualTo(ORCH_URL);
    assertThat(s.eventTimeMs()).isEqualTo(1_767_908_955_609L); // data.timestamp
    assertThat(s.envelope().timestampMs()).isEqualTo(1_767_908_955_607L);
    assertThat(s.startTimeMs()).isEqualTo(1_767_908_945_607L);
    assertThat(s.lastStateUpdateTimeMs()).isEqualTo(1_767_908_953_470L);
    assertThat(s.pipeline()).isEqualTo(MODEL);
    assertThat(s.streamId()).isEqualTo(STREAM);
    AiStreamStatus.InferenceStatus inf = s.inferenceStatus();
    assertThat(inf.lastOutputTimeMs()).isEqualTo(1_767_908_955_534L);
    assertThat(inf.lastParamsJson()).isEqualTo("{\"height\":512,\"width\":512}");
    assertThat(inf.lastParamsHash()).isEqualTo("f2f41bce75e30de92f8c308a6722859b");
    assertThat(inf.lastError()).isEmpty();
    assertThat(inf.lastErrorTimeMs()).isNull();
    assertThat(inf.lastRestartTimeMs()).isNull();
    assertThat(inf.lastRestartLogs()).isEmpty();
    assertThat(inf.restartCount()).isZero();
    assertThat(s.gpuId()).isEmpty();
    assertThat(s.testLoad()).isFalse();
  }

  @Test
  void streamIngestMetrics_readsGoFieldNamesAndUnits() {
    StreamIngestMetrics m = (StreamIngestMetrics) events.get(7);
    assertThat(m.eventTimeMs()).isEqualTo(1_767_908_950_608L);
    StreamIngestMetrics.PeerConnStats peer = m.stats().peerConnStats();
    assertThat(peer.id()).isEqualTo("iceTransport");
    assertThat(peer.bytesReceived()).isEqualTo(477_890L);
    assertThat(peer.bytesSent()).isEqualTo(4_013L);
    assertThat(m.stats().connQuality()).isEqualTo("good");
    assertThat(m.stats().trackStats()).hasSize(2);
    StreamIngestMetrics.TrackStats video = m.stats().trackStats().getFirst();
    assertThat(video.type()).isEqualTo("video");
    assertThat(video.jitterMs()).isCloseTo(10.1268, within(0.0001));
    assertThat(video.packetsReceived()).isEqualTo(413);
    assertThat(video.rttNanos()).isZero();
    assertThat(video.lastInputTsSeconds()).isEqualTo(4.892);
    assertThat(video.warnings()).isEmpty();
    assertThat(m.stats().trackStats().get(1).type()).isEqualTo("audio");
  }

  @Test
  void discoveryResults_parsesTheStringLatency() {
    DiscoveryResults d = (DiscoveryResults) events.get(1);
    assertThat(d.orchestrators())
        .containsExactly(new DiscoveryResults.Orchestrator(ORCH_SIGNER, ORCH_URL, 77L));
    assertThat(d.orchestratorAddress()).isEqualTo(ORCH_SIGNER);
    assertThat(d.eventTimeMs()).isEqualTo(1_767_908_945_559L);
  }

  @Test
  void createNewPayment_parsesUnitSuffixedAmounts() {
    CreateNewPayment p = (CreateNewPayment) events.get(2);
    assertThat(p.faceValueWei()).isEqualTo(new BigInteger("2402400000000000"));
    assertThat(p.priceWeiPerPixel()).isEqualByComparingTo(new BigDecimal("1635.021"));
    assertThat(p.winProb()).isEqualByComparingTo(new BigDecimal("0.0009990010"));
    assertThat(p.numTickets()).isEqualTo(2);
    assertThat(p.recipient()).isEqualTo(ORCH_ON_CHAIN);
    assertThat(p.sender()).isEqualTo("0x5ae4e42db3671370a0c25aff451e7482aaec3d0b");
    assertThat(p.requestId()).isEqualTo("db936fab");
    assertThat(p.manifestId()).isEqualTo("35_" + MODEL);
    assertThat(p.pipeline()).isEqualTo(MODEL);
    assertThat(p.orchestratorUrl()).isEqualTo(ORCH_URL);
    assertThat(p.orchestratorAddress()).isEmpty();
    assertThat(p.sessionId()).isEqualTo("01b55632");

    CreateNewPayment later = (CreateNewPayment) events.get(8);
    assertThat(later.manifestId()).isEqualTo("d05da5dd");
    assertThat(later.pipeline()).isEmpty();
    assertThat(later.requestId()).isEmpty();
    assertThat(later.numTickets()).isEqualTo(1);
  }

  @Test
  void networkCapabilities_readsGpuPricesAndModelConstraints() {
    NetworkCapabilities caps = (NetworkCapabilities) events.get(33);
    assertThat(caps.orchestrators()).hasSize(1);
    NetworkCapabilities.OrchestratorCapabilities o = caps.orchestrators().getFirst();
    assertThat(o.address()).isEqualTo(ORCH_ON_CHAIN);
    assertThat(o.localAddress()).isEqualTo(ORCH_SIGNER);
    assertThat(caps.orchestratorAddress()).isEqualTo(ORCH_SIGNER);
    assertThat(caps.orchestratorUrl()).isEqualTo(ORCH_URL);
    assertThat(o.priceInfo()).isNull();
    assertThat(o.capabilitiesPrices())
        .containsExactly(new NetworkCapabilities.PriceInfo(1618, 1, 35, MODEL));

    NetworkCapabilities.Capabilities c = o.capabilities();
    assertThat(c.bitstring()).containsExactly(34_426_871_807L);
    assertThat(c.version()).isEqualTo("0.8.8-3a5678ec-dirty");
    assertThat(c.capacities()).hasSize(16).containsEntry(35, 1L).containsEntry(0, 1L);
    assertThat(c.perCapability().get(35))
        .containsExactly(
            Map.entry(MODEL, new NetworkCapabilities.ModelConstraint(true, 0, 1, "0.14.0")));

    assertThat(o.hardware()).hasSize(1);
    NetworkCapabilities.Hardware hw = o.hardware().getFirst();
    assertThat(hw.pipeline()).isEqualTo("live-video-to-video");
    assertThat(hw.modelId()).isEqualTo(MODEL);
    assertThat(hw.gpus())
        .containsExactly(
            new NetworkCapabilities.GpuInfo(
                "0",
                "GPU-a8d13655-197b-2226-d09f-b4b81e07504b",
                "NVIDIA GeForce RTX 5090",
                12,
                0, // minor omitted (Go omitempty): reads 0
                33_595_981_824L,
                34_190_917_632L));
  }

  @Test
  void networkCapabilities_parsesTheLiveGetNetworkCapabilitiesAnswer() {
    NetworkCapabilities caps =
        TestMessages.accept(
            TestMessages.capabilitiesEnvelope("getNetworkCapabilities-live.json"),
            NetworkCapabilities.class);
    assertThat(caps.orchestrators()).hasSize(53);
    assertThat(caps.orchestratorAddress()).isEmpty(); // many orchestrators: no single one
    NetworkCapabilities.OrchestratorCapabilities first = caps.orchestrators().getFirst();
    assertThat(first.address()).isEqualTo("0x2cc8aec211fdc372c0f7e4d1add1675733381328");
    assertThat(first.orchUri()).isEqualTo("https://livebit.ca:8935");
    assertThat(first.capabilitiesPrices()).isEmpty(); // null in the file
    assertThat(first.hardware()).isEmpty(); // null in the file
    assertThat(first.capabilities().minVersion()).isEqualTo("0.8.8");
    assertThat(caps.orchestrators())
        .allSatisfy(o -> assertThat(o.address()).isEqualTo(o.address().toLowerCase()));
    assertThat(caps.orchestrators().stream().filter(o -> o.capabilitiesPrices().isEmpty()))
        .hasSize(37);
    assertThat(gpuCount(caps)).isEqualTo(19);
  }

  @Test
  void networkCapabilities_parsesTheBatchAndByocGetNetworkCapabilitiesAnswer() {
    NetworkCapabilities caps =
        TestMessages.accept(
            TestMessages.capabilitiesEnvelope("getNetworkCapabilities-batch-byoc.json"),
            NetworkCapabilities.class);
    assertThat(caps.orchestrators()).hasSize(40);
    List<NetworkCapabilities.Hardware> llmWithoutGpuInfo =
        caps.orchestrators().stream()
            .flatMap(o -> o.hardware().stream())
            .filter(h -> h.pipeline().equals("llm") && h.gpus().isEmpty())
            .toList();
    assertThat(llmWithoutGpuInfo).hasSize(3); // gpu_info omitted on these entries
    assertThat(gpuCount(caps)).isEqualTo(42);
    assertThat(caps.orchestrators().stream().map(o -> o.capabilities().mandatories()))
        .contains(List.of(4096L));
    assertThat(caps.orchestrators().stream().map(o -> o.priceInfo()))
        .contains(new NetworkCapabilities.PriceInfo(0, 1, 0, "")); // pricePerUnit omitted
  }

  private static long gpuCount(NetworkCapabilities caps) {
    return caps.orchestrators().stream()
        .flatMap(o -> o.hardware().stream())
        .mapToLong(h -> h.gpus().size())
        .sum();
  }

  private static StreamTrace trace(String subtype) {
    return events.stream()
        .filter(e -> e instanceof StreamTrace t && t.subtype().equals(subtype))
        .map(StreamTrace.class::cast)
        .findFirst()
        .orElseThrow();
  }
}
