package dev.naap.store.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.naap.http.BrowserGuard;
import dev.naap.http.Clients;
import dev.naap.http.SendingBytes;
import dev.naap.store.RawParam;
import dev.naap.store.Store;
import dev.naap.store.StoreException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one HTTP exchange into one {@link Store} call: checks Host, Origin and credentials, reads
 * the body within its limit, then runs the statement on the statement pool. Stateless; thread-safe.
 */
final class RequestHandler implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);
  private static final Pattern FORMAT_OR_VALUES =
      Pattern.compile("(?i)\\bVALUES\\b|\\bFORMAT\\s+[A-Za-z0-9_]+");
  static final int AUTHENTICATION_FAILED = 516;
  static final int MAX_QUERY_ID = 256;
  private static final Pattern QUERY_ID = Pattern.compile("[\\x20-\\x7e]{0," + MAX_QUERY_ID + "}");

  private final Store store;
  /** The store's read-only view; null when there is none (then writes are allowed). */
  private final Store readStore;
  private final ClickHouseHttpServer.Config config;
  private final BrowserGuard browsers;
  private final ExecutorService statements;
  private final ReadOnlyScreen screen = new ReadOnlyScreen();
  private final FailedLogins failedLogins = new FailedLogins(System::nanoTime);

  /** Bytes of results being sent now ({@link ClickHouseHttpServer#DEFAULT_SENDING_BYTES}). */
  private final SendingBytes sending;

  RequestHandler(Store store, Store readStore, ClickHouseHttpServer.Config config,
      ExecutorService statements, SendingBytes sending) {
    this.sending = sending;
    this.store = store;
    this.readStore = readStore;
    this.config = config;
    this.browsers = new BrowserGuard(config.allowedHosts(), config.allowedOrigins());
    this.statements = statements;
  }

  /** A failure to report to the client, before or instead of a store call. */
  static final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final int code;

    HttpError(int status, int code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
      try {
        checkHostAndOrigin(ex.getRequestHeaders());
      } catch (HttpError e) {
        sendError(ex, e);
        return;
      }
      if (path.equals("/ping")) {
        send(ex, 200, "text/plain; charset=UTF-8", "Ok.\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (!path.equals("/")) {
        sendError(ex, new HttpError(404, 0, "There is no handle " + path + "\n\nUse / or /ping"));
        return;
      }
      try {
        handleQuery(ex, method);
      } catch (HttpError e) {
        sendError(ex, e);
      } catch (StoreException e) {
        sendError(ex, new HttpError(httpStatus(e.code()), e.code(), e.serverMessage()));
      } catch (IllegalArgumentException e) {
        sendError(ex, new HttpError(400, 0, e.getMessage()));
      } catch (RuntimeException e) {
        log.warn("request failed: {} {}", method, ex.getRequestURI(), e);
        sendError(ex, new HttpError(500, 0, "the request failed; the server logged it"));
      }
    }
  }

  private void handleQuery(HttpExchange ex, String method) throws IOException, HttpError {
    boolean get = method.equals("GET") || method.equals("HEAD");
    if (!get && !method.equals("POST")) {
      throw new HttpError(405, 0, "method " + method + " is not supported; use GET or POST");
    }
    Map<String, String> params = parseQueryString(ex.getRequestURI().getRawQuery());
    InetAddress client = ex.getRemoteAddress().getAddress();
    long blocked = failedLogins.blockedSeconds(client);
    if (blocked > 0) {
      ex.getResponseHeaders().set("Retry-After", Long.toString(blocked));
      throw new HttpError(429, AUTHENTICATION_FAILED, "Code: 516. DB::Exception: too many failed"
          + " authentications from this address; retry in " + blocked + " s."
          + " (AUTHENTICATION_FAILED)");
    }
    try {
      authenticate(ex.getRequestHeaders(), params);
    } catch (HttpError e) {
      failedLogins.failed(client);
      throw e;
    }
    String queryId = params.get("query_id");
    if (queryId != null && !QUERY_ID.matcher(queryId).matches()) {
      // It is echoed in a header: a long one failed the answer after the statement ran.
      throw new HttpError(400, 0, "query_id must be at most " + MAX_QUERY_ID
          + " printable ASCII characters");
    }
    byte[] body = readBody(ex);
    String query = params.getOrDefault("query", "");
    if (get && query.isEmpty() && body.length == 0) {
      send(ex, 200, "text/plain; charset=UTF-8", "Ok.\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (query.isEmpty() && body.length == 0) {
      throw new HttpError(400, 62, "Code: 62. DB::Exception: Empty query. (SYNTAX_ERROR)");
    }
    boolean readOnly = get || !config.allowWrites()
        || !params.getOrDefault("readonly", "0").equals("0");
    String format = params.getOrDefault("default_format", "TabSeparated");
    String database = params.get("database");
    if (database == null || database.isEmpty()) {
      database = ex.getRequestHeaders().getFirst("X-ClickHouse-Database");
    }
    // Read-only requests run where the engine itself enforces readonly = 1, after the screen
    // (ReadOnlyScreen) has refused what the engine would let through.
    Store base = readOnly && readStore != null ? readStore : store;
    Store target = database == null || database.isEmpty() || database.equals(base.database())
        ? base
        : base.withDatabase(database);
    Map<String, Object> queryParams = new LinkedHashMap<>();
    params.forEach((k, v) -> {
      if (k.startsWith("param_")) {
        queryParams.put(k.substring("param_".length()), new RawParam(v));
      }
    });

    byte[] result =
        onStatementThread(() -> run(target, readOnly, query, body, queryParams, format));
    // Held until the client has read it: bounded in all, as slow readers set the pace.
    // A client (IPv6: its /64) may hold a share of it, so that one slow reader leaves the rest.
    String holder = Clients.of(client).getHostAddress();
    try (SendingBytes.Hold hold = sending.tryHold(holder, result.length)) {
      if (hold.refusal() != null) {
        throw new HttpError(503, 202, "Code: 202. DB::Exception: this result (" + result.length
            + " bytes) does not fit beside the results being sent to "
            + (hold.refusal() == SendingBytes.Refusal.CLIENT
                ? "this address now (an address may hold 1/" + SendingBytes.CLIENT_SHARES
                    + " of them); read those first or retry later"
                : "other clients now; retry later") + ". (TOO_MANY_SIMULTANEOUS_QUERIES)");
      }
      Headers h = ex.getResponseHeaders();
      h.set("X-ClickHouse-Format", format);
      h.set("X-ClickHouse-Query-Id", queryId != null ? queryId : UUID.randomUUID().toString());
      send(ex, 200, contentType(format), method.equals("HEAD") ? new byte[0] : result);
    }
  }

  /** Work for the statement pool. */
  @FunctionalInterface
  private interface Statement {
    byte[] run() throws HttpError;
  }

  /** Runs {@code work} on a platform thread of the statement pool, or refuses when it is full. */
  private byte[] onStatementThread(Statement work) throws HttpError {
    Future<byte[]> f;
    try {
      f = statements.submit(() -> work.run());
    } catch (RejectedExecutionException e) {
      throw new HttpError(503, 202, "Code: 202. DB::Exception: Too many simultaneous queries on"
          + " this server; retry later. (TOO_MANY_SIMULTANEOUS_QUERIES)");
    }
    try {
      return f.get();
    } catch (InterruptedException e) {
      // The client left (dev.naap.http.ClientGone) or the server stops: the statement's thread
      // is interrupted too, which cancels a running read in the engine.
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new HttpError(503, 0, "interrupted");
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case HttpError he -> throw he;
        case RuntimeException re -> throw re;
        case Error err -> throw err;
        default -> throw new IllegalStateException(e.getCause());
      }
    }
  }

  private byte[] run(Store target, boolean readOnly, String query, byte[] body,
      Map<String, Object> queryParams, String format) throws HttpError {
    byte[] result;
    if (!query.isEmpty() && body.length > 0) {
      // ClickHouse: the query parameter, a newline, then the body (normally insert data).
      checkReadOnly(readOnly, query);
      if (firstKeyword(query).equals("INSERT")) {
        insert(target, query, body, queryParams);
        result = new byte[0];
      } else {
        result = read(target, readOnly, query + "\n" + utf8(body), queryParams, format);
      }
    } else if (!query.isEmpty()) {
      checkReadOnly(readOnly, query);
      result = read(target, readOnly, query, queryParams, format);
    } else {
      String latin = new String(body, StandardCharsets.ISO_8859_1);
      checkReadOnly(readOnly, latin);
      int[] split = inlineInsertSplit(latin);
      if (split != null) {
        insert(target, utf8(Arrays.copyOfRange(body, 0, split[0])),
            Arrays.copyOfRange(body, split[1], body.length), queryParams);
        result = new byte[0];
      } else {
        result = read(target, readOnly, utf8(body), queryParams, format);
      }
    }
    return result;
  }

  /** Runs a statement that is no insert with data, screened first when the request is read-only. */
  private byte[] read(Store target, boolean readOnly, String sql, Map<String, Object> queryParams,
      String format) {
    if (readOnly) {
      screen.check(target, sql, queryParams);
    }
    return target.query(sql, queryParams, format);
  }

  private static void insert(Store target, String statement, byte[] data,
      Map<String, Object> queryParams) throws HttpError {
    if (!queryParams.isEmpty()) {
      throw new HttpError(400, 0, "param_* with insert data is not supported by this server");
    }
    target.insert(statement, data);
  }

  /**
   * For a body holding {@code INSERT ... FORMAT <name>} and then data: where the statement ends and
   * where the data starts (ClickHouse: after the rest of that line, else after the whitespace), or
   * null when the body is not such an insert. {@code latin} holds the body's bytes one char each.
   */
  static int[] inlineInsertSplit(String latin) {
    if (!firstKeyword(latin).equals("INSERT")) {
      return null;
    }
    Matcher m = FORMAT_OR_VALUES.matcher(latin);
    if (!m.find() || m.group().regionMatches(true, 0, "VALUES", 0, 6)) {
      return null;
    }
    int end = m.end();
    int i = end;
    while (i < latin.length() && (latin.charAt(i) == ' ' || latin.charAt(i) == '\t'
        || latin.charAt(i) == '\r')) {
      i++;
    }
    if (i < latin.length() && latin.charAt(i) == '\n') {
      i++;
    }
    return new int[] {end, i};
  }

  private static void checkReadOnly(boolean readOnly, String sql) throws HttpError {
    if (readOnly && !ReadOnlyScreen.KINDS.contains(firstKeyword(sql))) {
      throw new HttpError(403, StoreException.READONLY, "Code: 164. DB::Exception: Cannot execute query in"
          + " readonly mode. For queries over HTTP, method GET implies readonly. You should use"
          + " method POST for modifying queries. (READONLY)");
    }
  }

  /** A browser page must not reach this server ({@link BrowserGuard}). */
  private void checkHostAndOrigin(Headers headers) throws HttpError {
    var refusal = browsers.check(headers);
    if (refusal.isPresent()) {
      throw new HttpError(403, 0, switch (refusal.get()) {
        case HOST -> "Host " + headers.getFirst("Host") + " is not served here: use the server's"
            + " IP address or localhost, or allow the name (--allowed-host)";
        case ORIGIN ->
            "Origin " + headers.getFirst("Origin") + " is not allowed (--allowed-origin)";
        case CROSS_SITE -> "cross-site requests are not allowed";
      });
    }
  }

  private void authenticate(Headers headers, Map<String, String> params) throws HttpError {
    String user = headers.getFirst("X-ClickHouse-User");
    String key = headers.getFirst("X-ClickHouse-Key");
    String basic = headers.getFirst("Authorization");
    if (user == null && basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(basic.substring(6).strip()),
            StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        decoded = "";
      }
      int colon = decoded.indexOf(':');
      user = colon < 0 ? decoded : decoded.substring(0, colon);
      key = colon < 0 ? "" : decoded.substring(colon + 1);
    }
    if (user == null) {
      user = params.get("user");
      key = params.get("password");
    }
    boolean ok = config.user().equals(user) && MessageDigest.isEqual(
        config.password().getBytes(StandardCharsets.UTF_8),
        (key == null ? "" : key).getBytes(StandardCharsets.UTF_8));
    if (!ok) {
      throw new HttpError(401, AUTHENTICATION_FAILED, "Code: 516. DB::Exception: " + user
          + ": Authentication failed: password is incorrect, or there is no user with such name."
          + " (AUTHENTICATION_FAILED)");
    }
  }

  private byte[] readBody(HttpExchange ex) throws IOException, HttpError {
    long limit = config.maxBodyBytes();
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.strip()) > limit) {
          throw tooLarge(limit);
        }
      } catch (NumberFormatException e) {
        throw new HttpError(400, 0, "bad Content-Length " + length);
      }
    }
    String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
    InputStream in = ex.getRequestBody();
    if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("identity")) {
      if (!encoding.equalsIgnoreCase("gzip")) {
        throw new HttpError(400, 0, "Content-Encoding " + encoding + " is not supported; use gzip");
      }
      try {
        return limited(new GZIPInputStream(in), limit);
      } catch (ZipException | EOFException e) {
        // The client's body, not the connection, is broken: say so rather than fail the exchange.
        throw new HttpError(400, 0, "the body is not valid gzip: " + e.getMessage());
      }
    }
    return limited(in, limit);
  }

  private static byte[] limited(InputStream in, long limit) throws IOException, HttpError {
    byte[] body = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 16));
    if (body.length > limit) {
      throw tooLarge(limit);
    }
    return body;
  }

  private static HttpError tooLarge(long limit) {
    return new HttpError(413, 0, "the request body is larger than this server's limit of " + limit
        + " bytes (ClickHouseHttpServer.Config.maxBodyBytes); send smaller insert batches");
  }

  static Map<String, String> parseQueryString(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static String utf8(byte[] bytes) throws HttpError {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new HttpError(400, 0, "the query is not valid UTF-8; send binary data after"
          + " INSERT ... FORMAT <name>, or in the body with the INSERT in ?query=");
    }
  }

  /** The first keyword, upper-cased, skipping whitespace, comments and opening parentheses. */
  static String firstKeyword(String sql) {
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (sql.startsWith("--", i) || c == '#') {
        int eol = sql.indexOf('\n', i);
        i = eol < 0 ? n : eol + 1;
      } else if (sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        break;
      }
    }
    int start = i;
    while (i < n && (Character.isLetter(sql.charAt(i)) || sql.charAt(i) == '_')) {
      i++;
    }
    return sql.substring(start, i).toUpperCase(Locale.ROOT);
  }

  /** ClickHouse's HTTP status for an exception code. */
  static int httpStatus(int code) {
    return switch (code) {
      case 192, 193, 194, 516 -> 401; // UNKNOWN_USER, WRONG_PASSWORD, REQUIRED_PASSWORD, AUTH
      case StoreException.READONLY, 497 -> 403; // and ACCESS_DENIED
      case 16, 46, 47, 50, 60, 73, 81, 115, 170, 179 -> 404; // UNKNOWN_* (table, db, function...)
      case 6, 25, 26, 27, 32, 33, 36, 38, 41, 42, 43, 44, 53, 62, 69, 70, 72, 130, 456, 457 ->
          400; // syntax, parsing, bad arguments, bad query parameters
      case 202 -> 503; // TOO_MANY_SIMULTANEOUS_QUERIES
      case 159 -> 504; // TIMEOUT_EXCEEDED
      default -> 500;
    };
  }

  private static String contentType(String format) {
    String f = format.toLowerCase(Locale.ROOT);
    if (f.startsWith("json")) {
      return "application/json; charset=UTF-8";
    }
    if (f.startsWith("tabseparated") || f.startsWith("tsv")) {
      return "text/tab-separated-values; charset=UTF-8";
    }
    if (f.startsWith("csv")) {
      return "text/csv; charset=UTF-8; header=absent";
    }
    if (f.contains("binary") || f.equals("native") || f.equals("parquet") || f.equals("arrow")) {
      return "application/octet-stream";
    }
    return "text/plain; charset=UTF-8";
  }

  private static void sendError(HttpExchange ex, HttpError e) throws IOException {
    if (e.code != 0) {
      ex.getResponseHeaders().set("X-ClickHouse-Exception-Code", Integer.toString(e.code));
    }
    String text = e.getMessage();
    send(ex, e.status, "text/plain; charset=UTF-8",
        (text.endsWith("\n") ? text : text + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String contentType, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    boolean head = ex.getRequestMethod().equalsIgnoreCase("HEAD");
    ex.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
