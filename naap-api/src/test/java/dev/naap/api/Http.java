package dev.naap.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small HTTP client for the tests: GET with headers, the answer as text and, where JSON, as a
 * tree.
 */
final class Http {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  Http(URI base) {
    this.base = base;
  }

  /** An answer: status, headers, body. */
  record Answer(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  Answer get(String pathAndQuery, String... headerPairs) {
    return send("GET", pathAndQuery, headerPairs);
  }

  /**
   * Sends {@code target} byte for byte over a socket, for request targets that {@link URI} refuses
   * to build (broken escapes, raw unicode, double slashes).
   */
  Answer raw(String target, String... headerPairs) {
    try (var socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(30_000);
      StringBuilder request =
          new StringBuilder(
              "GET "
                  + target
                  + " HTTP/1.1\r\nHost: "
                  + base.getHost()
                  + "\r\nConnection: close\r\n");
      for (int i = 0; i < headerPairs.length; i += 2) {
        request.append(headerPairs[i]).append(": ").append(headerPairs[i + 1]).append("\r\n");
      }
      socket
          .getOutputStream()
          .write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int end = response.indexOf("\r\n\r\n");
      String[] head = response.substring(0, end).split("\r\n");
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (int i = 1; i < head.length; i++) {
        int colon = head[i].indexOf(':');
        headers.computeIfAbsent(head[i].substring(0, colon).strip(), k -> new ArrayList<>())
            .add(head[i].substring(colon + 1).strip());
      }
      return new Answer(
          Integer.parseInt(head[0].split(" ")[1]),
          HttpHeaders.of(headers, (a, b) -> true),
          response.substring(end + 4));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Answer send(String method, String pathAndQuery, String... headerPairs) {
    var b = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headerPairs.length; i += 2) {
      b.header(headerPairs[i], headerPairs[i + 1]);
    }
    try {
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
