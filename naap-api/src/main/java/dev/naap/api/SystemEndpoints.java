package dev.naap.api;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/** The operational routes: liveness, readiness, Prometheus metrics, the OpenAPI document and its page. */
final class SystemEndpoints {

  private final Readiness readiness;
  private final PrometheusRegistry registry;
  private final Supplier<String> openApi;

  SystemEndpoints(Readiness readiness, PrometheusRegistry registry, Supplier<String> openApi) {
    this.readiness = readiness;
    this.registry = registry;
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

  Endpoint metrics() {
    return request -> new Endpoint.Prepared(null, () -> {
      var out = new ByteArrayOutputStream();
      try {
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Response(200, PrometheusTextFormatWriter.CONTENT_TYPE, out.toByteArray(), null, Duration.ZERO,
          Map.of());
    });
  }

  Endpoint openApi() {
    return request -> new Endpoint.Prepared("/openapi.json", () -> new Response(200, "application/json",
        openApi.get().getBytes(StandardCharsets.UTF_8), null, Duration.ofMinutes(5), Map.of()));
  }

  Endpoint docs() {
    return request -> new Endpoint.Prepared("/docs", () -> {
      try (InputStream in = SystemEndpoints.class.getResourceAsStream("docs.html")) {
        return new Response(200, "text/html; charset=utf-8", in.readAllBytes(), null, Duration.ofMinutes(5),
            Map.of());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
