package dev.naap.app;

import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import dev.naap.store.Stores;
import dev.naap.store.http.ClickHouseHttpServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code naap clickhouse-http}: serves the embedded store over the ClickHouse HTTP protocol, so a
 * ClickHouse client, a BI tool or NaaP's own server backend can use it.
 */
final class ClickHouseHttpCommand implements Main.Command {

  private static final Set<String> OPTIONS = Set.of("host", "port", "user", "password", "threads");

  @Override
  public String summary() {
    return "serve the embedded store over the ClickHouse HTTP protocol";
  }

  @Override
  public String usage() {
    return """
        usage: naap clickhouse-http [OPTIONS]

        Serves the embedded store over the ClickHouse HTTP interface (/?query=, SQL in the body,
        database, default_format, param_*, /ping, X-ClickHouse-Exception-Code). GET is read-only.
        Runs until SIGINT/SIGTERM.

        options:
          --host HOST                address to listen on (default 127.0.0.1)
          --port PORT                (default 8123; 0 picks a free port)
          --user USER                require this user (default: no authentication)
          --password PW              its password (default $NAAP_CLICKHOUSE_HTTP_PASSWORD, else empty)
          --threads N                requests handled at once (default 8)
          --data-dir DIR             embedded store directory (default ./naap-data)
          --connections N            embedded engine connections (default 4)
        """;
  }

  @Override
  public int run(List<String> argv, PrintStream out, PrintStream err) {
    Set<String> known = new HashSet<>(OPTIONS);
    known.addAll(Set.of("data-dir", "connections"));
    Args args = Args.parse(argv, known, Set.of());
    var storeConfig = StoreOptions.from(args);
    if (!(storeConfig instanceof StoreConfig.Embedded)) {
      args.error("serves the embedded store only");
    }
    if (!args.positional().isEmpty()) {
      args.error("unexpected arguments " + args.positional());
    }
    int port = args.integer("port", ClickHouseHttpServer.Config.DEFAULT_PORT, 0, 65535);
    int threads = args.integer("threads", ClickHouseHttpServer.Config.DEFAULT_THREADS, 1, 1024);
    String user = args.get("user", null);
    String password = args.get("password", System.getenv("NAAP_CLICKHOUSE_HTTP_PASSWORD"));
    args.check();
    var config = new ClickHouseHttpServer.Config(args.get("host", ClickHouseHttpServer.Config.DEFAULT_HOST),
        port, user, password, ClickHouseHttpServer.Config.DEFAULT_MAX_BODY_BYTES, threads);

    CountDownLatch stop = new CountDownLatch(1);
    var finished = Main.onShutdown(stop::countDown, Duration.ofSeconds(30));
    try (Store store = Stores.open(storeConfig);
        ClickHouseHttpServer server = new ClickHouseHttpServer(store, config).start()) {
      out.printf("naap clickhouse-http: serving %s at %s%n", store.description(), server.url());
      out.flush();
      stop.await();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      finished.countDown();
    }
  }
}
