package dev.naap.metrics.query;

import static dev.naap.metrics.query.QueryNetwork.day;
import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 22: rollup rows computed before migration V050 have no count of samples at 20+ FPS (NULL).
 * A group holding such a row with samples shows no count and no share, never the share of part of
 * its samples; a group whose rows hold no samples keeps its count of 0.
 */
class FpsShareBeforeV050Test {

  @Test
  void rowsWithoutTheCount_giveNoShare_notAShareOfPartOfTheSamples() {
    Store store = TestEngine.uniqueStore("before_v050");
    QueryNetwork.load(store);
    // As a store upgraded to V050 holds them: hour 0 computed before, hour 1 after.
    store.query(
        "ALTER TABLE rollup_hour UPDATE fps_samples_20plus = NULL WHERE bucket_hour = toDateTime("
            + day.getEpochSecond()
            + ", 'UTC') SETTINGS mutations_sync = 1",
        Map.of(),
        "TabSeparated");
    MetricsQueries queries = new ClickHouseMetricsQueries(store);

    Page page =
        queries.run(
            Report.GPU_METRICS,
            new MetricsQuery(
                day,
                day.plus(Duration.ofDays(1)),
                Granularity.HOUR,
                Map.of(),
                List.of(Dimension.ORCHESTRATOR),
                null,
                1000,
                0,
                false));
    int count = index(page, "fps_samples_20plus");
    int share = index(page, "fps_share_20plus");
    int samples = index(page, "fps_samples");
    assertThat(page.rows()).hasSize(3);
    for (List<Object> row : page.rows()) {
      boolean before = row.get(0).equals(day);
      if (before) {
        assertThat((Long) row.get(samples)).as("hour 0 has samples").isPositive();
        assertThat(row.get(count)).isNull();
        assertThat(row.get(share)).isNull();
      } else {
        assertThat(row.get(samples)).isEqualTo(0L);
        assertThat(row.get(count)).isEqualTo(0L);
      }
    }
  }

  private static int index(Page page, String column) {
    for (int i = 0; i < page.columns().size(); i++) {
      if (page.columns().get(i).name().equals(column)) {
        return i;
      }
    }
    throw new AssertionError("no column " + column);
  }
}
