package dev.naap.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The operational routes: liveness, readiness, the OpenAPI document and its page. Prometheus
 * metrics are not here: they go to a management port ({@code naap serve --management-port}), off
 * the public one.
 */
final class SystemEndpoints {

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
    return request ->
        new Endpoint.Prepared(
            "/docs",
            () -> {
              try (InputStream in = SystemEndpoints.class.getResourceAsStream("docs.html")) {
                return new Response(
                    200,
                    "text/html; charset=utf-8",
                    in.readAllBytes(),
                    null,
                    Duration.ofMinutes(5),
                    Map.of());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }
}
