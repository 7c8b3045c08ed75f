package dev.naap.app;

import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import dev.naap.store.Stores;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code naap clickhouse-http --allow-writes} in a child JVM standing in for a ClickHouse server:
 * the one store several NaaP processes share, and a {@link Store} on it for the test's own reads.
 */
final class StoreFacade implements AutoCloseable {

  static final String PASSWORD = "facade-" + Long.toHexString(System.nanoTime());
  private static final Pattern URL = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/)");

  private final Process process;
  private final URI url;
  private final Store store;

  StoreFacade(Path dir) throws Exception {
    Path log = dir.resolve("clickhouse-http.log");
    process = ChildJvm.start(log, "clickhouse-http", "--port", "0", "--data-dir",
        dir.resolve("store").toString(), "--allow-writes", "--password", PASSWORD,
        "--threads", "8");
    url = awaitUrl(log);
    store = Stores.open(new StoreConfig.Server(url, "default", PASSWORD, "naap",
        StoreConfig.Server.DEFAULT_CONNECTIONS, Duration.ofSeconds(120)));
  }

  /** The store options of a NaaP process that uses this store. */
  List<String> storeArgs() {
    return List.of("--clickhouse-url", url.toString(), "--clickhouse-password", PASSWORD);
  }

  /** The test's own connection to the store. */
  Store store() {
    return store;
  }

  String text(String sql) {
    return store.queryText(sql, Map.of());
  }

  private URI awaitUrl(Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      Matcher m = URL.matcher(Files.exists(log) ? Files.readString(log) : "");
      if (m.find()) {
        return URI.create(m.group(1));
      }
      Thread.sleep(200);
    }
    throw new AssertionError("naap clickhouse-http did not start; see " + log + ":\n"
        + (Files.exists(log) ? Files.readString(log) : ""));
  }

  @Override
  public void close() throws InterruptedException {
    store.close();
    stop(process);
  }

  /** SIGTERM, then SIGKILL after a minute. */
  static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
