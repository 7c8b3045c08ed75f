package dev.naap.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The go-livepeer gateway HTTP calls the tester makes: capabilities on the gateway's CLI server
 * (livepeer-data.md §2.2), and on its public HTTP port (§3.1) the live-video start hook, {@code
 * /update}, {@code /status}, and request/response pipelines. Each call has one deadline for its
 * whole answer, headers and body, and a size limit. Every failure is a classified {@link
 * GatewayException}. Thread-safe.
 */
public final class GatewayClient {
  /** The port of go-livepeer's CLI server ({@code -cliAddr}) when none is given. */
  public static final int DEFAULT_CLI_PORT = 7935;
  /** The largest answer read: a gateway's statuses, lists and batch answers are far smaller. */
  static final long MAX_BODY_BYTES = 16L << 20;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_ERROR_BODY = 500;

  private final URI base;
  private final URI cli;
  private final HttpClient http;
  private final Duration requestTimeout;

  /**
   * A client for a gateway whose public HTTP port ({@code base}, e.g. {@code
   * http://127.0.0.1:8935}) and CLI server ({@code cli}, e.g. {@code http://127.0.0.1:7935})
   * differ, as go-livepeer's do.
   */
  public GatewayClient(URI base, URI cli, Duration connectTimeout, Duration requestTimeout) {
    this.base = directory(base);
    this.cli = directory(cli);
    this.http = HttpClient.newBuilder().connectTimeout(connectTimeout)
        .version(HttpClient.Version.HTTP_1_1).build();
    this.requestTimeout = requestTimeout;
  }

  /** A client for a gateway that serves everything at {@code base}, as the simulator does. */
  public GatewayClient(URI base, Duration connectTimeout, Duration requestTimeout) {
    this(base, base, connectTimeout, requestTimeout);
  }

  /** The CLI address of the gateway at {@code base} when none is given: its host, port 7935. */
  public static URI defaultCli(URI base) {
    return URI.create("http://" + base.getHost() + ":" + DEFAULT_CLI_PORT);
  }

  private static URI directory(URI u) {
    String s = u.toString();
    return URI.create(s.endsWith("/") ? s : s + "/");
  }

  public URI base() {
    return base;
  }

  /** {@code GET /getNetworkCapabilities}, on the CLI server. */
  public JsonNode capabilities() throws GatewayException, InterruptedException {
    return json(send(get(cli, "getNetworkCapabilities"), 200));
  }

  /**
   * MediaMTX's publish hook, {@code POST /live/video-to-video/{key}/start}, with the query a
   * client's publish URL would carry: pipeline, params, streamId, the orchestrator pin, and
   * {@code duration_secs} (read by the simulator: how long its client publishes).
   */
  public void start(String key, String query) throws GatewayException, InterruptedException {
    String form = "source_id=" + enc(key) + "&source_type=rtmpconn&query=" + enc(query);
    send(HttpRequest.newBuilder(base.resolve("live/video-to-video/" + enc(key) + "/start"))
        .timeout(requestTimeout).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), 200);
  }

  /** {@code POST /live/video-to-video/{key}/update} with the new params as the body. */
  public void update(String key, ObjectNode params) throws GatewayException, InterruptedException {
    send(HttpRequest.newBuilder(base.resolve("live/video-to-video/" + enc(key) + "/update"))
        .timeout(requestTimeout).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(params.toString())).build(), 200);
  }

  /**
   * {@code GET /live/video-to-video/{streamId}/status}; null when the gateway does not know it
   * (404).
   */
  public JsonNode status(String streamId) throws GatewayException, InterruptedException {
    HttpResponse<byte[]> r =
        exchange(get(base, "live/video-to-video/" + enc(streamId) + "/status"));
    if (r.statusCode() == 404) {
      return null;
    }
    check(r, 200);
    return json(r);
  }

  /** {@code POST /{pipeline}} with a JSON body (request/response pipelines, e.g. text-to-image). */
  public JsonNode batch(String pipeline, ObjectNode body)
      throws GatewayException, InterruptedException {
    return json(send(HttpRequest.newBuilder(base.resolve(enc(pipeline))).timeout(requestTimeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), 200));
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private HttpRequest get(URI directory, String path) {
    return HttpRequest.newBuilder(directory.resolve(path)).timeout(requestTimeout).GET().build();
  }

  private HttpResponse<byte[]> send(HttpRequest request, int expected)
      throws GatewayException, InterruptedException {
    HttpResponse<byte[]> r = exchange(request);
    check(r, expected);
    return r;
  }

  private HttpResponse<byte[]> exchange(HttpRequest request)
      throws GatewayException, InterruptedException {
    // The request's timeout ends at the headers; this deadline covers the body too, so a gateway
    // that stalls mid-answer cannot hold a test, or the single-threaded schedule, forever: past
    // it the calling thread is interrupted, which makes send() cancel the exchange. (A timed wait
    // on sendAsync's future instead timed out calls that send() has answered at once, against
    // the simulated gateway: the dashboard's 45 load tests took 77 s instead of 18 s.)
    Deadline deadline = new Deadline(Thread.currentThread());
    CompletableFuture<Void> watchdog = CompletableFuture.runAsync(deadline::expire,
        CompletableFuture.delayedExecutor(requestTimeout.toNanos(), TimeUnit.NANOSECONDS));
    try {
      return http.send(request, HttpResponse.BodyHandlers.limiting(
          HttpResponse.BodyHandlers.ofByteArray(), MAX_BODY_BYTES));
    } catch (InterruptedException e) {
      if (deadline.expired()) {
        throw timeout(request, e);
      }
      throw e;
    } catch (HttpTimeoutException e) {
      throw timeout(request, e);
    } catch (IOException e) {
      throw new GatewayException(ErrorClass.GATEWAY_UNAVAILABLE, 0, request.method() + " "
          + request.uri() + ": " + e, e);
    } finally {
      watchdog.cancel(false);
      deadline.end();
    }
  }

  /** One call's deadline: interrupts its thread once, unless the call ended first. */
  private static final class Deadline {
    private final Thread caller;
    private boolean ended;
    private boolean expired;

    Deadline(Thread caller) {
      this.caller = caller;
    }

    synchronized void expire() {
      if (!ended) {
        expired = true;
        caller.interrupt();
      }
    }

    synchronized boolean expired() {
      return expired;
    }

    /** On the calling thread: no interrupt after this, and none of ours left behind. */
    synchronized void end() {
      ended = true;
      if (expired) {
        Thread.interrupted();
      }
    }
  }

  private GatewayException timeout(HttpRequest request, Throwable cause) {
    return new GatewayException(ErrorClass.TIMEOUT, 0, request.method() + " " + request.uri()
        + ": no answer within " + requestTimeout, cause);
  }

  private static void check(HttpResponse<byte[]> r, int expected) throws GatewayException {
    if (r.statusCode() == expected) {
      return;
    }
    String body = new String(r.body(), StandardCharsets.UTF_8).strip();
    if (body.length() > MAX_ERROR_BODY) {
      body = body.substring(0, MAX_ERROR_BODY) + "…";
    }
    throw new GatewayException(ErrorClassifier.http(r.statusCode(), body), r.statusCode(),
        r.request().method() + " " + r.request().uri().getPath() + ": HTTP " + r.statusCode()
            + (body.isEmpty() ? "" : " " + body), null);
  }

  private static JsonNode json(HttpResponse<byte[]> r) throws GatewayException {
    try {
      return MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new GatewayException(ErrorClass.GATEWAY_UNAVAILABLE, r.statusCode(),
          r.request().uri().getPath() + ": not JSON", e);
    }
  }
}
