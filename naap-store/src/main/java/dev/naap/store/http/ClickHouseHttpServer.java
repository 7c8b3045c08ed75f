package dev.naap.store.http;

import com.sun.net.httpserver.HttpServer;
import dev.naap.http.ErrorFormat;
import dev.naap.http.HttpServers;
import dev.naap.http.Limits;
import dev.naap.http.SendingBytes;
import dev.naap.store.Store;
import dev.naap.store.Stores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link Store} (normally the embedded engine) over the ClickHouse HTTP interface, so
 * that HTTP clients, including {@code StoreConfig.Server}, can use an embedded engine: {@code
 * GET|POST /?query=…} with SQL in the query or the body (joined by a newline for inserts, as
 * ClickHouse does), {@code database}, {@code default_format}, {@code param_<name>}, {@code /ping}.
 *
 * <p>Safe by default (docs/SECURITY.md): every request authenticates as ClickHouse's HTTP interface
 * does; a {@code Host} that is not an IP address, {@code localhost} or an allowed name (DNS
 * rebinding) and an {@code Origin} not explicitly allowed are refused; SQL runs on the engine's
 * read-only connections ({@link Stores#readOnly}), where ClickHouse itself refuses writes, settings
 * changes and every table function that reaches a file, URL or host, and holds each statement to
 * memory, time and result-size limits. With {@link Config#allowWrites()}, POST runs on the store's
 * ordinary connections, at most {@link Config#threads()} at once.
 *
 * <p>Thread-safe. HTTP exchanges run on virtual threads (a slow client holds no platform thread);
 * statements run on {@link Config#threads()} platform threads (engine calls block their thread),
 * with a short queue: beyond it, 503 with code 202.
 */
public final class ClickHouseHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClickHouseHttpServer.class);

  /**
   * How to serve.
   *
   * @param host address to bind; default {@code 127.0.0.1}
   * @param port TCP port; 0 picks a free one (see {@link #port()}); default 8123
   * @param user the one user; default {@code default}
   * @param password its password; required, never empty
   * @param allowWrites let POST write (DDL, inserts) on the ordinary connections; default false
   * @param allowedHosts host names accepted in {@code Host} besides IP addresses and {@code
   *     localhost}, lower case; default none
   * @param allowedOrigins browser origins accepted in {@code Origin}, such as {@code
   *     https://grafana.example.org}; default none (any request with an Origin is refused)
   * @param maxBodyBytes largest request body; default 1 MiB read-only, 256 MiB with writes
   * @param threads statements run at once; default 4
   */
  public record Config(String host, int port, String user, String password, boolean allowWrites,
      List<String> allowedHosts, List<String> allowedOrigins, long maxBodyBytes, int threads) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8123;
    public static final String DEFAULT_USER = "default";
    public static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;
    public static final long DEFAULT_MAX_WRITE_BODY_BYTES = 256L << 20;
    public static final int DEFAULT_THREADS = 4;

    public Config {
      host = host == null || host.isBlank() ? DEFAULT_HOST : host;
      user = user == null || user.isBlank() ? DEFAULT_USER : user;
      allowedHosts = allowedHosts == null ? List.of()
          : allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
      allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
      List<String> errors = new ArrayList<>();
      if (password == null || password.isEmpty()) {
        errors.add("password: required (a generated one will do)");
      }
      if (port < 0 || port > 65535) {
        errors.add("port=" + port + " is outside 0..65535");
      }
      if (maxBodyBytes < 1) {
        errors.add("maxBodyBytes=" + maxBodyBytes + " must be at least 1");
      }
      if (threads < 1 || threads > 64) {
        errors.add("threads=" + threads + " is outside 1..64");
      }
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException("invalid ClickHouseHttpServer.Config: "
            + String.join("; ", errors));
      }
    }

    /** Read-only, on loopback {@code port} (0 for any), user {@code default}, default limits. */
    public static Config loopback(int port, String password) {
      return new Config(DEFAULT_HOST, port, DEFAULT_USER, password, false, List.of(), List.of(),
          DEFAULT_MAX_BODY_BYTES, DEFAULT_THREADS);
    }

    /** This config with writes allowed and the write body limit. */
    public Config withWrites() {
      return new Config(host, port, user, password, true, allowedHosts, allowedOrigins,
          Math.max(maxBodyBytes, DEFAULT_MAX_WRITE_BODY_BYTES), threads);
    }

    /** This config with another user and password. */
    public Config withAuth(String user, String password) {
      return new Config(host, port, user, password, allowWrites, allowedHosts, allowedOrigins,
          maxBodyBytes, threads);
    }

    /** This config with these browser origins and host names allowed. */
    public Config withAllowed(List<String> hosts, List<String> origins) {
      return new Config(host, port, user, password, allowWrites, hosts, origins, maxBodyBytes,
          threads);
    }

    /** This config with another body limit. */
    public Config withMaxBodyBytes(long maxBodyBytes) {
      return new Config(host, port, user, password, allowWrites, allowedHosts, allowedOrigins,
          maxBodyBytes, threads);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
      return "Config[host=" + host + ", port=" + port + ", user=" + user + ", allowWrites="
          + allowWrites + ", allowedHosts=" + allowedHosts + ", allowedOrigins=" + allowedOrigins
          + ", maxBodyBytes=" + maxBodyBytes + ", threads=" + threads + "]";
    }
  }

  private final Store store;
  private final Config config;

  /**
   * Bytes of results that may be on their way to clients at once. A result is held in the heap
   * until its client has read it, at the client's pace: without a bound, clients that read slowly
   * (or not at all, up to the idle timeout) could hold any number of 64 MiB results (measured:
   * each non-reading connection held its whole result). Four of the largest read-only results;
   * an address may hold one part in {@link SendingBytes#CLIENT_SHARES} of it, one such result.
   */
  public static final long DEFAULT_SENDING_BYTES = 256L << 20;

  private Limits limits = Limits.defaults();
  private long sendingBytes = DEFAULT_SENDING_BYTES;
  private HttpServer server;
  private ThreadPoolExecutor statements;

  /**
   * A server for {@code store}; call {@link #start()}. The store stays owned by the caller. A
   * read-only server needs an embedded store whose engine has read-only connections ({@code
   * StoreConfig.Embedded.readOnly}).
   */
  public ClickHouseHttpServer(Store store, Config config) {
    this.store = Objects.requireNonNull(store, "store");
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Connection caps and read deadlines ({@link Limits#defaults()} unless set before start). */
  public synchronized ClickHouseHttpServer connectionLimits(Limits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    return this;
  }

  /**
   * Bytes of results on their way to clients at once ({@link #DEFAULT_SENDING_BYTES} unless set
   * before start): a result that does not fit is refused with 503 (code 202) and the client may
   * retry; a result larger than all of it is sent when nothing else is. An address may hold
   * {@code 1/}{@link SendingBytes#CLIENT_SHARES} of it.
   */
  public synchronized ClickHouseHttpServer sendingBytes(long bytes) {
    if (bytes < 1 || bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("sendingBytes=" + bytes + " is outside 1.."
          + Integer.MAX_VALUE);
    }
    this.sendingBytes = bytes;
    return this;
  }

  /** Binds and starts serving. */
  public synchronized ClickHouseHttpServer start() {
    if (server != null) {
      throw new IllegalStateException("already started on port " + port());
    }
    Store readStore = readOnlyView(store, config.allowWrites());
    InetAddress address;
    try {
      address = InetAddress.getByName(config.host());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown host " + config.host(), e);
    }
    try {
      server = HttpServers.create("naap-clickhouse-http",
          new InetSocketAddress(address, config.port()), limits, ErrorFormat.PLAIN_TEXT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port(), e);
    }
    AtomicInteger n = new AtomicInteger();
    statements = new ThreadPoolExecutor(config.threads(), config.threads(), 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(config.threads() * 4),
        r -> Thread.ofPlatform().daemon().name("naap-clickhouse-http-" + n.incrementAndGet())
            .unstarted(r));
    server.createContext("/", new RequestHandler(store, readStore, config, statements,
        new SendingBytes(sendingBytes)));
    server.start();
    log.info("serving {} over the ClickHouse HTTP interface at {} ({})", store.description(),
        url(), config.allowWrites() ? "writes allowed" : "read-only");
    return this;
  }

  /** The read-only view of {@code store}; null only when writes are allowed and it has none. */
  private static Store readOnlyView(Store store, boolean allowWrites) {
    try {
      return Stores.readOnly(store);
    } catch (IllegalStateException | UnsupportedOperationException e) {
      if (allowWrites) {
        return null;
      }
      throw new IllegalArgumentException("a read-only ClickHouse HTTP server needs an embedded"
          + " store with read-only connections (StoreConfig.Embedded.readOnly): " + e.getMessage(),
          e);
    }
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

  /** The configuration, password included. */
  public Config config() {
    return config;
  }

  /**
   * Stops accepting requests and releases the port. The statements under way are interrupted
   * first: the store cancels a running read (a long one held the stop for the server's whole
   * grace of 10 s) and lets a running write finish; the queued ones are cancelled.
   */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    for (Runnable queued : statements.shutdownNow()) {
      // Each was submitted: its request waits on the Future, which ends it with a cancellation.
      if (queued instanceof java.util.concurrent.Future<?> statement) {
        statement.cancel(false);
      }
    }
    server.stop(5);
    server = null;
    statements = null;
  }

  @Override
  public void close() {
    stop();
  }
}
