package dev.naap.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The cluster schema (issue 17): every statement the migrations become ON CLUSTER is accepted by
 * the engine's own parser, uses replicated engines, and the single-node DDL is exactly what it
 * was.
 */
class ClusterDdlTest {

  private static final String CLUSTER = "naap_cluster";
  /** The files of V001..V100 as they were released: single nodes run them byte for byte. */
  private static final Map<String, String> RELEASED = new TreeMap<>(Map.ofEntries(
      Map.entry("V001", "dee3ddc8c1f5ea768d3696e7932465e32e5eab3ebeff93a4e7b928e2e68aaf45"),
      Map.entry("V002", "cc1a1f52291a12c12e3cd072532c2dc797f8c1aa883331d69363630fb5dc060f"),
      Map.entry("V003", "98cc2e862c781c74f87c04cb9c5cbdb0b2d03b2c6a7f01c8f729fd77897e0138"),
      Map.entry("V004", "2a206c04ffde831a8daea68848d92b0da74d780596bb14c2ec1407d1b5a3e9ff"),
      Map.entry("V005", "05d2c72b918c00b1c33faf09f2ebee2d095fe1a2684707766fcd3864188e297e"),
      Map.entry("V006", "5d62c0e74e6527d5ef768434f32e824aeaf919b0c887f392efecda27cdb52c4d"),
      Map.entry("V007", "a9967a274a6756290f210da8dd4f340f26fd10105d6252ad3666d1389f716ba4"),
      Map.entry("V008", "050c76342683eb547836e45a01763f9dce85385bcfd97dea8b59f47264f42b08"),
      Map.entry("V009", "d8acf0e3e29dda75ba8dc031352d4585a3fdafb465108e60abb1b30cb2d196a1"),
      Map.entry("V010", "a0e57039a68c73c9b6f38b658101165deb27d4cc0da4ef1c27acaa13fbec2562"),
      Map.entry("V011", "e4e4553f035acf1ec6f57ff8a6d6b19e8b15e5fdaf487eeb77cd6585716699c6"),
      Map.entry("V012", "c66fb826eb335ad0e65ad7a9dd100a8d9d6c3bbb1279d4f7cc3d17c1dd63b247"),
      Map.entry("V013", "58fef49ffbfa70130ef88a6481a23ae396ecbc14064aa4427e3a21ce4f6b138a"),
      Map.entry("V020", "240100ca0c3f810708c6c5feb6562425b8927e0249296ab25126d717ffc32585"),
      Map.entry("V021", "f54c3bc21eb0cb8749d06e41676ab52307ae228a13c815fb17fc2f62830ffcaf"),
      Map.entry("V030", "c7f185ff2181760e7bc1b963232e5f8956d180b0022cea9ccc84055dc849bf6f"),
      Map.entry("V040", "1d2233397a4a6014844b53eb246c05a20ec5125d6a1024a4e41ebec66aae8189"),
      Map.entry("V041", "38afaeed46461aa4a5dbf11e7bbe3bb3db1a358ef4564ebd630e2fb953cb000b"),
      Map.entry("V042", "dbd6f2edf2d1f9b671aa901df77f912123fcd089bcb6382e08f2488bf72c1b10"),
      Map.entry("V050", "f6e0f84e62eadaa06e7f05cb19309423413db6a2fb770c155daf20b89552de9a"),
      Map.entry("V060", "8552a9885b60bd467f5393aff567bf9cd1f1b0a90eb978a45d508d7118171785"),
      Map.entry("V090", "5cb4a910a68115bfe14b8d4c54100ee7801a3ca80c05edd51bf3e49958f34123"),
      Map.entry("V100", "b8c5d6d47b6f52c5a4712e588eb747076e3f508e1373037080c22fd935c43d2a")));

  @Test
  void everyClusterStatement_isParsedByTheEngine_andRunsOnCluster() {
    Store store = TestEngine.uniqueStore("cluster_ddl_parse");
    int statements = 0;
    for (Migrations.Migration m : Migrations.all()) {
      for (String sql : m.statements()) {
        for (String clustered : ClusterDdl.rewrite(sql, CLUSTER)) {
          String formatted =
              store.queryText("SELECT formatQuery({q:String})", Map.of("q", clustered));
          assertThat(formatted).as("%s: %s", m.label(), clustered).isNotBlank();
          String head = clustered.replaceAll("(?m)^\\s*--.*\\n", "").strip();
          if (!head.startsWith("INSERT")) {
            assertThat(formatted)
                .as("%s: %s", m.label(), clustered)
                .contains("ON CLUSTER " + CLUSTER);
          }
          if (formatted.matches("(?s).*ENGINE = \\w*MergeTree.*")) {
            assertThat(formatted)
                .as("%s: %s", m.label(), clustered)
                .containsPattern(
                    "ENGINE = Replicated\\w*MergeTree\\(\\\\'/clickhouse/tables/\\{uuid\\}/");
          }
          statements++;
        }
      }
    }
    assertThat(statements).isGreaterThan(100);
  }

  @Test
  void rawEvents_areShardedByEventId_behindADistributedTable() {
    String create = Migrations.all().stream().flatMap(m -> m.statements().stream())
        .filter(s -> s.contains("CREATE TABLE IF NOT EXISTS raw_events")).findFirst().orElseThrow();
    List<String> clustered = ClusterDdl.rewrite(create, CLUSTER);
    assertThat(clustered).hasSize(2);
    assertThat(clustered.get(0)).contains("raw_events_local ON CLUSTER naap_cluster")
        .contains("ReplicatedReplacingMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}')");
    assertThat(clustered.get(1)).isEqualTo("CREATE TABLE IF NOT EXISTS raw_events ON CLUSTER"
        + " naap_cluster AS raw_events_local ENGINE = Distributed(naap_cluster, currentDatabase(),"
        + " raw_events_local, cityHash64(event_id))");
    assertThat(
            ClusterDdl.rewrite("ALTER TABLE raw_events ADD COLUMN IF NOT EXISTS x UInt8", CLUSTER))
        .containsExactly(
            "ALTER TABLE raw_events_local ON CLUSTER naap_cluster ADD COLUMN IF NOT EXISTS x UInt8",
            "ALTER TABLE raw_events ON CLUSTER naap_cluster ADD COLUMN IF NOT EXISTS x UInt8");
    assertThat(ClusterDdl.rewrite("INSERT INTO refresh_state VALUES ('a', 0, now64(6))", CLUSTER))
        .containsExactly("INSERT INTO refresh_state VALUES ('a', 0, now64(6))");
  }

  @Test
  void singleNode_runsTheReleasedFilesByteForByte() {
    Map<String, String> now = new TreeMap<>();
    List<String> expected = new ArrayList<>();
    for (Migrations.Migration m : Migrations.all()) {
      if (m.version() <= 100) {
        now.put(m.label(), m.checksum());
      }
      expected.addAll(m.statements());
    }
    assertThat(now).isEqualTo(RELEASED);
    List<String> ran = new ArrayList<>();
    Migrations.apply(new RecordingStore(ran));
    // Without a cluster each statement runs as the file has it (V001 runs twice: it bootstraps).
    List<String> ddl =
        ran.stream()
            .filter(
                s ->
                    !s.contains("schema_migrations (version")
                        && !s.contains("FROM schema_migrations GROUP BY")
                        && !s.contains("FROM system.processes"))
            .toList();
    int bootstrap = Migrations.all().getFirst().statements().size();
    assertThat(ddl.subList(bootstrap, ddl.size())).isEqualTo(expected);
  }

  /** Records every statement and answers none: a database with nothing applied yet. */
  private record RecordingStore(List<String> ran) implements Store {
    @Override
    public byte[] query(String sql, Map<String, ?> params, String format) {
      ran.add(sql);
      return new byte[0];
    }

    @Override
    public void insert(String insertStatement, byte[] data) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String database() {
      return "recording";
    }

    @Override
    public String description() {
      return "recording";
    }

    @Override
    public void close() {}
  }
}
