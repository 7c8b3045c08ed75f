package dev.naap.app;

import dev.naap.store.StoreConfig;
import dev.naap.store.Stores;
import java.net.URI;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every command that touches the store shares: the embedded engine in a data
 * directory (the default), or a ClickHouse server over HTTP when {@code --clickhouse-url} is given.
 */
final class StoreOptions {

  static final String PASSWORD_ENV = "NAAP_CLICKHOUSE_PASSWORD";

  @Mixin EmbeddedStoreOptions embedded;

  @Option(names = "--clickhouse-url", paramLabel = "URL",
      description = "use a ClickHouse server over HTTP instead, e.g. http://host:8123")
  String url;

  @Option(names = "--clickhouse-user", paramLabel = "USER", description = "its user")
  String user = "default";

  @Option(names = "--clickhouse-password", paramLabel = "PW",
      description = "its password (default $" + PASSWORD_ENV + ", else empty)")
  String password;

  @Option(names = "--clickhouse-database", paramLabel = "DB", description = "its database")
  String database = Stores.DEFAULT_DATABASE;

  @Option(names = "--cluster", paramLabel = "NAME", description = {"the server is a node of "
      + "ClickHouse cluster NAME: migrations run ON CLUSTER with replicated tables "
      + "(docs/CLUSTER.md)"})
  String cluster;

  /** The store these options give; problems go to {@code problems}. */
  StoreConfig config(Problems problems) {
    if (url == null) {
      if (cluster != null) {
        problems.add("--cluster needs --clickhouse-url");
      }
      return embedded.config(null);
    }
    URI uri = null;
    try {
      uri = URI.create(url);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        problems.add("--clickhouse-url: expected an http:// or https:// URL, got '" + url + "'");
        uri = null;
      }
    } catch (IllegalArgumentException e) {
      problems.add("--clickhouse-url: not a URL: '" + url + "'");
    }
    String name = this.cluster;
    if (name != null && !name.matches("[A-Za-z0-9_]{1,100}")) {
      problems.add("--cluster: expected a name of A-Z a-z 0-9 _, got '" + name + "'");
      name = null;
    }
    if (uri == null) {
      return null;
    }
    String pw = password != null ? password : System.getenv().getOrDefault(PASSWORD_ENV, "");
    URI server = uri;
    String cluster = name;
    return problems.attempt(() -> new StoreConfig.Server(server, user, pw, database)
        .withCluster(cluster));
  }
}
