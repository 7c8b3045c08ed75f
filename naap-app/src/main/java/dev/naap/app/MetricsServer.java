package dev.naap.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.naap.http.BrowserGuard;
import dev.naap.http.ErrorFormat;
import dev.naap.http.HttpServers;
import dev.naap.http.Limits;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The management port: {@code /metrics} in Prometheus' formats and {@code /-/healthy}, on the same
 * {@link HttpServers} as the public surfaces, so its connections have the same caps and deadlines.
 * Read-only, and not for browsers.
 */
final class MetricsServer implements AutoCloseable {


  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Serves {@code registry} on {@code host:port} (0 picks a free port). A browser page must not
   * read it ({@link BrowserGuard}): a {@code Host} must be an IP address, {@code localhost} or
   * {@code host} itself, and a request with an {@code Origin} is refused.
   */
  static MetricsServer start(String host, int port, PrometheusRegistry registry)
      throws IOException {
    HttpServer server = HttpServers.create("naap-metrics",
        new InetSocketAddress(InetAddress.getByName(host), port), Limits.defaults(),
        ErrorFormat.PLAIN_TEXT);
    BrowserGuard browsers = new BrowserGuard(List.of(host), List.of());
    server.createContext("/metrics", guarded(browsers, new MetricsHandler(registry)));
    server.createContext("/-/healthy",
        guarded(browsers, ex -> send(ex, 200, "Exporter is healthy.\n")));
    server.start();
    return new MetricsServer(server);
  }

  private static HttpHandler guarded(BrowserGuard browsers, HttpHandler handler) {
    return ex -> {
      var refusal = browsers.check(ex.getRequestHeaders());
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        send(ex, 405, "Method not allowed: this port only reads\n");
      } else if (refusal.isEmpty()) {
        handler.handle(ex);
      } else if (refusal.get() == BrowserGuard.Refusal.HOST) {
        send(ex, 403, "Forbidden: Host " + ex.getRequestHeaders().getFirst("Host")
            + " is not served here: use the server's IP address or localhost\n");
      } else {
        send(ex, 403, "Forbidden: not for web pages\n");
      }
    };
  }

  private static void send(HttpExchange ex, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  /** The bound port. */
  int getPort() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(1);
  }
}
