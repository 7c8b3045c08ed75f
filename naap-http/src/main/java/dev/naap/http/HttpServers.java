package dev.naap.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.spi.JettyHttpServer;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP server of the API and the ClickHouse facade: Jetty, driven through its implementation of
 * the JDK's {@code com.sun.net.httpserver} API so that the handlers stay plain {@code HttpHandler}s.
 * Jetty rather than the JDK's own server for what that one cannot do (docs/adr/0005): a
 * per-client connection cap before any request byte, and every error in the surface's own format.
 * Each exchange runs on its own virtual thread; Jetty's selector and acceptor on a few platform
 * threads.
 */
public final class HttpServers {

  /**
   * The content policy of every answer that is data, not a page (JSON, CSV, text, errors): a
   * browser that opens one runs and loads nothing, and no site may frame it.
   */
  public static final String DATA_POLICY = "default-src 'none'; frame-ancestors 'none'";
  /** {@code X-Frame-Options} of every answer: for browsers that predate {@code frame-ancestors}. */
  public static final String FRAME_OPTIONS = "DENY";

  /** Platform threads for Jetty's selector, acceptor and non-blocking work. */
  private static final int PLATFORM_THREADS = 8;
  private static final int BACKLOG = 256;

  private HttpServers() {}

  /**
   * A server bound to {@code address} (port 0 picks one), not yet started: add contexts, then
   * {@code start()}. {@code setExecutor} is not supported (exchanges run on virtual threads);
   * {@code stop(seconds)} lets requests in flight finish for up to that long.
   *
   * @param name names the server's threads
   * @throws IOException when the address cannot be bound
   */
  public static HttpServer create(String name, InetSocketAddress address, Limits limits,
      ErrorFormat errors) throws IOException {
    QueuedThreadPool threads = new QueuedThreadPool(PLATFORM_THREADS, 2);
    threads.setName(name);
    ExecutorService exchanges = Executors.newThreadPerTaskExecutor(
        Thread.ofVirtual().name(name + "-exchange-", 0).factory());
    threads.setVirtualThreadsExecutor(exchanges);
    Server server = new Server(threads);
    server.setErrorHandler(new ErrorPage(errors));
    server.setHandler(new GracefulHandler(new UnreadBody(new Screen(limits.maxHeaders(),
        new ClientGone(new ContextHandlerCollection())))));

    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setRequestHeaderSize(limits.maxHeaderBytes());
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(address.getAddress().getHostAddress());
    connector.setPort(address.getPort());
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    connector.setAcceptQueueSize(BACKLOG);
    connector.addBean(new ConnectionGuard(limits, server.getScheduler()));
    server.addConnector(connector);
    connector.open(); // binds now, as HttpServer.create does: a busy port fails here

    Spi spi = new Spi(server, http, exchanges);
    spi.bind(address, BACKLOG); // finds the open connector, adds none
    return spi;
  }

  /** Jetty's SPI server, stopping gracefully: its own stop closes connections in flight. */
  private static final class Spi extends JettyHttpServer {
    private final ExecutorService exchanges;

    Spi(Server server, HttpConfiguration http, ExecutorService exchanges) {
      super(server, false, http);
      this.exchanges = exchanges;
    }

    /**
     * {@code handler} sees each request's headers and target as sent ({@link AsSent}). A handler
     * that fails because the connection is already closed (the client left, or a deadline closed
     * it) has nobody to answer: the failure ends there, rather than in a 500 that Jetty cannot
     * send and logs with its stack trace, once per slow or vanished client.
     */
    @Override
    public HttpContext createContext(String path, HttpHandler handler) {
      return super.createContext(path, ex -> {
        try {
          handler.handle(new AsSent(ex));
        } catch (IOException | RuntimeException e) {
          if (!connectionClosed(e)) {
            throw e;
          }
        }
      });
    }

    private static boolean connectionClosed(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ClosedChannelException || t instanceof EofException) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void stop(int seconds) {
      Server server = getServer();
      server.setStopTimeout(Math.max(0, seconds) * 1000L);
      try {
        server.stop();
      } catch (Exception e) {
        throw new IllegalStateException("the HTTP server did not stop cleanly", e);
      } finally {
        super.stop(seconds);
        exchanges.shutdownNow();
      }
    }
  }
}
