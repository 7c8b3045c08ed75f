package dev.naap.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A test database copied from the template is the one that migrations make. */
class TemplateCopyTest {

  /** A date-time as the engine writes it. */
  private static final Pattern STAMP =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?");

  @Test
  void copy_isObjectByObjectWhatMigrationsMake() {
    Store migrated = TestEngine.migratedStore("copy_check_migrated");
    Store copied = TestEngine.uniqueStore("copy_check_copied");

    // The copy came from the template (its ledger's times are the template's), not migrations.
    String ledger = "SELECT * FROM schema_migrations ORDER BY ALL";
    assertThat(copied.queryText(ledger, Map.of()))
        .isEqualTo(copied.withDatabase(TestEngine.TEMPLATE).queryText(ledger, Map.of()))
        .isNotEqualTo(migrated.queryText(ledger, Map.of()));
    assertThat(Migrations.upToDate(copied)).isTrue();
    assertThat(Migrations.apply(copied)).isEmpty();

    String tables = "SELECT name, engine, engine_full, replace(create_table_query,"
        + " currentDatabase() || '.', '<db>.') AS create_query, sorting_key, partition_key,"
        + " primary_key, sampling_key, comment, arraySort(dependencies_table) AS dependents,"
        + " total_rows FROM system.tables WHERE database = currentDatabase() ORDER BY name";
    String migratedTables = migrated.queryText(tables, Map.of());
    assertThat(migratedTables.lines().count()).isGreaterThan(100);
    assertThat(migratedTables).contains("<db>.raw_events");
    assertThat(copied.queryText(tables, Map.of())).isEqualTo(migratedTables);

    String columns = "SELECT table, position, name, type, default_kind, default_expression,"
        + " compression_codec, comment, is_in_partition_key, is_in_sorting_key,"
        + " is_in_primary_key FROM system.columns WHERE database = currentDatabase()"
        + " ORDER BY table, position";
    String migratedColumns = migrated.queryText(columns, Map.of());
    assertThat(migratedColumns.lines().count()).isGreaterThan(1000);
    assertThat(copied.queryText(columns, Map.of())).isEqualTo(migratedColumns);

    String nonEmpty = "SELECT name, engine FROM system.tables WHERE database = currentDatabase()"
        + " AND total_rows > 0 ORDER BY name";
    List<String> filled = migrated.queryText(nonEmpty, Map.of()).lines().toList();
    assertThat(filled).contains("schema_migrations\tReplacingMergeTree",
        "refresh_state\tReplacingMergeTree", "sla_targets\tReplacingMergeTree");
    assertThat(copied.queryText(nonEmpty, Map.of()).lines().toList()).isEqualTo(filled);
    for (String row : filled) {
      String[] f = row.split("\t");
      String t = Identifiers.quote(f[0]);
      List<String> reads = f[1].equals("MergeTree")
          ? List.of("SELECT * FROM " + t + " ORDER BY ALL")
          : List.of("SELECT * FROM " + t + " ORDER BY ALL",
              "SELECT * FROM " + t + " FINAL ORDER BY ALL");
      for (String sql : reads) {
        String expected = stampsNormalised(migrated.queryText(sql, Map.of()));
        assertThat(expected).as(sql).isNotEmpty();
        assertThat(stampsNormalised(copied.queryText(sql, Map.of()))).as(sql).isEqualTo(expected);
      }
    }
  }

  @Test
  void copy_ofViewsThatReadLaterOnes_andOfMaterializedViews() {
    Store engine = TestEngine.uniqueStore("copy_views_host");
    String src = engine.database() + "_src";
    String dst = engine.database() + "_dst";
    engine.execute("CREATE DATABASE " + src + " ENGINE = Atomic");
    Store s = engine.withDatabase(src);
    s.execute("CREATE TABLE z_events (k UInt32) ENGINE = MergeTree ORDER BY k");
    s.execute("CREATE TABLE counts (k UInt32, n UInt64) ENGINE = SummingMergeTree ORDER BY k");
    s.execute("CREATE MATERIALIZED VIEW a_counts_mv TO counts AS"
        + " SELECT k, count() AS n FROM z_events GROUP BY k");
    s.execute("CREATE VIEW m_base AS SELECT k, n FROM counts");
    s.execute("CREATE VIEW b_top AS SELECT k FROM m_base WHERE n > 1"); // reads a later name
    s.execute("CREATE VIEW a_first AS SELECT k FROM b_top ORDER BY k LIMIT 1");
    s.execute("INSERT INTO z_events VALUES (7), (7), (3)");

    TemplateCopy.of(s).copyTo(engine, dst);
    Store d = engine.withDatabase(dst);

    // Rows copied once each: the copy triggered no view.
    assertThat(d.queryText("SELECT k, n FROM counts ORDER BY k", Map.of()))
        .isEqualTo("3\t1\n7\t2\n");
    assertThat(d.queryText("SELECT k FROM a_first", Map.of())).isEqualTo("7\n");
    // The copy's view writes to the copy's table, not the source's.
    d.execute("INSERT INTO z_events VALUES (3)");
    assertThat(d.queryText("SELECT k, sum(n) FROM counts GROUP BY k ORDER BY k", Map.of()))
        .isEqualTo("3\t2\n7\t2\n");
    assertThat(s.queryText("SELECT k, sum(n) FROM counts GROUP BY k ORDER BY k", Map.of()))
        .isEqualTo("3\t1\n7\t2\n");
    assertThat(d.queryText("SELECT create_table_query FROM system.tables WHERE database = "
        + "currentDatabase() AND name = 'b_top'", Map.of())).contains(dst + ".m_base")
        .doesNotContain(src);
  }

  @Test
  void copy_refusesWhatItCouldNotReproduce() {
    Store engine = TestEngine.uniqueStore("copy_refuses_host");
    String db = engine.database() + "_src";
    engine.execute("CREATE DATABASE " + db + " ENGINE = Atomic");
    Store s = engine.withDatabase(db);
    s.execute("CREATE TABLE latest (k UInt8, v UInt8) ENGINE = ReplacingMergeTree ORDER BY k");
    s.execute("INSERT INTO latest VALUES (1, 1)");
    s.execute("INSERT INTO latest VALUES (1, 2)");
    assertThatThrownBy(() -> TemplateCopy.of(s)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("latest holds 1 rows whose (k) another row has");

    s.execute("TRUNCATE TABLE latest");
    s.execute("CREATE TABLE kept (k UInt8) ENGINE = Memory");
    assertThatThrownBy(() -> TemplateCopy.of(s)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("kept has engine Memory");
  }

  /** {@code text} with every date-time stamped since this JVM started as {@code <stamp>}. */
  private static String stampsNormalised(String text) {
    Instant start = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    Matcher m = STAMP.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Instant at = LocalDateTime.parse(m.group().replace(' ', 'T')).toInstant(ZoneOffset.UTC);
      m.appendReplacement(out, at.isBefore(start) ? m.group() : "<stamp>");
    }
    return m.appendTail(out).toString();
  }
}
