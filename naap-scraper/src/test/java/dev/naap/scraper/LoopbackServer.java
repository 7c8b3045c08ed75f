package dev.naap.scraper;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/** An HTTP server on 127.0.0.1 with a free port whose answers tests replace at will. */
final class LoopbackServer implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, HttpHandler> handlers = new ConcurrentHashMap<>();

  LoopbackServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      HttpHandler h = handlers.get(exchange.getRequestURI().getPath());
      if (h == null) {
        respond(exchange, 404, "not found");
      } else {
        h.handle(exchange);
      }
    });
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  LoopbackServer on(String path, HttpHandler handler) {
    handlers.put(path, handler);
    return this;
  }

  LoopbackServer json(String path, byte[] body) {
    return on(path, ex -> respond(ex, 200, body));
  }

  LoopbackServer file(String path, Path file) throws IOException {
    return json(path, Files.readAllBytes(file));
  }

  static void respond(HttpExchange ex, int status, String body) throws IOException {
    respond(ex, status, body.getBytes(StandardCharsets.UTF_8));
  }

  static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  /** A file of the shared reference data, found by walking up to the directory beside shared/. */
  static Path sharedData(String file) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolveSibling("shared").resolve("reference/data").resolve(file);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("../shared/reference/data/" + file + " not found");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
