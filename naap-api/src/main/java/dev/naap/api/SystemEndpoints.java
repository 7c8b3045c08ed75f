package dev.naap.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The operational routes: liveness, readiness, the OpenAPI document and its page. Prometheus
 * metrics are not here: they go to a management port ({@code naap serve --management-port}), off
 * the public one.
 */
final class SystemEndpoints {

  /**
   * The API reference page: one inline style and one inline script, allowed by their hashes and
   * nothing else; it reads /openapi.json.
   */
  private static final Response DOCS = docsPage();

  private final Readiness readiness;
  private final Supplier<String> openApi;

  SystemEndpoints(Readiness readiness, Supplier<String> openApi) {
    this.readiness = readiness;
    this.openApi = openApi;
  }

  Endpoint health() {
    return request -> new Endpoint.Prepared(null,
        () -> Response.json(200, "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8)));
  }

  Endpoint ready() {
    return request -> new Endpoint.Prepared(null, () -> {
      Readiness.Status s = readiness.check();
      return Response.json(s.ready() ? 200 : 503, Bodies.json(g -> {
        g.writeStartObject();
        g.writeBooleanField("ready", s.ready());
        g.writeFieldName("checks");
        Values.json(g, s.checks());
        g.writeEndObject();
      }));
    });
  }

  Endpoint openApi() {
    return request ->
        new Endpoint.Prepared(
            "/openapi.json",
            () ->
                new Response(
                    200,
                    "application/json",
                    openApi.get().getBytes(StandardCharsets.UTF_8),
                    null,
                    Duration.ofMinutes(5),
                    Map.of()));
  }

  Endpoint docs() {
    return request -> new Endpoint.Prepared("/docs", () -> DOCS);
  }

  private static Response docsPage() {
    try (InputStream in = SystemEndpoints.class.getResourceAsStream("docs.html")) {
      byte[] page = in.readAllBytes();
      String html = new String(page, StandardCharsets.UTF_8);
      String policy = "default-src 'none'; style-src " + inlineHash(html, "style")
          + "; script-src " + inlineHash(html, "script") + "; connect-src 'self';"
          + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
      return new Response(200, "text/html; charset=utf-8", page, null, Duration.ofMinutes(5),
          Map.of("Content-Security-Policy", policy));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CSP source of the one {@code <tag>} block's text: its SHA-256, base64. */
  private static String inlineHash(String html, String tag) {
    int open = html.indexOf("<" + tag + ">");
    int close = html.indexOf("</" + tag + ">");
    if (open < 0 || close < open || html.indexOf("<" + tag + ">", open + 1) >= 0) {
      throw new IllegalStateException("docs.html must hold exactly one <" + tag + "> block");
    }
    byte[] text = html.substring(open + tag.length() + 2, close).getBytes(StandardCharsets.UTF_8);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text);
      return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
