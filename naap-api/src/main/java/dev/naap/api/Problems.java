package dev.naap.api;

import java.time.Duration;
import java.util.Map;

/** Writes {@link ApiProblem}s as RFC 9457 {@code application/problem+json} responses. */
final class Problems {

  static final String MEDIA_TYPE = "application/problem+json";

  private Problems() {}

  static Response response(ApiProblem p, String instance) {
    byte[] body = Bodies.json(g -> {
      g.writeStartObject();
      g.writeStringField("type", p.status() == 400 ? "/docs#invalid-parameter" : "about:blank");
      g.writeStringField("title", p.title());
      g.writeNumberField("status", p.status());
      g.writeStringField("detail", p.detail());
      g.writeStringField("instance", instance);
      if (p.parameter() != null) {
        g.writeStringField("parameter", p.parameter());
      }
      g.writeEndObject();
    });
    return new Response(p.status(), MEDIA_TYPE, body, null, Duration.ZERO, Map.of());
  }
}
