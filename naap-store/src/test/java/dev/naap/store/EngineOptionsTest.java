package dev.naap.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineOptionsTest {
  @Test
  void defaults_whenNothingIsSet() {
    EngineOptions o = EngineOptions.from(k -> null);
    assertThat(o.maxMemoryUsageBytes()).isEqualTo(4L << 30);
    assertThat(o.acquireTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void values_areParsed() {
    Map<String, String> p = Map.of("naap.store.maxMemoryUsage", "8_000_000_000",
        "naap.store.acquireTimeoutMs", "5", "naap.store.shutdownTimeoutMs", "0");
    EngineOptions o = EngineOptions.from(p::get);
    assertThat(o.maxMemoryUsageBytes()).isEqualTo(8_000_000_000L);
    assertThat(o.acquireTimeout()).isEqualTo(Duration.ofMillis(5));
    assertThat(o.shutdownTimeout()).isZero();
  }

  @Test
  void errors_areAllReportedTogetherWithKeyValueAndLimit() {
    Map<String, String> p = Map.of("naap.store.maxMemoryUsage", "12", "naap.store.acquireTimeoutMs",
        "soon");
    assertThatThrownBy(() -> EngineOptions.from(p::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("naap.store.maxMemoryUsage=12 is outside 1048576..")
        .hasMessageContaining("naap.store.acquireTimeoutMs=soon is not a whole number");
  }

  @Test
  void docs_listEveryKeyWithItsDefault() throws Exception {
    Path doc = Path.of("..", "docs", "STORE.md");
    String text = Files.readString(doc);
    for (EngineOptions.Key k : EngineOptions.KEYS) {
      assertThat(text).as("docs/STORE.md documents %s", k.property())
          .contains("`" + k.property() + "`").contains(Long.toString(k.defaultValue()));
    }
  }

  @Test
  void libraryPath_propertyThenEnvironmentThenCache(@TempDir Path dir) throws Exception {
    Path lib = Files.createFile(dir.resolve("libchdb.so"));
    Map<String, String> props = Map.of("naap.chdb.library", lib.toString(), "user.home", "/nope");
    assertThat(ChdbLibrary.resolvePath(props::get, k -> null)).isEqualTo(lib);
    Map<String, String> emptyProp = Map.of("naap.chdb.library", "", "user.home", "/nope");
    assertThat(ChdbLibrary.resolvePath(emptyProp::get,
        Map.of("NAAP_CHDB_LIBRARY", lib.toString())::get)).isEqualTo(lib);
    Path cached = dir.resolve("naap/chdb/" + ChdbLibrary.PINNED_VERSION + "/libchdb.so");
    Files.createDirectories(cached.getParent());
    Files.createFile(cached);
    assertThat(
            ChdbLibrary.resolvePath(emptyProp::get, Map.of("XDG_CACHE_HOME", dir.toString())::get))
        .isEqualTo(cached);
    Path home = dir.resolve("home");
    Path homeCached =
        home.resolve(".cache/naap/chdb/" + ChdbLibrary.PINNED_VERSION + "/libchdb.so");
    Files.createDirectories(homeCached.getParent());
    Files.createFile(homeCached);
    assertThat(ChdbLibrary.resolvePath(Map.of("user.home", home.toString())::get, k -> null))
        .isEqualTo(homeCached);
  }

  @Test
  void libraryPath_missingSaysToRunTheLauncher(@TempDir Path dir) {
    assertThatThrownBy(() -> ChdbLibrary.resolvePath(Map.of("user.home", dir.toString())::get,
        k -> null))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("run ./naap once")
        .hasMessageContaining(dir.resolve(".cache/naap/chdb").toString());
  }
}
