package dev.naap.loadtest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server that answers every request with what {@link Script} says: a gateway that
 * fails in one chosen way. Counts the requests per kind it received.
 */
final class ScriptedGateway implements AutoCloseable {

  /** What to answer: status code (0 = hang until closed) and body, per request. */
  interface Script {
    Answer answer(String method, String path, String body, int nth) throws Exception;
  }

  record Answer(int status, String body) {
    static Answer json(String body) {
      return new Answer(200, body);
    }
  }

  final AtomicInteger requests = new AtomicInteger();
  private final HttpServer server;

  ScriptedGateway(Script script) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", ex -> handle(ex, script));
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange ex, Script script) throws IOException {
    try (ex) {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Answer a = script.answer(ex.getRequestMethod(), ex.getRequestURI().getPath(), body,
          requests.incrementAndGet());
      byte[] b = a.body().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders()
          .set("Content-Type", a.body().startsWith("{") ? "application/json" : "text/plain");
      ex.sendResponseHeaders(a.status(), b.length == 0 ? -1 : b.length);
      if (b.length > 0) {
        ex.getResponseBody().write(b);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("script failed", e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
