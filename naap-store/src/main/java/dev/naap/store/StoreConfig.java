package dev.naap.store;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** Where a {@link Store} keeps its data. Records: immutable and thread-safe. */
public sealed interface StoreConfig {

  /**
   * The embedded engine (libchdb) in this process.
   *
   * @param dataDir the engine's storage directory; default {@code ./naap-data}. libchdb allows one
   *     storage directory per process.
   * @param connections how many statements may run at once (one engine connection each); default
   *     4, range 1..64. Only the first store opened in a process decides this.
   * @param readOnly extra connections for untrusted SQL, locked read-only by the engine (see
   *     {@link Stores#readOnly(Store)}); default null: none. Only the first store decides this.
   */
  record Embedded(Path dataDir, int connections, ReadOnlyAccess readOnly) implements StoreConfig {
    /** Default storage directory, relative to the working directory. */
    public static final Path DEFAULT_DATA_DIR = Path.of("naap-data");
    /** Default number of engine connections. */
    public static final int DEFAULT_CONNECTIONS = 4;
    /** Most engine connections allowed. */
    public static final int MAX_CONNECTIONS = 64;

    public Embedded {
      Objects.requireNonNull(dataDir, "dataDir");
      if (connections < 1 || connections > MAX_CONNECTIONS) {
        throw new IllegalArgumentException(
            "connections=" + connections + " is outside 1.." + MAX_CONNECTIONS);
      }
    }

    /** {@code dataDir} with {@code connections} and no read-only connections. */
    public Embedded(Path dataDir, int connections) {
      this(dataDir, connections, null);
    }

    /** {@code ./naap-data} with 4 connections. */
    public Embedded() {
      this(DEFAULT_DATA_DIR, DEFAULT_CONNECTIONS);
    }

    /** {@code dataDir} with 4 connections. */
    public Embedded(Path dataDir) {
      this(dataDir, DEFAULT_CONNECTIONS);
    }
  }

  /**
   * A ClickHouse server reached over its HTTP interface.
   *
   * @param url for example {@code http://localhost:8123/}; http or https
   * @param user sent as {@code X-ClickHouse-User}; null means {@code default}
   * @param password sent as {@code X-ClickHouse-Key}; null means empty
   * @param database created if missing; null means {@code naap}
   * @param connections how many requests may run at once; default 8, range 1..64
   * @param requestTimeout how long one request may take, connecting included; default 60 s. A
   *     server behind an API should answer within the API's own query timeout: give less.
   * @param cluster the ClickHouse cluster (a name in the server's {@code remote_servers}) that the
   *     migrations are applied to, ON CLUSTER with replicated tables (docs/CLUSTER.md); null: a
   *     single server, with the single-node schema
   */
  record Server(URI url, String user, String password, String database, int connections,
      Duration requestTimeout, String cluster) implements StoreConfig {
    /** Default number of concurrent requests. */
    public static final int DEFAULT_CONNECTIONS = 8;
    /** Default request timeout. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    public Server {
      Objects.requireNonNull(url, "url");
      String scheme = url.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException("url=" + url + " must be http:// or https://");
      }
      if (url.getHost() == null) {
        throw new IllegalArgumentException("url=" + url + " has no host");
      }
      user = user == null || user.isEmpty() ? "default" : user;
      password = password == null ? "" : password;
      database = database == null || database.isBlank() ? Stores.DEFAULT_DATABASE : database;
      if (connections < 1 || connections > Embedded.MAX_CONNECTIONS) {
        throw new IllegalArgumentException(
            "connections=" + connections + " is outside 1.." + Embedded.MAX_CONNECTIONS);
      }
      Objects.requireNonNull(requestTimeout, "requestTimeout");
      if (requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException(
            "requestTimeout=" + requestTimeout + " must be positive");
      }
      if (cluster != null && !cluster.matches("[A-Za-z0-9_]{1,100}")) {
        throw new IllegalArgumentException(
            "cluster='" + cluster + "': use 1 to 100 of A-Z a-z 0-9 _");
      }
    }

    /** A single server. */
    public Server(URI url, String user, String password, String database, int connections,
        Duration requestTimeout) {
      this(url, user, password, database, connections, requestTimeout, null);
    }

    /** With 8 connections and a 60 s request timeout. */
    public Server(URI url, String user, String password, String database) {
      this(url, user, password, database, DEFAULT_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT);
    }

    /** The same server with another request timeout. */
    public Server withRequestTimeout(Duration timeout) {
      return new Server(url, user, password, database, connections, timeout, cluster);
    }

    /** The same server, its migrations applied to {@code name} (null: none). */
    public Server withCluster(String name) {
      return new Server(url, user, password, database, connections, requestTimeout, name);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
      return "Server[url=" + url + ", user=" + user + ", database=" + database + ", connections="
          + connections + ", requestTimeout=" + requestTimeout
          + (cluster == null ? "" : ", cluster=" + cluster) + "]";
    }
  }
}
