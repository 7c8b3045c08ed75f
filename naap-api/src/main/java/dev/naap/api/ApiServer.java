package dev.naap.api;

import com.sun.net.httpserver.HttpServer;
import dev.naap.http.ErrorFormat;
import dev.naap.http.HttpServers;
import dev.naap.http.Limits;
import dev.naap.http.SendingBytes;
import dev.naap.metrics.query.MetricsQueries;
import dev.naap.metrics.query.TestLoadResults;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;

/**
 * The public REST API v1 over {@link HttpServers} (Jetty), one virtual thread per request: the
 * routes of docs/API.md, static files mounted at URL prefixes (the dashboard at {@code /}), and the
 * operational routes. Thread-safe; {@link #mount} before {@link #start}.
 *
 * <pre>{@code
 * try (ApiServer server = new ApiServer(ApiConfig.defaults(), queries, DatasetCatalog.empty(),
 *     TestLoadResults.none(), readiness, PrometheusRegistry.defaultRegistry, InstantSource.system())
 *     .mount("/", "dev/naap/dashboard/static/").start()) {
 *   System.out.println(server.url());
 * }
 * }</pre>
 */
public final class ApiServer implements AutoCloseable {

  /** The errors the server answers before the dispatcher: problem+json like every other. */
  private static final ErrorFormat PROBLEMS = new ErrorFormat() {
    @Override
    public String contentType() {
      return Problems.MEDIA_TYPE;
    }

    @Override
    public byte[] body(int status, String title, String detail) {
      return Problems.response(new ApiProblem(status, title, detail, null), null).body();
    }
  };

  /**
   * Bytes of answers computed for their request that may be on their way to clients at once. Such
   * an answer is held in the heap until its client has read it, at the client's pace (a client
   * that does not read holds it until the idle timeout fails the write): clients from many
   * networks could hold any number of them. A page is at most 1 000 rows (135 KB of GPU metrics
   * in ApiSecurityTest), a daily export at most 200 pages: 64 MiB, the response cache's size
   * again, is an eighth of a 512 MB heap. Answers from the cache are shared, not copied, and do
   * not count. A client holds at most a share of it ({@link SendingBytes#CLIENT_SHARES}).
   */
  public static final long DEFAULT_SENDING_BYTES = 64L << 20;

  private final ApiConfig config;
  private final StaticFiles files = new StaticFiles(ApiServer.class.getClassLoader());
  private final List<Route> routes;
  private final QueryRunner runner;
  private final Dispatcher dispatcher;
  private final ResponseCache cache;
  private final RefreshAhead refreshAhead;
  private final MetricsQueries queries;
  private final DiscoverEndpoint discovery;
  private final LocalRateLimiter local;
  private final Readiness readiness;
  private final PrometheusRegistry registry;
  private final InstantSource clock;
  private RedisRateLimiter shared;
  private volatile String openApi;
  private Limits limits = Limits.defaults();
  private HttpServer server;

  /** A server whose test-load routes answer with no rows ({@link TestLoadResults#none()}). */
  public ApiServer(
      ApiConfig config,
      MetricsQueries queries,
      DatasetCatalog datasets,
      Readiness readiness,
      PrometheusRegistry registry,
      InstantSource clock) {
    this(config, queries, datasets, TestLoadResults.none(), readiness, registry, clock);
  }

  /**
   * @param datasets the load tester's datasets; the daily metric exports are added to them
   * @param testLoad the load tester's results, served at {@code /v1/test-load/...}
   * @param registry where the API's metrics are registered (serve it on a management port)
   */
  public ApiServer(
      ApiConfig config,
      MetricsQueries queries,
      DatasetCatalog datasets,
      TestLoadResults testLoad,
      Readiness readiness,
      PrometheusRegistry registry,
      InstantSource clock) {
    this(config, queries, datasets, testLoad, Operations.none(), readiness, registry, clock);
  }

  /**
   * @param datasets the load tester's datasets; the daily metric exports are added to them
   * @param testLoad the load tester's results, served at {@code /v1/test-load/...}
   * @param operations the operational figures, served at {@code /v1/operations}
   * @param registry where the API's metrics are registered (served at {@code /metrics})
   */
  public ApiServer(
      ApiConfig config,
      MetricsQueries queries,
      DatasetCatalog datasets,
      TestLoadResults testLoad,
      Operations operations,
      Readiness readiness,
      PrometheusRegistry registry,
      InstantSource clock) {
    this.config = config;
    this.queries = queries;
    var signer = new Signer(config.secret().getBytes(StandardCharsets.UTF_8));
    this.runner = new QueryRunner(config.maxConcurrentQueries(), config.queryTimeout());
    var services =
        new Services(queries, new QueryParser(queries, signer, config.maxRange()), signer, runner);
    this.discovery = new DiscoverEndpoint(services);
    var catalog = DatasetCatalog.concat(datasets, new DailyExports(queries, clock));
    this.routes = Routes.all(services, new DatasetEndpoints(catalog, runner),
        new TestLoadEndpoints(testLoad, signer, runner, config.maxRange()),
        new OperationsEndpoint(operations, queries, runner),
        new SystemEndpoints(this::ready, this::openApiDocument), discovery);
    this.readiness = readiness;
    this.registry = registry;
    this.clock = clock;
    var tokens = new DashboardTokens(signer, clock);
    this.local = new LocalRateLimiter(config.quotaWindow(), clock);
    this.cache = new ResponseCache(config.cacheBytes(), clock);
    this.refreshAhead = new RefreshAhead(cache);
    this.dispatcher = new Dispatcher(routes, files, new ClientResolver(config, tokens),
        local, cache, refreshAhead,
        new ApiMetrics(registry), tokens, clock, config.quotaWindow().toSeconds(),
        new SendingBytes(DEFAULT_SENDING_BYTES));
  }

  /**
   * Service URLs that {@code /v1/discover/orchestrators} answers when the store fails before it has
   * a good answer to repeat (docs/API.md, "Discovery"); none by default.
   *
   * @throws IllegalArgumentException when one is not an absolute URL
   */
  public ApiServer discoveryFallback(List<String> urls) {
    discovery.fallback(urls);
    return this;
  }

  /**
   * Counts quotas in the Redis at {@code redisUrl} ({@code
   * redis://[user:password@]host:port[/db]}), shared with every instance that uses it; while Redis
   * fails, this instance counts alone and {@code /ready} and {@code naap_api_quota_shared} say so.
   * Call before {@link #start()}.
   */
  public synchronized ApiServer sharedQuotas(java.net.URI redisUrl) {
    if (shared != null) {
      throw new IllegalStateException("quotas are already shared");
    }
    shared = new RedisRateLimiter(redisUrl, config.quotaWindow(), local, clock, registry);
    dispatcher.useLimiter(shared);
    return this;
  }

  /** The store's readiness, and where quotas are counted (which never makes it unready). */
  private Readiness.Status ready() {
    Readiness.Status status = readiness.check();
    var checks = new java.util.LinkedHashMap<>(status.checks());
    checks.putAll(dispatcher.quotaStatus());
    return new Readiness.Status(status.ready(), checks);
  }

  /**
   * Serves the class path directory {@code classpathDirectory} (such as {@code
   * dev/naap/dashboard/static/}) at {@code urlPrefix} (such as {@code /}); routes take precedence.
   */
  public ApiServer mount(String urlPrefix, String classpathDirectory) {
    files.mount(urlPrefix, classpathDirectory);
    return this;
  }

  /** Connection caps and read deadlines ({@link Limits#defaults()} unless set before start). */
  public synchronized ApiServer connectionLimits(Limits limits) {
    this.limits = java.util.Objects.requireNonNull(limits, "limits");
    return this;
  }

  /**
   * Bytes of answers being sent at once ({@link #DEFAULT_SENDING_BYTES} unless set before start):
   * an answer that does not fit is 503 with {@code Retry-After}; one larger than all of it is sent
   * when nothing else is. A client may hold {@code 1/}{@link SendingBytes#CLIENT_SHARES} of it.
   */
  public synchronized ApiServer sendingBytes(long bytes) {
    dispatcher.useSending(new SendingBytes(bytes));
    return this;
  }

  /** Starts listening; the address is {@link #url()}. */
  public synchronized ApiServer start() {
    try {
      server = HttpServers.create("naap-api",
          new InetSocketAddress(config.host(), config.port()), limits, PROBLEMS);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port(), e);
    }
    server.createContext("/", dispatcher);
    server.start();
    return this;
  }

  /** Where the server listens, such as {@code http://127.0.0.1:8080/}. */
  public synchronized URI url() {
    var address = server.getAddress();
    String host = address.getAddress().getHostAddress();
    return URI.create(
        "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + "/");
  }

  /** The OpenAPI 3.1 document of this server, as served at {@code /openapi.json}. */
  public String openApiDocument() {
    String doc = openApi;
    if (doc == null) {
      doc = OpenApi.document(routes, queries);
      openApi = doc;
    }
    return doc;
  }

  /** Bytes of the budget of answers being sent that no answer holds now. */
  long sendingBytesFreeForTests() {
    return dispatcher.sendingBytesFree();
  }

  /** Bytes the response cache holds now. */
  long cacheBytesForTests() {
    return cache.weightedSize();
  }

  /**
   * Stops accepting requests, lets those in flight finish (up to 2 s), and releases the threads.
   */
  @Override
  public synchronized void close() {
    refreshAhead.close();
    runner.close(); // cancels queries in flight: their requests are answered 503 at once
    if (server != null) {
      server.stop(2);
      server = null;
    }
    if (shared != null) {
      shared.close();
    }
  }
}
