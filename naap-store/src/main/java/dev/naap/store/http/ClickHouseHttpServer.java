package dev.naap.store.http;

import com.sun.net.httpserver.HttpServer;
import dev.naap.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link Store} (normally the embedded engine) over the ClickHouse HTTP interface, so
 * that HTTP clients, including {@code StoreConfig.Server}, can use an embedded engine: {@code
 * GET|POST /?query=…} with SQL in the query or the body (joined by a newline for inserts, as
 * ClickHouse does), {@code database}, {@code default_format}, {@code param_<name>}, {@code /ping}.
 * GET is read-only (code 164, READONLY). Errors come back with ClickHouse's status mapping, the
 * {@code X-ClickHouse-Exception-Code} header and the exception text as the body. Other settings
 * in the URL are ignored, because applying them would leak into pooled engine connections.
 *
 * <p>Thread-safe. Requests run on a fixed pool of {@link Config#threads()} platform threads
 * (engine calls block their thread, so virtual threads would pin their carriers); statements then
 * wait for a free engine connection as any caller does.
 */
public final class ClickHouseHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClickHouseHttpServer.class);

  /**
   * How to serve.
   *
   * @param host address to bind; default {@code 127.0.0.1}. A non-loopback address needs a user.
   * @param port TCP port; 0 picks a free one (see {@link #port()}); default 8123
   * @param user when not null, requests must authenticate as this user ({@code
   *     X-ClickHouse-User}/{@code X-ClickHouse-Key}, Basic auth, or {@code user}/{@code password}
   *     parameters); default null: no authentication
   * @param password the user's password; null means empty
   * @param maxBodyBytes largest request body accepted; default 256 MiB
   * @param threads requests handled at once; default 8
   */
  public record Config(String host, int port, String user, String password, long maxBodyBytes,
      int threads) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8123;
    public static final long DEFAULT_MAX_BODY_BYTES = 256L << 20;
    public static final int DEFAULT_THREADS = 8;

    public Config {
      host = host == null || host.isBlank() ? DEFAULT_HOST : host;
      password = password == null ? "" : password;
      StringBuilder errors = new StringBuilder();
      if (port < 0 || port > 65535) {
        errors.append(" port=").append(port).append(" is outside 0..65535;");
      }
      if (maxBodyBytes < 1) {
        errors.append(" maxBodyBytes=").append(maxBodyBytes).append(" must be at least 1;");
      }
      if (threads < 1 || threads > 1024) {
        errors.append(" threads=").append(threads).append(" is outside 1..1024;");
      }
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException("invalid ClickHouseHttpServer.Config:" + errors);
      }
    }

    /** Loopback, no authentication, default limits, on {@code port} (0 for any free port). */
    public static Config loopback(int port) {
      return new Config(DEFAULT_HOST, port, null, null, DEFAULT_MAX_BODY_BYTES, DEFAULT_THREADS);
    }

    /** This config with a required user and password. */
    public Config withAuth(String user, String password) {
      return new Config(host, port, user, password, maxBodyBytes, threads);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
      return "Config[host=" + host + ", port=" + port + ", user=" + user + ", maxBodyBytes="
          + maxBodyBytes + ", threads=" + threads + "]";
    }
  }

  private final Store store;
  private final Config config;
  private HttpServer server;
  private ExecutorService executor;

  /** A server for {@code store}; call {@link #start()}. The store stays owned by the caller. */
  public ClickHouseHttpServer(Store store, Config config) {
    this.store = Objects.requireNonNull(store, "store");
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Binds and starts serving. */
  public synchronized ClickHouseHttpServer start() {
    if (server != null) {
      throw new IllegalStateException("already started on port " + port());
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(config.host());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown host " + config.host(), e);
    }
    if (!address.isLoopbackAddress() && config.user() == null) {
      throw new IllegalArgumentException("refusing to serve " + store.description() + " on "
          + config.host() + " without authentication; set Config.user, or bind a loopback address");
    }
    try {
      server = HttpServer.create(new InetSocketAddress(address, config.port()), 128);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port(), e);
    }
    AtomicInteger n = new AtomicInteger();
    executor = Executors.newFixedThreadPool(config.threads(),
        r -> Thread.ofPlatform().daemon().name("naap-clickhouse-http-" + n.incrementAndGet())
            .unstarted(r));
    RequestHandler handler = new RequestHandler(store, config);
    server.createContext("/", handler);
    server.setExecutor(executor);
    server.start();
    log.info("serving {} over the ClickHouse HTTP interface at {}", store.description(), url());
    return this;
  }

  /** The bound port. */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.getAddress().getPort();
  }

  /** For example {@code http://127.0.0.1:8123/}. */
  public synchronized URI url() {
    String host = server.getAddress().getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** Stops accepting requests, lets running ones finish (up to 5 s) and releases the port. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.stop(5);
    executor.shutdown();
    server = null;
    executor = null;
  }

  @Override
  public void close() {
    stop();
  }
}
