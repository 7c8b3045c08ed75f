package dev.naap.loadtest;

import dev.naap.sim.GatewayServer;
import dev.naap.sim.GroundTruth;
import dev.naap.sim.Pacer;
import dev.naap.sim.SimConfig;
import dev.naap.sim.Simulator;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A live simulated network paced {@code speed} times faster than real time, with the gateway that
 * forwards {@code is_test_load} (index 2) serving HTTP on loopback. No background demand (nor the
 * scheduled tester's streams), no dark orchestrator, no trickle loss (a swap back to the same
 * orchestrator) and perfect delivery, so the load tester's streams are the only traffic and fail
 * only as their orchestrator draws.
 */
final class SimulatedGateway implements AutoCloseable {
  final Simulator sim;
  final GatewayServer server;
  final List<byte[]> messages = Collections.synchronizedList(new ArrayList<>());
  final double speed;
  private final Thread runner;
  private volatile GroundTruth truth;

  SimulatedGateway(long seed, int orchestrators, int gpus, double speed) {
    this.speed = speed;
    long now = System.currentTimeMillis();
    sim = new Simulator(SimConfig.builder().seed(seed).startMs(now).duration(Duration.ofHours(6))
        .orchestrators(orchestrators).gpus(gpus).peakStreamsPerHour(0).darkOrchestrator(false)
        .trickleLossRate(0).scheduledTester(false).perfectDelivery().build());
    runner = Thread.ofPlatform().name("sim-" + seed).daemon().start(
        () -> truth = sim.run((k, v) -> messages.add(v), Pacer.realTime(speed, now)));
    server = GatewayServer.start(sim, 2, 0);
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  /** Stops the simulation and returns its ground truth. */
  GroundTruth stop() throws InterruptedException {
    close();
    return truth;
  }

  @Override
  public void close() throws InterruptedException {
    server.close();
    sim.stop();
    runner.join(10_000);
  }
}
