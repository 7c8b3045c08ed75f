package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.events.EventParser;
import dev.naap.ingest.BatchResult;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.FileImport;
import dev.naap.ingest.IngestMetrics;
import dev.naap.metrics.Refresher;
import dev.naap.metrics.TestLoadRules;
import dev.naap.sim.FileSink;
import dev.naap.sim.GroundTruth;
import dev.naap.sim.Pacer;
import dev.naap.sim.SimConfig;
import dev.naap.sim.Simulator;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline against the simulator's ground truth: simulated network → events file →
 * import (validation, tables) → sessions → rollups. What NaaP measures must be what happened.
 */
class SimulatedNetworkTest {

  @TempDir Path dir;

  @Test
  void rollups_matchTheSimulatorsGroundTruth() {
    // Three hours of the default network over the evening peak (-Dnaap.sim.hours=N: N hours), no
    // events lost, but some repeated and some late; long enough for a rarely listed node's
    // capability snapshot to go stale.
    SimConfig.Builder builder =
        SimConfig.builder()
            .seed(Long.getLong("naap.sim.seed", 7)) // -Dnaap.sim.seed=N: another network
            .startMs(Instant.parse("2026-03-02T17:00:00Z").toEpochMilli())
            .duration(Duration.ofHours(Long.getLong("naap.sim.hours", 3)))
            .perfectDelivery()
            .duplicateRate(0.01)
            .lateRate(0.01);
    // -Dnaap.sim.orchestrators=N -Dnaap.sim.gpus=N -Dnaap.sim.streams=N: another size than the
    // simulator's default network
    ifSet("naap.sim.orchestrators", builder::orchestrators);
    ifSet("naap.sim.gpus", builder::gpus);
    ifSet("naap.sim.streams", builder::peakStreamsPerHour);
    SimConfig config = builder.build();
    Path events = dir.resolve("events.ndjson");
    GroundTruth truth;
    try (FileSink sink = new FileSink(events)) {
      truth = new Simulator(config).run(sink, Pacer.none());
    }
    Store store = TestEngine.uniqueStore("simulated");
    // The operator's default rules: the scheduled tester's streams are test load.
    TestLoadRules.KNOWN_TESTER.save(store, Clock.systemUTC());
    BatchResult imported =
        new FileImport(
                new EventWriter(
                    store,
                    new EventParser(),
                    EventWriter.DuplicateCheck.STORE,
                    IngestMetrics.unregistered(),
                    Clock.systemUTC()),
                5_000)
            .importFile(events);
    new Refresher(store, Clock.systemUTC()).refreshUpTo(Instant.now());

    assertThat(imported.rejected()).as("the simulator emits only valid events here").isZero();
    assertThat(imported.duplicates()).as("repeated events are recognised").isPositive();

    if (System.getProperty("naap.sim.orchestrators") == null) { // a small network may have none
      assertThat(truth.nodePipelines()).as("segments on stale snapshots")
          .anyMatch(n -> n.gpuResolution().containsKey("stale"));
    }
    GroundTruthCheck.assertRollupsMatch(store, truth);
  }

  private static void ifSet(String property, IntConsumer set) {
    Integer value = Integer.getInteger(property);
    if (value != null) {
      set.accept(value);
    }
  }
}
