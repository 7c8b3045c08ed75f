package dev.naap.app;

import dev.naap.store.ReadOnlyAccess;
import dev.naap.store.Store;
import dev.naap.store.http.ClickHouseHttpServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code naap clickhouse-http}: serves the embedded store over the ClickHouse HTTP protocol, so a
 * ClickHouse client, a BI tool or NaaP's own server backend can use it. Read-only and
 * authenticated by default (docs/SECURITY.md).
 */
@Command(name = "clickhouse-http",
    header = "serve the embedded store over the ClickHouse HTTP protocol (read-only by default)",
    description = {"Serves the embedded store over the ClickHouse HTTP interface (/?query=, SQL in "
        + "the body, database, default_format, param_*, /ping, X-ClickHouse-Exception-Code). Every "
        + "request authenticates (Basic auth, X-ClickHouse-User/-Key, or user/password "
        + "parameters). SQL runs read-only, enforced by the engine: no writes, no settings "
        + "changes, no file/url/remote/... table functions. Runs until SIGINT/SIGTERM. See "
        + "docs/SECURITY.md. --connections are the engine connections for everything else."})
final class ClickHouseHttpCommand implements Main.Runner {

  @Spec CommandSpec spec;

  @Option(names = "--host", paramLabel = "HOST", description = "address to listen on")
  String host = ClickHouseHttpServer.Config.DEFAULT_HOST;

  @Option(names = "--port", paramLabel = "PORT", description = "its port; 0 picks a free one")
  @Range(min = 0, max = 65_535)
  int port = ClickHouseHttpServer.Config.DEFAULT_PORT;

  @Option(names = "--user", paramLabel = "USER", description = "the user name")
  String user = ClickHouseHttpServer.Config.DEFAULT_USER;

  @Option(names = "--password", paramLabel = "PW", description = {"its password (default $"
      + FacadePassword.ENV + ", else the one in DATA-DIR/" + FacadePassword.FILE + ", else a new "
      + "one, printed once and kept there, readable by its owner only)"})
  String password;

  @Option(names = "--allowed-host", paramLabel = "NAME", split = ",", description = {"host names "
      + "accepted in Host besides IP addresses and localhost (default none); repeatable"})
  List<String> allowedHosts = List.of();

  @Option(names = "--allowed-origin", paramLabel = "URL", split = ",",
      description = "browser origins allowed to call it (default none); repeatable")
  List<String> allowedOrigins = List.of();

  @Option(names = "--allow-writes", description = {"let POST write (DDL, inserts; full engine "
      + "power, including file() and url(): trusted clients only)"})
  boolean allowWrites;

  @Option(names = "--threads", paramLabel = "N",
      description = "statements run at once with --allow-writes")
  @Range(min = 1, max = 64)
  int threads = ClickHouseHttpServer.Config.DEFAULT_THREADS;

  @Option(names = "--max-memory-mb", paramLabel = "N",
      description = "memory of one read-only statement")
  @Range(min = 1, max = 1 << 20)
  long maxMemoryMb = ReadOnlyAccess.DEFAULT_MAX_MEMORY_BYTES >> 20;

  @Option(names = "--max-execution-seconds", paramLabel = "N",
      description = "time of one read-only statement")
  @Range(min = 1, max = 3600)
  long maxExecutionSeconds = ReadOnlyAccess.DEFAULT_MAX_EXECUTION_TIME.toSeconds();

  @Option(names = "--max-result-mb", paramLabel = "N",
      description = "result size of one read-only statement")
  @Range(min = 1, max = 1 << 20)
  long maxResultMb = ReadOnlyAccess.DEFAULT_MAX_RESULT_BYTES >> 20;

  @Option(names = "--max-body-mb", paramLabel = "N", description = {"largest request body (default "
      + (ClickHouseHttpServer.Config.DEFAULT_MAX_BODY_BYTES >> 20) + "; "
      + (ClickHouseHttpServer.Config.DEFAULT_MAX_WRITE_BODY_BYTES >> 20)
      + " with --allow-writes)"})
  @Range(min = 1, max = 4096)
  Long maxBodyMb;

  @Mixin EmbeddedStoreOptions store;

  @Mixin ConnectionOptions connections;

  @Override
  public int run(PrintStream out, PrintStream err) throws InterruptedException {
    var limits = new ReadOnlyAccess(ReadOnlyAccess.DEFAULT_CONNECTIONS, maxMemoryMb << 20,
        Duration.ofSeconds(maxExecutionSeconds), maxResultMb << 20);
    long maxBody = maxBodyMb != null ? maxBodyMb << 20 : allowWrites
        ? ClickHouseHttpServer.Config.DEFAULT_MAX_WRITE_BODY_BYTES
        : ClickHouseHttpServer.Config.DEFAULT_MAX_BODY_BYTES;
    String given = password != null ? password : System.getenv(FacadePassword.ENV);
    String resolved = FacadePassword.resolve(given, store.dataDir, out);
    var config = new ClickHouseHttpServer.Config(host, port, user, resolved, allowWrites,
        strip(allowedHosts), strip(allowedOrigins), maxBody, threads);
    Problems problems = new Problems();
    var connectionLimits = connections.limits(problems);
    problems.check(spec);

    try (Lifecycle life = Lifecycle.start(spec.qualifiedName(), Duration.ofSeconds(30), err)) {
      Store engine = life.open(store.config(limits));
      ClickHouseHttpServer server = life.add(
          new ClickHouseHttpServer(engine, config).connectionLimits(connectionLimits).start());
      out.printf("naap clickhouse-http: serving %s at %s (%s)%n"
          + "  e.g. curl -u %s:PASSWORD '%s?query=SELECT+1'%n", engine.description(), server.url(),
          allowWrites ? "writes allowed" : "read-only", user, server.url());
      out.flush();
      life.awaitStop();
      return 0;
    }
  }

  private static List<String> strip(List<String> values) {
    return values.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
