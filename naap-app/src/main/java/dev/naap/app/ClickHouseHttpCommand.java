package dev.naap.app;

import dev.naap.store.ReadOnlyAccess;
import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import dev.naap.store.Stores;
import dev.naap.store.http.ClickHouseHttpServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code naap clickhouse-http}: serves the embedded store over the ClickHouse HTTP protocol, so a
 * ClickHouse client, a BI tool or NaaP's own server backend can use it. Read-only and
 * authenticated by default (docs/SECURITY.md).
 */
final class ClickHouseHttpCommand implements Main.Command {

  private static final Set<String> OPTIONS = Set.of("host", "port", "user", "password", "threads",
      "allowed-host", "allowed-origin", "max-memory-mb", "max-execution-seconds", "max-result-mb",
      "max-body-mb");
  private static final Set<String> FLAGS = Set.of("allow-writes");

  @Override
  public String summary() {
    return "serve the embedded store over the ClickHouse HTTP protocol (read-only by default)";
  }

  @Override
  public String usage() {
    return """
        usage: naap clickhouse-http [OPTIONS]

        Serves the embedded store over the ClickHouse HTTP interface (/?query=, SQL in the body,
        database, default_format, param_*, /ping, X-ClickHouse-Exception-Code). Every request
        authenticates (Basic auth, X-ClickHouse-User/-Key, or user/password parameters). SQL runs
        read-only, enforced by the engine: no writes, no settings changes, no file/url/remote/...
        table functions. Runs until SIGINT/SIGTERM. See docs/SECURITY.md.

        options:
          --host HOST                address to listen on (default 127.0.0.1)
          --port PORT                (default 8123; 0 picks a free port)
          --user USER                the user name (default "default")
          --password PW              its password (default $NAAP_CLICKHOUSE_HTTP_PASSWORD, else
                                     the one in DATA-DIR/clickhouse-http.password, else a new one,
                                     printed once and kept there, readable by its owner only)
          --allowed-host NAME[,NAME] host names accepted in Host besides IP addresses and
                                     localhost (default none)
          --allowed-origin URL[,URL] browser origins allowed to call it (default none)
          --allow-writes             let POST write (DDL, inserts; full engine power, including
                                     file() and url(): trusted clients only)
          --threads N                statements run at once with --allow-writes (default 4)
          --max-memory-mb N          memory of one read-only statement (default 1024)
          --max-execution-seconds N  time of one read-only statement (default 30)
          --max-result-mb N          result size of one read-only statement (default 64)
          --max-body-mb N            largest request body (default 1; 256 with --allow-writes)
          --data-dir DIR             embedded store directory (default ./naap-data)
          --connections N            engine connections for everything else (default 4)
        """;
  }

  @Override
  public int run(List<String> argv, PrintStream out, PrintStream err) {
    Set<String> known = new HashSet<>(OPTIONS);
    known.addAll(Set.of("data-dir", "connections"));
    Args args = Args.parse(argv, known, FLAGS);
    if (args.get("clickhouse-url", null) != null) {
      args.error("serves the embedded store only");
    }
    if (!args.positional().isEmpty()) {
      args.error("unexpected arguments " + args.positional());
    }
    int port = args.integer("port", ClickHouseHttpServer.Config.DEFAULT_PORT, 0, 65535);
    int threads = args.integer("threads", ClickHouseHttpServer.Config.DEFAULT_THREADS, 1, 64);
    boolean writes = args.flag("allow-writes");
    var limits = new ReadOnlyAccess(ReadOnlyAccess.DEFAULT_CONNECTIONS,
        args.integer("max-memory-mb", (int) (ReadOnlyAccess.DEFAULT_MAX_MEMORY_BYTES >> 20), 1,
            1 << 20) * (1L << 20),
        Duration.ofSeconds(args.integer("max-execution-seconds",
            (int) ReadOnlyAccess.DEFAULT_MAX_EXECUTION_TIME.toSeconds(), 1, 3600)),
        args.integer("max-result-mb", (int) (ReadOnlyAccess.DEFAULT_MAX_RESULT_BYTES >> 20), 1,
            1 << 20) * (1L << 20));
    long maxBody = args.integer("max-body-mb", (int) ((writes
        ? ClickHouseHttpServer.Config.DEFAULT_MAX_WRITE_BODY_BYTES
        : ClickHouseHttpServer.Config.DEFAULT_MAX_BODY_BYTES) >> 20), 1, 4096) * (1L << 20);
    var embedded = (StoreConfig.Embedded) StoreOptions.from(args);
    List<String> hosts = list(args.get("allowed-host", ""));
    List<String> origins = list(args.get("allowed-origin", ""));
    String user = args.get("user", ClickHouseHttpServer.Config.DEFAULT_USER);
    String given = args.get("password", System.getenv(FacadePassword.ENV));
    args.check();
    String password = FacadePassword.resolve(given, embedded.dataDir(), out);
    var config = new ClickHouseHttpServer.Config(
        args.get("host", ClickHouseHttpServer.Config.DEFAULT_HOST), port, user, password, writes,
        hosts, origins, maxBody, threads);

    CountDownLatch stop = new CountDownLatch(1);
    var finished = Main.onShutdown(stop::countDown, Duration.ofSeconds(30));
    try (Store store = Stores.open(new StoreConfig.Embedded(embedded.dataDir(),
            embedded.connections(), limits));
        ClickHouseHttpServer server = new ClickHouseHttpServer(store, config).start()) {
      out.printf("naap clickhouse-http: serving %s at %s (%s)%n"
          + "  e.g. curl -u %s:PASSWORD '%s?query=SELECT+1'%n", store.description(), server.url(),
          writes ? "writes allowed" : "read-only", user, server.url());
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

  static List<String> list(String csv) {
    return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
