package dev.naap.events;

import static dev.naap.events.TestMessages.accept;
import static dev.naap.events.TestMessages.envelope;
import static dev.naap.events.TestMessages.reject;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Quirks of discovery_results and network_capabilities. */
class NetworkFamiliesTest {

  @Test
  void discovery_lowerCasesAddressesAndReadsTheLatencyString() {
    String data = "[{\"address\":\"0xAA\",\"url\":\"https://a\",\"latency_ms\":\"77\"},"
        + "{\"address\":\"0xBb\",\"url\":\"https://b\",\"latency_ms\":\"\"}]";
    DiscoveryResults d = accept(envelope(DiscoveryResults.FAMILY, data), DiscoveryResults.class);
    assertThat(d.orchestrators())
        .containsExactly(
            new DiscoveryResults.Orchestrator("0xaa", "https://a", 77L),
            new DiscoveryResults.Orchestrator("0xbb", "https://b", null));
    assertThat(d.orchestratorAddress()).isEmpty(); // two orchestrators: no single one
    assertThat(d.streamId()).isEmpty();
  }

  @Test
  void discovery_acceptsAnEmptyArray() {
    DiscoveryResults d = accept(envelope(DiscoveryResults.FAMILY, "[]"), DiscoveryResults.class);
    assertThat(d.orchestrators()).isEmpty();
  }

  @Test
  void discovery_rejectsALatencySentAsANumber() {
    assertThat(reject(envelope(DiscoveryResults.FAMILY, "[{\"latency_ms\":77}]")).detail())
        .isEqualTo("data[0].latency_ms: expected string, got integer");
  }

  @Test
  void discovery_rejectsALatencyStringThatIsNotAnInteger() {
    ParseResult.Rejected r =
        reject(envelope(DiscoveryResults.FAMILY, "[{\"latency_ms\":\"77ms\"}]"));
    assertThat(r).isEqualTo(new ParseResult.Rejected(
        RejectReason.INVALID_VALUE, "data[0].latency_ms: \"77ms\" is not a decimal"));
    assertThat(reject(envelope(DiscoveryResults.FAMILY, "[{\"latency_ms\":\"-1\"}]")).reason())
        .isEqualTo(RejectReason.INVALID_VALUE);
  }

  @Test
  void capabilities_readsOmitemptyFieldsAsZeroAndNullListsAsEmpty() {
    String data = "[{\"address\":\"0xA\",\"capabilities\":{},\"capabilities_prices\":null,"
        + "\"hardware\":null}]";
    NetworkCapabilities c = accept(envelope(NetworkCapabilities.FAMILY, data),
        NetworkCapabilities.class);
    NetworkCapabilities.OrchestratorCapabilities o = c.orchestrators().getFirst();
    assertThat(o.localAddress()).isEmpty();
    assertThat(o.priceInfo()).isNull();
    assertThat(o.capabilitiesPrices()).isEmpty();
    assertThat(o.hardware()).isEmpty();
    assertThat(o.capabilities())
        .isEqualTo(new NetworkCapabilities.Capabilities(
            java.util.List.of(), java.util.List.of(), Map.of(), "", "", Map.of()));
    assertThat(c.orchestratorAddress()).isEmpty(); // local_address omitted
  }

  @Test
  void capabilities_keepsBitstringWordsAboveTheSignedRange() {
    String data = "[{\"capabilities\":{\"bitstring\":[18446744073709551615,1]}}]";
    NetworkCapabilities c = accept(envelope(NetworkCapabilities.FAMILY, data),
        NetworkCapabilities.class);
    long word = c.orchestrators().getFirst().capabilities().bitstring().getFirst();
    assertThat(Long.toUnsignedString(word)).isEqualTo("18446744073709551615");
  }

  @Test
  void capabilities_rejectsABitstringWordBeyond64Bits() {
    String data = "[{\"capabilities\":{\"bitstring\":[18446744073709551616]}}]";
    assertThat(reject(envelope(NetworkCapabilities.FAMILY, data)).detail())
        .isEqualTo("data[0].capabilities.bitstring[0]: outside the unsigned 64-bit range");
  }

  @Test
  void capabilities_readsNegativeCapabilityIdsAndRejectsNonNumericOnes() {
    String ok = "[{\"capabilities\":{\"capacities\":{\"-1\":1,\"35\":2}}}]";
    NetworkCapabilities c = accept(envelope(NetworkCapabilities.FAMILY, ok),
        NetworkCapabilities.class);
    assertThat(c.orchestrators().getFirst().capabilities().capacities())
        .containsExactlyInAnyOrderEntriesOf(Map.of(-1, 1L, 35, 2L));
    String bad = "[{\"capabilities\":{\"capacities\":{\"live\":1}}}]";
    assertThat(reject(envelope(NetworkCapabilities.FAMILY, bad)).detail())
        .isEqualTo("data[0].capabilities.capacities: key \"live\" is not a capability id");
  }

  @Test
  void capabilities_readsIdleCapacityAndCapacityInUsePerModel() {
    String data = "[{\"capabilities\":{\"constraints\":{\"minVersion\":\"0.8.8\",\"PerCapability\":"
        + "{\"35\":{\"models\":{\"streamdiffusion-sdxl\":{\"warm\":true,\"capacity\":2,"
        + "\"capacityInUse\":1,\"runnerVersion\":\"0.14.0\"},\"noop\":{}}}}}}}]";
    NetworkCapabilities c = accept(envelope(NetworkCapabilities.FAMILY, data),
        NetworkCapabilities.class);
    NetworkCapabilities.Capabilities caps = c.orchestrators().getFirst().capabilities();
    assertThat(caps.minVersion()).isEqualTo("0.8.8");
    assertThat(caps.perCapability().get(35))
        .containsExactlyInAnyOrderEntriesOf(Map.of(
            "streamdiffusion-sdxl", new NetworkCapabilities.ModelConstraint(true, 2, 1, "0.14.0"),
            "noop", new NetworkCapabilities.ModelConstraint(false, 0, 0, "")));
  }

  @Test
  void capabilities_readsTheDefaultPriceAndGpuMemoryBytes() {
    String data = "[{\"local_address\":\"0xSIGNER\",\"orch_uri\":\"https://o\","
        + "\"price_info\":{\"pricePerUnit\":1250000000000,\"pixelsPerUnit\":7843103233},"
        + "\"hardware\":[{\"pipeline\":\"text-to-image\",\"model_id\":\"m\",\"gpu_info\":{"
        + "\"1\":{\"id\":\"GPU-x\",\"name\":\"NVIDIA A40\",\"major\":8,\"minor\":6,"
        + "\"memory_free\":47000000000,\"memory_total\":48305799168}}}]}]";
    NetworkCapabilities c = accept(envelope(NetworkCapabilities.FAMILY, data),
        NetworkCapabilities.class);
    NetworkCapabilities.OrchestratorCapabilities o = c.orchestrators().getFirst();
    assertThat(o.priceInfo())
        .isEqualTo(new NetworkCapabilities.PriceInfo(1_250_000_000_000L, 7_843_103_233L, 0, ""));
    assertThat(o.hardware().getFirst().gpus())
        .containsExactly(new NetworkCapabilities.GpuInfo(
            "1", "GPU-x", "NVIDIA A40", 8, 6, 47_000_000_000L, 48_305_799_168L));
    assertThat(c.orchestratorAddress()).isEqualTo("0xsigner");
    assertThat(c.orchestratorUrl()).isEqualTo("https://o");
  }

  @Test
  void capabilities_skipsNullMapMembersLikeAbsentOnes() {
    String data = "[{\"capabilities\":{\"constraints\":{\"PerCapability\":{\"35\":null}}},"
        + "\"hardware\":[{\"pipeline\":\"llm\",\"gpu_info\":{\"0\":null}}]}]";
    NetworkCapabilities c = accept(envelope(NetworkCapabilities.FAMILY, data),
        NetworkCapabilities.class);
    NetworkCapabilities.OrchestratorCapabilities o = c.orchestrators().getFirst();
    assertThat(o.capabilities().perCapability()).isEmpty();
    assertThat(o.hardware().getFirst().gpus()).isEmpty();
  }

  @Test
  void capabilities_rejectsGpuMemorySentAsAString() {
    String data = "[{\"hardware\":[{\"gpu_info\":{\"0\":{\"memory_total\":\"48 GB\"}}}]}]";
    assertThat(reject(envelope(NetworkCapabilities.FAMILY, data)).detail())
        .isEqualTo("data[0].hardware[0].gpu_info.0.memory_total: expected integer, got string");
  }
}
