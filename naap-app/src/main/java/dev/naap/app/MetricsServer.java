package dev.naap.app;

import com.sun.net.httpserver.HttpServer;
import dev.naap.http.ErrorFormat;
import dev.naap.http.HttpServers;
import dev.naap.http.Limits;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The management port: {@code /metrics} in Prometheus' formats and {@code /-/healthy}, on the same
 * {@link HttpServers} as the public surfaces, so its connections have the same caps and deadlines.
 */
final class MetricsServer implements AutoCloseable {

  private static final ErrorFormat PLAIN_TEXT = new ErrorFormat() {
    @Override
    public String contentType() {
      return "text/plain; charset=UTF-8";
    }

    @Override
    public byte[] body(int status, String title, String detail) {
      return (title + ": " + detail + "\n").getBytes(StandardCharsets.UTF_8);
    }
  };

  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  /** Serves {@code registry} on {@code host:port} (0 picks a free port). */
  static MetricsServer start(String host, int port, PrometheusRegistry registry)
      throws IOException {
    HttpServer server = HttpServers.create("naap-metrics",
        new InetSocketAddress(InetAddress.getByName(host), port), Limits.defaults(), PLAIN_TEXT);
    server.createContext("/metrics", new MetricsHandler(registry));
    server.createContext("/-/healthy", ex -> {
      byte[] ok = "Exporter is healthy.\n".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
      ex.sendResponseHeaders(200, ok.length);
      ex.getResponseBody().write(ok);
      ex.close();
    });
    server.start();
    return new MetricsServer(server);
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
