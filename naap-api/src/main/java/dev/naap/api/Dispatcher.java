package dev.naap.api;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.naap.http.HttpServers;
import dev.naap.http.SendingBytes;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request goes through here: method and size checks, route match, the client's quota, the
 * response cache, conditional requests, CORS, and the mapping of every failure to problem+json.
 * Static files are served for paths no route has. Thread-safe.
 *
 * <p>Order for a rate-limited route: the request is counted first; a client over its quota gets a
 * 429 at once unless it revalidates ({@code If-None-Match}) a response still in the cache, which is
 * answered with a 304 that costs nothing. A 304 from the cache to a client within its quota is
 * refunded (a 304 for which the response was computed is not: {@code If-None-Match: *} matches
 * any). A dashboard visitor's requests that the shared cache answers are free too (they cost the
 * store nothing), so its quota counts the queries it causes. An unknown API key counts against
 * its address, then gets a 401.
 *
 * <p>An {@link OutOfMemoryError} ends the process (exit code 3) so that a supervisor restarts it:
 * a JVM that ran out of memory once is in no state to keep serving.
 */
final class Dispatcher implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  /**
   * The dashboard's pages: its own scripts, styles and requests only, nothing inline, never
   * framed. A page with inline blocks (the API reference) sends its own policy naming their hashes.
   */
  static final String PAGE_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none';"
      + " base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  static final int MAX_URI_CHARS = 4096;
  private static final String EXPOSED =
      "ETag, Last-Modified, Link, Retry-After, RateLimit, RateLimit-Policy, "
          + "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset";

  private final List<Route> routes;
  private final StaticFiles files;
  private final ClientResolver clients;
  private volatile RateLimiter limiter;
  private final ResponseCache cache;
  private final RefreshAhead refreshAhead;
  private final ApiMetrics metrics;
  private final DashboardTokens tokens;
  private final InstantSource clock;
  private final long windowSeconds;
  private final InFlight inFlight = new InFlight(InFlight.MAX_PER_CLIENT);
  private volatile SendingBytes sending;

  Dispatcher(
      List<Route> routes,
      StaticFiles files,
      ClientResolver clients,
      RateLimiter limiter,
      ResponseCache cache,
      RefreshAhead refreshAhead,
      ApiMetrics metrics,
      DashboardTokens tokens,
      InstantSource clock,
      long windowSeconds,
      SendingBytes sending) {
    this.sending = sending;
    this.routes = List.copyOf(routes);
    this.files = files;
    this.clients = clients;
    this.limiter = limiter;
    this.cache = cache;
    this.refreshAhead = refreshAhead;
    this.metrics = metrics;
    this.tokens = tokens;
    this.clock = clock;
    this.windowSeconds = windowSeconds;
  }

  @Override
  public void handle(HttpExchange ex) {
    long started = System.nanoTime();
    String label = "unmatched";
    int status = 500;
    String address = null;
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      String client = clients.address(ex);
      if (!inFlight.enter(client)) {
        ex.getResponseHeaders().set("Retry-After", "1");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        status =
            send(
                ex,
                429,
                Problems.response(
                    new ApiProblem(
                        429,
                        "Too many requests",
                        "this client already has "
                            + InFlight.MAX_PER_CLIENT
                            + " requests in progress",
                        null),
                    path));
        return;
      }
      address = client;
      String query = ex.getRequestURI().getRawQuery();
      if (path.length() + (query == null ? 0 : 1 + query.length()) > MAX_URI_CHARS) {
        // Every target, a static path's too, before any route or file is looked for.
        ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        status = send(ex, 414, Problems.response(new ApiProblem(414, "URI too long",
            "the request target is longer than " + MAX_URI_CHARS + " characters", null), path));
        return;
      }
      Route route = null;
      Map<String, String> pathParams = null;
      for (Route r : routes) {
        pathParams = r.match(path);
        if (pathParams != null) {
          route = r;
          break;
        }
      }
      label = route != null ? route.template() : "static";
      if (route != null) {
        Route matched = route;
        Map<String, String> params = pathParams;
        // The store's slots are shared by client address (StoreSlots).
        status = ScopedValue.where(StoreSlots.CLIENT, client)
            .call(() -> api(ex, client, matched, params));
      } else {
        status = file(ex, path);
      }
    } catch (IOException e) {
      // The client went away; nothing to answer.
      log.debug("response not sent", e);
    } catch (RuntimeException e) {
      log.error("request failed: {}", ex.getRequestURI(), e);
    } catch (OutOfMemoryError e) {
      outOfMemory(e);
    } finally {
      if (address != null) {
        inFlight.exit(address);
      }
      metrics.answered(label, status, System.nanoTime() - started);
    }
  }

  /** Counts quotas with {@code limiter} from now on (set before the server starts). */
  void useLimiter(RateLimiter limiter) {
    this.limiter = limiter;
  }

  /** Bounds the answers being sent with {@code sending} from now on (set before the start). */
  void useSending(SendingBytes sending) {
    this.sending = sending;
  }

  /** Bytes of the sending budget that no answer holds now. */
  long sendingBytesFree() {
    return sending.available();
  }

  /** Where quotas are counted, for {@code /ready}. */
  Map<String, Object> quotaStatus() {
    return limiter.status();
  }

  /** Halts at once: shutdown hooks could need memory, and the engine survives a halt (STORE.md). */
  static void outOfMemory(OutOfMemoryError e) {
    try {
      System.err.println(
          "naap: out of memory, exiting so that a supervisor restarts the process: " + e);
    } finally {
      Runtime.getRuntime().halt(3);
    }
  }

  /** {@code address}: the client as its requests in progress count it, for its sending share. */
  private int api(HttpExchange ex, String address, Route route, Map<String, String> pathParams)
      throws IOException {
    Headers out = ex.getResponseHeaders();
    out.set("Access-Control-Allow-Origin", "*");
    out.set("Access-Control-Expose-Headers", EXPOSED);
    String method = ex.getRequestMethod();
    if (method.equals("OPTIONS")) {
      out.set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
      out.set("Access-Control-Allow-Headers", "Accept, If-None-Match, X-API-Key");
      out.set("Access-Control-Max-Age", "86400");
      out.set("Allow", "GET, HEAD, OPTIONS");
      return send(ex, 204, null);
    }
    RateLimiter.Decision decision = null;
    Client client = null;
    SendingBytes.Hold hold = null;
    try {
      if (!method.equals("GET") && !method.equals("HEAD")) {
        out.set("Allow", "GET, HEAD, OPTIONS");
        throw new ApiProblem(405, "Method not allowed", "this API only reads: use GET", null);
      }
      Instant now = clock.instant();
      String inm = ex.getRequestHeaders().getFirst("If-None-Match");
      if (route.limited()) {
        client = clients.resolve(ex);
        decision = limiter.acquire(client.key(), client.quota());
        boolean free = inm != null || client.policy().equals("dashboard");
        if (!decision.allowed() && (!free || client.unknownKey())) {
          throw tooMany(client, decision, now);
        }
        if (client.unknownKey()) {
          throw new ApiProblem(
              401,
              "Unknown API key",
              "the "
                  + ClientResolver.API_KEY_HEADER
                  + " header holds no key this server knows; the request counted against your"
                  + " address",
              null);
        }
      }
      var request =
          new ApiRequest(
              ex.getRequestURI().getRawPath(),
              pathParams,
              QueryString.parse(ex.getRequestURI().getRawQuery()),
              ex.getRequestHeaders().getFirst("Accept"),
              now);
      Endpoint.Prepared prepared = route.endpoint().prepare(request);
      ResponseCache.Cached answer;
      if (decision != null && !decision.allowed()) {
        answer = prepared.cacheKey() == null ? null : cache.peek(prepared.cacheKey());
        boolean dashboardHit = answer != null && client.policy().equals("dashboard");
        if (answer == null || (!dashboardHit && !matches(inm, answer.etag()))) {
          throw tooMany(client, decision, now);
        }
      } else if (prepared.cacheKey() == null) {
        var r = prepared.compute().get();
        answer = new ResponseCache.Cached(r, r.etag(), false);
      } else {
        String key = prepared.cacheKey();
        answer = cache.get(key, prepared.compute());
        metrics.cache(answer.hit());
        refreshAhead.answered(key, route.endpoint(), request, prepared);
      }
      Response r = answer.response();
      boolean notModified = r.status() == 200 && matches(inm, answer.etag());
      // An answer computed for this request alone is held until its client has read it.
      if (!answer.hit() && !notModified && !method.equals("HEAD")) {
        hold = sending.tryHold(address, r.body().length);
        if (hold.refusal() != null) {
          metrics.sendingRefused(hold.refusal());
          throw new ApiProblem(503, "Service unavailable", "this answer (" + r.body().length
              + " bytes) does not fit beside the answers being sent to "
              + (hold.refusal() == SendingBytes.Refusal.CLIENT
                  ? "this client now (a client may hold 1/" + SendingBytes.CLIENT_SHARES
                      + " of them); read those first or retry later"
                  : "other clients now; retry later"), null);
        }
      }
      // Free when no query ran for it: a 304 or a dashboard visitor's answer from the cache.
      boolean free = answer.hit() && (notModified
          || (client != null && client.policy().equals("dashboard")));
      if (free && decision != null && decision.allowed()) {
        decision = limiter.refund(client.key(), client.quota());
      }
      rateHeaders(out, client, decision, now);
      out.set("ETag", answer.etag());
      out.set("Vary", "Accept");
      out.set(
          "Cache-Control",
          r.maxAge().isZero() ? "no-cache" : "public, max-age=" + r.maxAge().toSeconds());
      if (r.lastModified() != null) {
        out.set(
            "Last-Modified",
            DateTimeFormatter.RFC_1123_DATE_TIME.format(r.lastModified().atOffset(ZoneOffset.UTC)));
      }
      r.headers().forEach(out::set);
      return send(ex, notModified ? 304 : r.status(), notModified ? null : r);
    } catch (ApiProblem p) {
      if (decision != null) {
        rateHeaders(out, client, decision, clock.instant());
      }
      out.set("Cache-Control", "no-store");
      if (p.status() == 503) {
        out.set("Retry-After", Long.toString(QueryRunner.RETRY_AFTER_SECONDS));
      }
      return send(ex, p.status(), Problems.response(p, ex.getRequestURI().getRawPath()));
    } catch (RuntimeException e) {
      log.error("request failed: {}", ex.getRequestURI(), e);
      out.set("Cache-Control", "no-store");
      return send(ex, 500, Problems.response(
          new ApiProblem(500, "Internal error", "the request failed; it has been logged", null),
          ex.getRequestURI().getRawPath()));
    } finally {
      if (hold != null) {
        hold.close(); // written, or the write failed (the client left, or the idle timeout)
      }
    }
  }

  private ApiProblem tooMany(Client client, RateLimiter.Decision d, Instant now) {
    metrics.rateLimited(client.policy());
    // Retry-After is set with the other rate-limit headers, from the same decision.
    return new ApiProblem(429, "Too many requests",
        "the quota of this client is spent; retry in " + d.secondsToReset(now) + " s", null);
  }

  private void rateHeaders(Headers out, Client client, RateLimiter.Decision d, Instant now) {
    if (d == null) {
      return;
    }
    long reset = d.secondsToReset(now);
    out.set(
        "RateLimit-Policy", "\"" + client.policy() + "\";q=" + d.limit() + ";w=" + windowSeconds);
    out.set("RateLimit", "\"" + client.policy() + "\";r=" + d.remaining() + ";t=" + reset);
    out.set("X-RateLimit-Limit", Integer.toString(d.limit()));
    out.set("X-RateLimit-Remaining", Integer.toString(d.remaining()));
    out.set("X-RateLimit-Reset", Long.toString(d.reset().getEpochSecond()));
    if (!d.allowed()) {
      out.set("Retry-After", Long.toString(reset));
    }
  }

  private int file(HttpExchange ex, String path) throws IOException {
    String method = ex.getRequestMethod();
    Response r = files.find(path);
    if (r != null && !method.equals("GET") && !method.equals("HEAD")) {
      ex.getResponseHeaders().set("Allow", "GET, HEAD");
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      return send(ex, 405, Problems.response(new ApiProblem(405, "Method not allowed",
          "this path only reads: use GET", null), path));
    }
    if (r == null) {
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      return send(ex, 404, Problems.response(ApiProblem.notFound("nothing at " + path), path));
    }
    String etag = r.etag();
    Headers out = ex.getResponseHeaders();
    out.set("ETag", etag);
    out.set(
        "Cache-Control",
        r.maxAge().isZero() ? "no-cache" : "public, max-age=" + r.maxAge().toSeconds());
    if (r.contentType().startsWith("text/html")) {
      out.add("Set-Cookie", tokens.cookie(clients.address(ex)));
    }
    boolean notModified = matches(ex.getRequestHeaders().getFirst("If-None-Match"), etag);
    return send(ex, notModified ? 304 : 200, notModified ? null : r);
  }

  private static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.strip();
      if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }

  private static int send(HttpExchange ex, int status, Response r) throws IOException {
    boolean head = ex.getRequestMethod().equals("HEAD");
    Headers out = ex.getResponseHeaders();
    // No page of this server may be framed by another site (clickjacking).
    out.set("X-Frame-Options", HttpServers.FRAME_OPTIONS);
    if (r == null || status == 204 || status == 304) {
      ex.sendResponseHeaders(status, -1);
      return status;
    }
    out.set("Content-Type", r.contentType());
    out.set("X-Content-Type-Options", "nosniff");
    if (!out.containsKey("Content-Security-Policy")) {
      out.set("Content-Security-Policy",
          r.contentType().startsWith("text/html") ? PAGE_POLICY : HttpServers.DATA_POLICY);
    }
    if (head) {
      ex.sendResponseHeaders(status, -1);
      return status;
    }
    ex.sendResponseHeaders(status, r.body().length == 0 ? -1 : r.body().length);
    try (OutputStream body = ex.getResponseBody()) {
      body.write(r.body());
    }
    return status;
  }
}
