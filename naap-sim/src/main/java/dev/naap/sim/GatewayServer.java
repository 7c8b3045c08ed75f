package dev.naap.sim;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.naap.http.BrowserGuard;
import dev.naap.http.ErrorFormat;
import dev.naap.http.HttpServers;
import dev.naap.http.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One simulated gateway's HTTP surface on loopback, talking to a running {@link Simulator}:
 *
 * <ul>
 *   <li>{@code GET /getNetworkCapabilities}: {@code {capabilities_names, orchestrators}} as a real
 *       gateway's CLI port answers;
 *   <li>{@code POST /live/video-to-video/{stream}/start}: MediaMTX's publish hook; form fields
 *       {@code source_id}, {@code source_type}, {@code query} (the original query string with
 *       {@code pipeline}, {@code params}, {@code streamId}, {@code orchestrator}); the simulator
 *       also reads {@code duration_secs} (how long the client publishes, default 300) from the
 *       query;
 *   <li>{@code POST /live/video-to-video/{stream}/update}: the new params JSON as the body;
 *   <li>{@code GET /live/video-to-video/{streamId}/status}: the last status plus {@code
 *       gateway_status}, kept one minute after the stream ends.
 * </ul>
 *
 * Thread-safe: requests are handed to the simulation thread. Close to stop.
 */
public final class GatewayServer implements AutoCloseable {

  private static final Pattern LIVE =
      Pattern.compile("^/live/video-to-video/([^/]+)/(start|update|status)$");
  private static final long BODY_LIMIT = 1 << 20;
  private static final Map<String, String> CAPABILITY_NAMES = capabilityNames();
  /**
   * A web page the operator opens must not start streams here (a cross-site form POST did,
   * 2026-12-07): gateways, MediaMTX and the load tester send no {@code Origin}.
   */
  private static final BrowserGuard BROWSERS = new BrowserGuard(List.of(), List.of());


  private final Simulator sim;
  private final int gateway;
  private final HttpServer server;
  private final ObjectMapper mapper = new ObjectMapper();

  private GatewayServer(Simulator sim, int gateway, HttpServer server) {
    this.sim = sim;
    this.gateway = gateway;
    this.server = server;
  }

  /** Serves gateway {@code gateway} (0..2) of {@code sim} on 127.0.0.1:{@code port} (0 = free). */
  public static GatewayServer start(Simulator sim, int gateway, int port) {
    if (gateway < 0 || gateway >= sim.network.gateways.size()) {
      throw new IllegalArgumentException(
          "gateway: expected 0.." + (sim.network.gateways.size() - 1) + ", got " + gateway);
    }
    try {
      // NaaP's server (dev.naap.http): read deadlines, connection caps, a virtual thread per
      // exchange. On the JDK's own, 4 clients that never sent their announced body held its 4
      // threads and the gateway answered nothing.
      HttpServer http = HttpServers.create("naap-sim-gateway",
          new InetSocketAddress(InetAddress.getLoopbackAddress(), port), Limits.defaults(),
          ErrorFormat.PLAIN_TEXT);
      GatewayServer g = new GatewayServer(sim, gateway, http);
      http.createContext("/", g::handle);
      http.start();
      return g;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      if (BROWSERS.check(ex.getRequestHeaders()).isPresent()) {
        reply(ex, 403, "browsers are not served here (Host, Origin or a cross-site fetch)");
        return;
      }
      if (path.equals("/getNetworkCapabilities")) {
        if (!method.equals("GET")) {
          reply(ex, 405, "method not allowed");
          return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("capabilities_names", CAPABILITY_NAMES);
        body.put("orchestrators", call(sim::capabilities));
        json(ex, 200, body);
        return;
      }
      Matcher m = LIVE.matcher(path);
      if (!m.matches()) {
        reply(ex, 404, "404 page not found");
        return;
      }
      String stream = m.group(1);
      switch (m.group(2)) {
        case "start" -> start(ex, method, stream);
        case "update" -> update(ex, method, stream);
        default -> status(ex, method, stream);
      }
    } catch (BadRequest e) {
      reply(ex, 400, e.getMessage());
    } catch (RuntimeException e) {
      reply(ex, 503, "simulator unavailable: " + e.getMessage());
    } finally {
      ex.close();
    }
  }

  private void start(HttpExchange ex, String method, String stream) throws IOException {
    if (!method.equals("POST")) {
      reply(ex, 405, "method not allowed");
      return;
    }
    if (stream.endsWith("-out")) {
      reply(ex, 200, "");
      return;
    }
    Map<String, String> form = query(new String(body(ex), StandardCharsets.UTF_8));
    Map<String, String> q = query(form.getOrDefault("query", ""));
    Pipeline pipeline = pipeline(q.getOrDefault("pipeline", "streamdiffusion"));
    Map<String, Object> params =
        q.containsKey("params") ? params(q.get("params").getBytes(StandardCharsets.UTF_8)) : null;
    long durationMs;
    try {
      durationMs =
          Math.min(3_600, Math.max(1, Long.parseLong(q.getOrDefault("duration_secs", "300"))))
              * 1000;
    } catch (NumberFormatException e) {
      throw new BadRequest(
          "duration_secs: expected an integer, got '" + q.get("duration_secs") + "'");
    }
    String streamId = q.getOrDefault("streamId", "");
    String pin = q.getOrDefault("orchestrator", "");
    StreamSession s =
        call(() -> sim.startExternal(gateway, stream, pipeline, params, streamId, pin, durationMs));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("stream_id", s.streamId);
    body.put("request_id", s.requestId);
    body.put("pipeline", pipeline.id);
    body.put("status_url", "/live/video-to-video/" + s.streamId + "/status");
    body.put("update_url", "/live/video-to-video/" + stream + "/update");
    json(ex, 200, body);
  }

  private void update(HttpExchange ex, String method, String stream) throws IOException {
    if (!method.equals("POST")) {
      reply(ex, 405, "method not allowed");
      return;
    }
    Map<String, Object> params = params(body(ex));
    Boolean found = call(() -> {
      StreamSession s = sim.external(stream);
      if (s == null || s.closed()) {
        return false;
      }
      sim.updateExternal(s, params);
      return true;
    });
    if (found) {
      reply(ex, 200, "");
    } else {
      reply(ex, 404, "stream not found: " + stream);
    }
  }

  private void status(HttpExchange ex, String method, String streamId) throws IOException {
    if (!method.equals("GET")) {
      reply(ex, 405, "method not allowed");
      return;
    }
    Map<String, Object> body = call(() -> {
      StreamSession s = sim.external("id:" + streamId);
      return s == null ? null : s.gatewayStatus();
    });
    if (body == null) {
      reply(ex, 404, "stream not found: " + streamId);
    } else {
      json(ex, 200, body);
    }
  }

  private <T> T call(java.util.function.Supplier<T> task) {
    try {
      return sim.submit(task).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the simulation did not answer within 10 s", e);
    }
  }

  private static Pipeline pipeline(String id) {
    for (Pipeline p : Pipeline.values()) {
      if (p.id.equals(id)) {
        return p;
      }
    }
    throw new BadRequest("pipeline: unknown '" + id + "', expected one of "
        + java.util.Arrays.stream(Pipeline.values()).map(p -> p.id).toList());
  }

  private Map<String, Object> params(byte[] json) {
    try {
      return mapper.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException e) {
      throw new BadRequest("params: expected a JSON object");
    }
  }

  private static byte[] body(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readNBytes((int) BODY_LIMIT + 1);
      if (b.length > BODY_LIMIT) {
        throw new BadRequest("body larger than " + BODY_LIMIT + " bytes");
      }
      return b;
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      m.put(k, v);
    }
    return m;
  }

  private void json(HttpExchange ex, int code, Object body) throws IOException {
    byte[] b = mapper.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, b.length);
    ex.getResponseBody().write(b);
  }

  private static void reply(HttpExchange ex, int code, String text) throws IOException {
    byte[] b = text.isEmpty() ? new byte[0] : (text + "\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      ex.getResponseBody().write(b);
    }
  }

  private static Map<String, String> capabilityNames() {
    List<String> names =
        List.of(
            "H.264",
            "MPEGTS",
            "MP4",
            "Fractional framerates",
            "Storage direct",
            "Storage S3",
            "Storage GCS",
            "H264 Baseline profile",
            "H264 Main profile",
            "H264 High profile",
            "H264 Constrained, Contained High profile",
            "GOP",
            "Auth token",
            "",
            "MPEG7 signature",
            "HEVC decode",
            "HEVC encode",
            "VP8 decode",
            "VP9 decode",
            "VP8 encode",
            "VP9 encode",
            "H264 Decode YUV444 8-bit",
            "H264 Decode YUV422 8-bit",
            "H264 Decode YUV444 10-bit",
            "H264 Decode YUV422 10-bit",
            "H264 Decode YUV420 10-bit",
            "Segment slicing",
            "Text to image",
            "Image to image",
            "Image to video",
            "Upscale",
            "Audio to text",
            "Segment anything 2",
            "Llm",
            "Image to text",
            "Live video to video",
            "Text to speech");
    Map<String, String> m = new java.util.TreeMap<>();
    m.put("-1", "Unused");
    m.put("-2", "Invalid");
    for (int i = 0; i < names.size(); i++) {
      if (!names.get(i).isEmpty()) {
        m.put(Integer.toString(i), names.get(i));
      }
    }
    return m;
  }

  /** A request the gateway refuses with 400; the message names the field. */
  private static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }
}
