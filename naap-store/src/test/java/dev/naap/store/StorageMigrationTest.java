package dev.naap.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** V100 on a store that already holds data: nothing is lost, and the new layout is in place. */
class StorageMigrationTest {

  private static final String ROLLUPS =
      "SELECT bucket_hour, gpu_id, segments, computed_at FROM rollup_hour " + "ORDER BY ALL";

  @Test
  void v100_onAStoreWithData_keepsEveryRowAndPartitionsTheRollups() {
    Store engine = TestEngine.uniqueStore("v100_host");
    String db = engine.database() + "_before";
    engine.execute("DROP DATABASE IF EXISTS " + db + " SYNC");
    engine.execute("CREATE DATABASE " + db + " ENGINE = Atomic");
    Store store = engine.withDatabase(db);
    List<Migrations.Migration> all = Migrations.all();
    List<Migrations.Migration> before = all.stream().filter(m -> m.version() < 100).toList();
    Migrations.apply(store, before);
    store.execute(
        "INSERT INTO rollup_hour (bucket_hour, gpu_id, segments, computed_at) SELECT"
            + " toDateTime('2026-01-01 00:00:00', 'UTC') + number * 86400, toString(number % 3),"
            + " number, now64(6) FROM numbers(90)");
    store.execute(
        "INSERT INTO demand_minute (bucket_minute, gateway, sessions_requested, computed_at) "
            + "VALUES (now(), 'gw', 4, now64(6))");
    store.execute(
        "INSERT INTO raw_events (event_id, payload, envelope_time) VALUES ('e1', '{}', now64(3))");
    String rollups = store.queryText(ROLLUPS, Map.of());

    assertThat(Migrations.apply(store, all)).startsWith("V100");

    assertThat(store.queryText(ROLLUPS, Map.of())).isEqualTo(rollups);
    assertThat(store.queryText("SELECT sum(sessions_requested) FROM demand_minute", Map.of()))
        .isEqualTo("4\n");
    assertThat(store.queryText("SELECT count() FROM raw_events", Map.of())).isEqualTo("1\n");
    assertThat(
            store.queryText(
                "SELECT uniqExact(partition_id) FROM system.parts WHERE database ="
                    + " currentDatabase() AND table = 'rollup_hour' AND active",
                Map.of()))
        .isEqualTo("3\n");
    assertThat(
            store.queryText(
                "SELECT name, partition_key FROM system.tables WHERE database = currentDatabase()"
                    + " AND name IN ('rollup_minute', 'rollup_hour', 'rollup_day', 'demand_minute',"
                    + " 'demand_hour', 'capability_snapshots') ORDER BY name",
                Map.of()))
        .isEqualTo(
            """
            capability_snapshots\ttoYYYYMM(event_time)
            demand_hour\ttoYYYYMM(bucket_hour)
            demand_minute\ttoYYYYMM(bucket_minute)
            rollup_day\ttoYYYYMM(bucket_day)
            rollup_hour\ttoYYYYMM(bucket_hour)
            rollup_minute\ttoYYYYMMDD(bucket_minute)
            """);
    assertThat(
            store.queryText(
                "SELECT compression_codec FROM system.columns WHERE database = currentDatabase() "
                    + "AND table = 'raw_events' AND name = 'payload'",
                Map.of()))
        .isEqualTo("CODEC(ZSTD(1))\n");
    // The views over the rebuilt tables still answer, and the capability view still feeds its
    // table.
    assertThat(store.queryText("SELECT count() FROM rollup_hour_current", Map.of()))
        .isEqualTo("90\n");
    engine.execute("DROP DATABASE " + db + " SYNC");
  }
}
