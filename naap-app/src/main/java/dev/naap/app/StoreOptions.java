package dev.naap.app;

import dev.naap.store.StoreConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;

/**
 * The options every command that touches the store shares: the embedded engine in a data
 * directory (the default), or a ClickHouse server over HTTP when {@code --clickhouse-url} is given.
 */
final class StoreOptions {

  static final Set<String> NAMES = Set.of("data-dir", "connections", "clickhouse-url",
      "clickhouse-user", "clickhouse-password", "clickhouse-database", "cluster");

  static final String HELP = """
        --data-dir DIR             embedded store directory (default ./naap-data)
        --connections N            embedded engine connections (default 4)
        --clickhouse-url URL       use a ClickHouse server over HTTP instead, e.g. http://host:8123
        --clickhouse-user USER     (default "default")
        --clickhouse-password PW   (default $NAAP_CLICKHOUSE_PASSWORD, else empty)
        --clickhouse-database DB   (default naap)
        --cluster NAME             the server is a node of ClickHouse cluster NAME: migrations run
                                   ON CLUSTER with replicated tables (docs/CLUSTER.md)
      """;

  private StoreOptions() {}

  static StoreConfig from(Args args) {
    String url = args.get("clickhouse-url", null);
    int connections = args.integer("connections", 4, 1, 64);
    if (url == null) {
      if (args.get("cluster", null) != null) {
        args.error("--cluster needs --clickhouse-url");
      }
      return new StoreConfig.Embedded(Path.of(args.get("data-dir", "naap-data")), connections);
    }
    URI uri;
    try {
      uri = URI.create(url);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        args.error("--clickhouse-url: expected an http:// or https:// URL, got '" + url + "'");
      }
    } catch (IllegalArgumentException e) {
      args.error("--clickhouse-url: not a URL: '" + url + "'");
      uri = null;
    }
    String password = args.get("clickhouse-password",
        System.getenv().getOrDefault("NAAP_CLICKHOUSE_PASSWORD", ""));
    String cluster = args.get("cluster", null);
    if (cluster != null && !cluster.matches("[A-Za-z0-9_]{1,100}")) {
      args.error("--cluster: expected a name of A-Z a-z 0-9 _, got '" + cluster + "'");
      cluster = null;
    }
    return new StoreConfig.Server(uri, args.get("clickhouse-user", "default"), password,
        args.get("clickhouse-database", "naap")).withCluster(cluster);
  }
}
