package dev.naap.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.sim.Network.Gpu;
import dev.naap.sim.Network.Orchestrator;
import org.junit.jupiter.api.Test;

/**
 * Issue 22: a stream pinned to an orchestrator (the load tester's) finds a container even when
 * users' streams fill every one the gateway's own selection may use; without test slots it does
 * not, and a pin that matches nothing never does.
 */
class TestSlotsTest {

  @Test
  void pinnedStream_takesATestSlot_whenDemandFillsEveryContainer() {
    Network network = saturated(1);
    Orchestrator target = live(network);
    Network.Gateway gw = network.gateways.getFirst();

    assertThat(
            network
                .select(gw, target.gpus.getFirst().pipeline, gw.region(), 0, null, new Rng(1))
                .gpu())
        .as("the gateway's own selection finds no free container")
        .isNull();
    Gpu pinned =
        network
            .select(
                gw, target.gpus.getFirst().pipeline, gw.region(), 0, null, target.url, new Rng(1))
            .gpu();
    assertThat(pinned).isNotNull();
    assertThat(pinned.orchestrator).isSameAs(target);

    pinned.runners.get(pinned.slots).busy = true; // its one test container now runs a test
    assertThat(
            network.select(gw, pinned.pipeline, gw.region(), 0, null, target.url, new Rng(1)).gpu())
        .as("a GPU's test slot holds one test at a time")
        .satisfiesAnyOf(g -> assertThat(g).isNull(), g -> assertThat(g).isNotSameAs(pinned));
    assertThat(
            network
                .select(
                    gw,
                    pinned.pipeline,
                    gw.region(),
                    0,
                    null,
                    "https://nobody.example:8935",
                    new Rng(1))
                .gpu())
        .isNull();
  }

  @Test
  void withoutTestSlots_testsCompeteWithDemand() {
    Network network = saturated(0);
    Orchestrator target = live(network);
    Network.Gateway gw = network.gateways.getFirst();
    assertThat(
            network
                .select(
                    gw,
                    target.gpus.getFirst().pipeline,
                    gw.region(),
                    0,
                    null,
                    target.url,
                    new Rng(1))
                .gpu())
        .isNull();
  }

  /** The demo's network with every container the gateway may choose busy. */
  private static Network saturated(int testSlots) {
    Network network =
        Network.build(SimConfig.builder().seed(6).testSlots(testSlots).build(), new Rng(6));
    network.orchestrators.forEach(o -> o.gpus.forEach(g -> {
      g.inUse = g.slots;
      g.runners.subList(0, g.slots).forEach(r -> r.busy = true);
    }));
    return network;
  }

  private static Orchestrator live(Network network) {
    return network.orchestrators.stream().filter(o -> !o.dark).findFirst().orElseThrow();
  }
}
