package dev.naap.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** What only the embedded backend does: the engine's rules, settings and pool. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedEngineTest {
  private Store store;

  @BeforeAll
  void open() {
    store = TestEngine.store("engine_test");
  }

  @AfterAll
  void close() {
    store.close();
  }

  @Test
  void engine_secondStorageDirectoryInTheSameProcessFailsClearly(@TempDir Path other) {
    assertThatThrownBy(() -> Stores.open(new StoreConfig.Embedded(other, 2)))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("already runs on " + TestEngine.dataDir().toAbsolutePath())
        .hasMessageContaining("one storage directory per process");
  }

  @Test
  void engine_storesOnTheSameDirectoryShareIt() {
    try (Store again = Stores.open(TestEngine.config())) {
      assertThat(again.database()).isEqualTo("naap");
      assertThat(again.description()).contains("embedded ClickHouse 26.").contains("libchdb 26.7")
          .contains(TestEngine.dataDir().toString());
    }
    assertThat(store.queryText("SELECT 1", Map.of())).isEqualTo("1\n");
  }

  @Test
  void databases_areAtomic() {
    assertThat(store.queryText("SELECT engine FROM system.databases WHERE name IN"
        + " ('naap', 'engine_test') ORDER BY name", Map.of())).isEqualTo("Atomic\nAtomic\n");
  }

  @Test
  void settings_areSetExplicitlyOnEveryConnection() throws Exception {
    String expected = (4L << 30) + "\tfalse\ttrue\ttrue\tbest_effort\n";
    ExecutorService pool = Executors.newFixedThreadPool(TestEngine.CONNECTIONS);
    try {
      List<Future<String>> outs = new ArrayList<>();
      for (int i = 0; i < TestEngine.CONNECTIONS * 4; i++) {
        outs.add(pool.submit(() -> store.queryText("SELECT getSetting('max_memory_usage'),"
            + " getSetting('async_insert'), getSetting('wait_for_async_insert'),"
            + " getSetting('insert_deduplicate'), getSetting('date_time_input_format')"
            + " FROM numbers(1) WHERE sleepEachRow(0.05) = 0", Map.of())));
      }
      for (Future<String> f : outs) {
        assertThat(f.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void memoryLimit_failsTheStatementWithCode241AndTheStoreGoesOn() {
    assertThatThrownBy(() -> store.queryText("SELECT groupArray(number) FROM numbers(10000000)"
        + " SETTINGS max_memory_usage = 1000000", Map.of()))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(241));
    assertThat(store.queryText("SELECT 1", Map.of())).isEqualTo("1\n");
  }

  @Test
  void connectionState_useAndSetAreRefused() {
    assertThatThrownBy(() -> store.execute("USE system"))
        .isInstanceOf(StoreException.class).hasMessageContaining("withDatabase");
    assertThatThrownBy(() -> store.execute("  set max_threads = 1"))
        .isInstanceOf(StoreException.class).hasMessageContaining("SETTINGS clause");
    assertThat(store.queryText("SELECT getSetting('max_threads') FROM system.one"
        + " SETTINGS max_threads = 1", Map.of())).isEqualTo("1\n");
  }

  @Test
  void pool_runsStatementsOnSeparateConnectionsInParallel() throws Exception {
    int n = TestEngine.CONNECTIONS;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      long t0 = System.nanoTime();
      List<Future<String>> outs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        outs.add(pool.submit(() -> store.queryText("SELECT sleep(1)", Map.of())));
      }
      for (Future<String> f : outs) {
        assertThat(f.get()).isEqualTo("0\n");
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(ms).as("%d one-second sleeps on %d connections", n, n).isLessThan(n * 1000L - 500);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closedStore_refusesWork() {
    Store s = TestEngine.store("engine_test");
    s.close();
    s.close();
    assertThatThrownBy(() -> s.execute("SELECT 1")).isInstanceOf(StoreException.class)
        .hasMessageContaining("is closed");
    assertThat(store.queryText("SELECT 2", Map.of())).isEqualTo("2\n");
  }

  @Test
  void settingStatements_followTheOptions() {
    EngineOptions o =
        EngineOptions.from(k -> k.equals("naap.store.maxMemoryUsage") ? "2000000" : null);
    assertThat(EmbeddedEngine.settingStatements(o)).contains("SET max_memory_usage = 2000000",
        "SET async_insert = 0", "SET insert_deduplicate = 1");
  }
}
