package dev.naap.metrics.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.events.EventParser;
import dev.naap.ingest.EventFixtures;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.FileImport;
import dev.naap.ingest.IngestMetrics;
import dev.naap.metrics.Refresher;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The price beside the score (docs/METRICS.md, "Orchestrator score") on the real capture: its one
 * session on 0x52cf…5954 and its one capabilities snapshot, in which that signer's node advertises
 * 1 618 wei per pixel (pricePerUnit 1618, pixelsPerUnit 1) for streamdiffusion-sdxl-faceid.
 */
class ScorePriceRealCaptureTest {

  @Test
  void theCapturesSession_carriesItsAdvertisedPrice() {
    Store store = TestEngine.uniqueStore("score_price_capture");
    new FileImport(new EventWriter(store, new EventParser(), EventWriter.DuplicateCheck.BATCH,
        IngestMetrics.unregistered(), Clock.systemUTC()), 100)
        .importFile(EventFixtures.captureFile());
    new Refresher(store, Clock.systemUTC()).refreshUpTo(Instant.now().plusSeconds(1));
    // The session runs 21:49-21:52 UTC; the snapshot is at 21:50:21.
    Instant start = Instant.parse("2026-01-08T21:00:00Z");
    Page page = new ClickHouseMetricsQueries(store).run(Report.ORCHESTRATOR_SCORES,
        new MetricsQuery(start, start.plus(Duration.ofHours(1)), Granularity.HOUR, Map.of(),
            List.of(), null, 100, 0, false));
    assertThat(page.rows()).hasSize(1);
    List<String> names = page.columns().stream().map(Column::name).toList();
    List<Object> row = page.rows().getFirst();
    assertThat(row.get(names.indexOf("orchestrator_address")))
        .isEqualTo("0x52cf2968b3dc6016778742d3539449a6597d5954");
    assertThat(row.get(names.indexOf("pipeline"))).isEqualTo("streamdiffusion-sdxl-faceid");
    assertThat(row.get(names.indexOf("price_per_unit"))).isEqualTo(1618L);
    assertThat(row.get(names.indexOf("pixels_per_unit"))).isEqualTo(1L);
    assertThat(row.get(names.indexOf("wei_per_pixel"))).isEqualTo(1618.0);
    // 1 618 wei/pixel x 1280 x 720 x 30 frames/s x 60 s
    assertThat(row.get(names.indexOf("wei_per_stream_minute"))).isEqualTo(2_684_067_840_000.0);
    // The only price in force: the network's median, so as the network.
    assertThat(row.get(names.indexOf("network_wei_per_pixel_median"))).isEqualTo(1618.0);
    assertThat(row.get(names.indexOf("price_vs_network"))).isEqualTo(1.0);
  }
}
