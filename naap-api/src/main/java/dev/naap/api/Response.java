package dev.naap.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * A computed response, before conditional and rate-limit handling: what the cache keeps.
 *
 * @param status the HTTP status
 * @param contentType its media type
 * @param body the bytes
 * @param lastModified when its data last changed (the rollups' data_as_of), null when unknown
 * @param maxAge how long clients and the server cache may keep it; zero for no caching
 * @param headers further headers ({@code Link} to the next page)
 */
record Response(int status, String contentType, byte[] body, Instant lastModified, Duration maxAge,
    Map<String, String> headers) {

  Response {
    headers = Map.copyOf(headers);
  }

  static Response json(int status, byte[] body) {
    return new Response(status, "application/json", body, null, Duration.ZERO, Map.of());
  }

  static Response text(int status, String contentType, String body) {
    return new Response(
        status, contentType, body.getBytes(StandardCharsets.UTF_8), null, Duration.ZERO, Map.of());
  }

  /** A strong validator: the SHA-256 of the body, quoted. */
  String etag() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
