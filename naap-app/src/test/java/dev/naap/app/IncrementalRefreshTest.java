package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.events.EventParser;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refresh as it runs in production, many times while events arrive, against the simulator's
 * truth and against a full recompute: a simulated network's events are ingested in six slices,
 * some out of order (a partition that fell behind), with a refresh after each. Every segment the
 * refreshes stored must be what the events give when recomputed whole, and the rollups must
 * recover the ground truth exactly, as after a single refresh. The scraper then sees the network
 * for the first time, and the next refresh gives every segment its orchestrator's region.
 */
class IncrementalRefreshTest {

  /** The order the slices are ingested in: the second and the last arrive after their successor. */
  private static final List<Integer> SLICE_ORDER = List.of(0, 2, 1, 3, 5, 4);

  @TempDir Path dir;

  @Test
  void refreshesWhileEventsArrive_storeWhatAFullRecomputeGives() throws Exception {
    SimConfig config =
        SimConfig.builder()
            .seed(Long.getLong("naap.sim.seed", 13)) // -Dnaap.sim.seed=N: another network
            .startMs(Instant.parse("2026-03-02T18:00:00Z").toEpochMilli())
            .duration(Duration.ofHours(2))
            .perfectDelivery()
            .duplicateRate(0.01)
            .lateRate(0.01)
            .build();
    Path events = dir.resolve("events.ndjson");
    GroundTruth truth;
    try (FileSink sink = new FileSink(events)) {
      truth = new Simulator(config).run(sink, Pacer.none());
    }
    List<String> lines = Files.readAllLines(events);
    int slices = SLICE_ORDER.size();

    Store store = TestEngine.uniqueStore("incremental_refresh");
    TestLoadRules.KNOWN_TESTER.save(store, Clock.systemUTC());
    FileImport importer =
        new FileImport(
            new EventWriter(
                store,
                new EventParser(),
                EventWriter.DuplicateCheck.STORE,
                IngestMetrics.unregistered(),
                Clock.systemUTC()),
            5_000);
    Refresher refresher = new Refresher(store, Clock.systemUTC());
    for (int slice : SLICE_ORDER) {
      Path part = dir.resolve("slice-" + slice + ".ndjson");
      Files.write(
          part,
          lines.subList(slice * lines.size() / slices, (slice + 1) * lines.size() / slices));
      assertThat(importer.importFile(part).rejected()).isZero();
      refresher.refreshUpTo(Instant.now());
    }

    // The stored segment facts are the events' facts recomputed now, column for column (floats to
    // 9 digits: a sum's last bit depends on the order the engine's threads added it in).
    String columns =
        String.join(
            ", ",
            store
                .queryText(
                    "SELECT multiIf(type LIKE 'Array(%Float%', 'arrayMap(x -> round(x, 9), ' || name"
                        + " || ')', type LIKE '%Float%', 'round(' || name || ', 9)', name)"
                        + " FROM system.columns WHERE database = currentDatabase()"
                        + " AND table = 'segment_facts_source' ORDER BY position",
                    Map.of())
                .lines()
                .toList());
    String stored =
        store.queryText(
            "SELECT " + columns + " FROM segment_facts_current ORDER BY ALL", Map.of());
    assertThat(stored.lines().count()).as("segments stored").isGreaterThan(500);
    assertThat(stored)
        .as("segments after %d refreshes against a full recompute", slices)
        .isEqualTo(
            store.queryText(
                "SELECT " + columns + " FROM segment_facts_source ORDER BY ALL", Map.of()));
    GroundTruthCheck.assertRollupsMatch(store, truth);

    // The scraper first sees the network now, after every session was computed (an ingest that
    // ran before its scraper): the next refresh gives each segment of a scraped orchestrator the
    // region of its first version, as a full recompute does.
    // Per node: a signer's nodes may lie in several regions, and one may have served nothing.
    String node = "replaceRegexpOne(lower(orch_uri), '/+$', '')";
    String regions = "SELECT DISTINCT orchestrator_address, node_key, region"
        + " FROM segment_facts_current"
        + " WHERE orchestrator_address IN (SELECT local_address FROM orchestrators_current)"
        + " ORDER BY ALL";
    String withoutRegion = "SELECT count() FROM segment_facts_current WHERE region IS NULL"
        + " AND orchestrator_address != ''";
    assertThat(Long.parseLong(store.queryText(withoutRegion, Map.of()).strip()))
        .as("segments without a region before the scrape").isGreaterThan(500);
    SimulatedScrape.once(SimConfig.builder().seed(config.networkSeed())
        .startMs(System.currentTimeMillis()).duration(Duration.ofHours(1)).build(), store, dir);
    refresher.refreshUpTo(Instant.now());
    assertThat(store.queryText(withoutRegion, Map.of())).as("segments without a region after it")
        .isEqualTo("0\n");
    assertThat(store.queryText(regions, Map.of())).as("each segment's region after the scrape")
        .isEqualTo(store.queryText("SELECT DISTINCT local_address, " + node + ", region FROM"
            + " orchestrators_current WHERE (local_address, " + node + ") IN"
            + " (SELECT orchestrator_address, node_key FROM segment_facts_current) ORDER BY ALL",
            Map.of()));
    assertThat(store.queryText(
            "SELECT " + columns + " FROM segment_facts_current ORDER BY ALL", Map.of()))
        .as("segments after the scrape against a full recompute")
        .isEqualTo(
            store.queryText(
                "SELECT " + columns + " FROM segment_facts_source ORDER BY ALL", Map.of()));
  }
}
