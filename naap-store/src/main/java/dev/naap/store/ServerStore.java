package dev.naap.store;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A ClickHouse server through its HTTP interface, with {@code java.net.http}. Thread-safe.
 *
 * <p>Every request carries {@code wait_end_of_query=1}, so the server buffers the result and an
 * error becomes a non-200 status with {@code X-ClickHouse-Exception-Code}, never a 200 with the
 * exception appended to a half-sent body. Credentials go in {@code X-ClickHouse-User}/{@code
 * X-ClickHouse-Key}, never in the URL.
 */
final class ServerStore implements Store {
  /** Well under any API query timeout: an unreachable server is reported within it. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  /** Requests that may wait for a free connection; one more fails at once with code 202. */
  static final int QUEUE_CAPACITY = 64;
  /** Insert settings made explicit, as on the embedded engine (see EmbeddedEngine). */
  static final Map<String, String> INSERT_SETTINGS = insertSettings();

  private final StoreConfig.Server config;
  private final String database;
  private final HttpClient client;
  private final Workers<HttpClient> workers;
  private final URI base;
  /** Null for a borrowed view, which does not own {@link #client}. */
  private final AtomicBoolean closed;

  private ServerStore(StoreConfig.Server config, String database, HttpClient client,
      Workers<HttpClient> workers, boolean owning) {
    this.config = config;
    this.database = database;
    this.client = client;
    this.workers = workers;
    this.closed = owning ? new AtomicBoolean() : null;
    String url = config.url().toString();
    int q = url.indexOf('?');
    url = q >= 0 ? url.substring(0, q) : url;
    this.base = URI.create(url.endsWith("/") ? url : url + "/");
  }

  static ServerStore open(StoreConfig.Server config) {
    Duration connect = config.requestTimeout().compareTo(CONNECT_TIMEOUT) < 0
        ? config.requestTimeout() : CONNECT_TIMEOUT;
    HttpClient client = HttpClient.newBuilder()
        .connectTimeout(connect)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
    // Platform threads, as for the embedded engine: one executor per store, sized to its
    // connections, so that callers wait for a future and a full queue answers "busy" at once.
    Workers<HttpClient> workers = new Workers<>("naap-clickhouse-http", config.connections(),
        QUEUE_CAPACITY, i -> client, c -> { });
    return new ServerStore(config, config.database(), client, workers, true);
  }

  private static Map<String, String> insertSettings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("async_insert", "0");
    m.put("wait_for_async_insert", "1");
    m.put("insert_deduplicate", "1");
    m.put("date_time_input_format", "best_effort");
    return Map.copyOf(m);
  }

  /** Creates the database unless it exists (server default engine). */
  void createDatabase() {
    createDatabase(null);
  }

  /** Creates the database if missing, on every node of {@code cluster} when not null. */
  void createDatabase(String cluster) {
    String sql = "CREATE DATABASE IF NOT EXISTS " + Identifiers.quote(database)
        + (cluster == null ? "" : " ON CLUSTER " + cluster);
    send(sql, null, Map.of(), List.of(), "TabSeparated", sql.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A third of the facade's 128 KiB request line: URL encoding at most triples a parameter's text,
   * so a statement within it reaches a ClickHouse server or the facade whole.
   */
  @Override
  public int maxParamChars() {
    return 40_000;
  }

  @Override
  public byte[] query(String sql, Map<String, ?> params, String format) {
    checkOpen();
    EmbeddedStore.checkStatement(sql);
    EmbeddedStore.checkFormat(format);
    List<QueryParams.Param> encoded = QueryParams.encode(params);
    return send(sql, database, Map.of(), encoded, format, sql.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void insert(String insertStatement, byte[] data) {
    checkOpen();
    EmbeddedStore.checkStatement(insertStatement);
    Objects.requireNonNull(data, "data");
    if (!SqlText.firstKeyword(insertStatement).equals("INSERT")) {
      throw new IllegalArgumentException("not an INSERT statement: " + insertStatement);
    }
    Map<String, String> extra = new LinkedHashMap<>(INSERT_SETTINGS);
    extra.put("query", insertStatement);
    send(insertStatement, database, extra, List.of(), "TabSeparated", data);
  }

  private byte[] send(String sqlForErrors, String db, Map<String, String> extra,
      List<QueryParams.Param> params, String format, byte[] body) {
    // The request's own timeout bounds the wait once it runs; waiting for a free connection
    // is bounded by the same time.
    return workers.call(c -> sendNow(sqlForErrors, db, extra, params, format, body),
        config.requestTimeout());
  }

  private byte[] sendNow(String sqlForErrors, String db, Map<String, String> extra,
      List<QueryParams.Param> params, String format, byte[] body) {
    StringBuilder qs = new StringBuilder();
    if (db != null) {
      param(qs, "database", db);
    }
    param(qs, "default_format", format);
    param(qs, "wait_end_of_query", "1");
    extra.forEach((k, v) -> param(qs, k, v));
    for (QueryParams.Param p : params) {
      param(qs, "param_" + p.name(), p.text());
    }
    HttpRequest request = HttpRequest.newBuilder(base.resolve("?" + qs))
        .timeout(config.requestTimeout())
        .header("X-ClickHouse-User", config.user())
        .header("X-ClickHouse-Key", config.password())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    HttpResponse<byte[]> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      throw new StoreException(159, "no answer from ClickHouse server " + base + " within "
          + config.requestTimeout().toMillis() + " ms", sqlForErrors, e);
    } catch (IOException e) {
      throw new StoreException(0, "cannot reach ClickHouse server " + base + ": " + e, sqlForErrors,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(0, "interrupted while waiting for ClickHouse server " + base,
          sqlForErrors, e);
    }
    String codeHeader = response.headers().firstValue("X-ClickHouse-Exception-Code").orElse(null);
    if (response.statusCode() != 200 || codeHeader != null) {
      String text = new String(response.body(), StandardCharsets.UTF_8).strip();
      int code = parseCode(codeHeader, text);
      if (text.isEmpty()) {
        text = "HTTP " + response.statusCode() + " from " + base;
      }
      throw new StoreException(code, text, sqlForErrors);
    }
    return response.body();
  }

  private static int parseCode(String header, String text) {
    if (header != null) {
      try {
        return Integer.parseInt(header.strip());
      } catch (NumberFormatException e) {
        // fall through to the text
      }
    }
    return StoreException.codeOf(text);
  }

  private static void param(StringBuilder qs, String name, String value) {
    if (!qs.isEmpty()) {
      qs.append('&');
    }
    qs.append(encode(name)).append('=').append(encode(value));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public String database() {
    return database;
  }

  @Override
  public String description() {
    return "ClickHouse server " + base + " (database " + database + ", user " + config.user() + ")";
  }

  @Override
  public Store withDatabase(String other) {
    Identifiers.quote(other);
    return new ServerStore(config, other, client, workers, false);
  }

  @Override
  public void close() {
    if (closed != null && closed.compareAndSet(false, true)) {
      workers.close(Duration.ofSeconds(5));
      client.shutdownNow();
    }
  }

  private void checkOpen() {
    if (closed != null && closed.get()) {
      throw new StoreException(0, "this store (" + description() + ") is closed", null);
    }
  }

  @Override
  public String toString() {
    return "ServerStore[" + description() + "]";
  }
}
