package dev.naap.scraper;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Measures whether an orchestrator's service URI can be reached from here: the TCP connect time
 * and, for {@code https}, the TLS handshake time. Orchestrators serve self-signed certificates, so
 * the handshake accepts any certificate: it measures the handshake and sends no data. The host is
 * looked up first (within the resolver's deadline); connect and handshake then share one hard
 * deadline, {@code timeout}, at which the socket is closed. Thread-safe.
 */
final class Reachability implements AutoCloseable {
  private final Duration timeout;
  private final HostResolver hosts;
  private final SSLContext tls;
  // A read timeout alone does not bound a handshake: a server that sends a byte a second keeps
  // every read short and the handshake open for hours. This closes the socket at the deadline.
  private final ScheduledThreadPoolExecutor closer;

  Reachability(Duration timeout, HostResolver hosts) {
    this.timeout = timeout;
    this.hosts = hosts;
    try {
      tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {new AnyCertificate()}, null);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("no TLS in this JDK", e);
    }
    closer = new ScheduledThreadPoolExecutor(1,
        Thread.ofPlatform().daemon().name("naap-scraper-probe-deadline").factory());
    closer.setRemoveOnCancelPolicy(true);
  }

  /**
   * One probe's outcome; times in milliseconds, null when that step did not complete.
   *
   * @param ip the address connected to (or resolved); null when the host did not resolve
   */
  record Probe(String orchUri, String host, int port, InetAddress ip, boolean ok,
      Double tcpConnectMs, Double tlsHandshakeMs, String errorKind, String error) {}

  /** Where a service URI points; {@code invalid} says why it points nowhere, else null. */
  private record Target(String host, int port, boolean https, String invalid) {
    static Target of(String orchUri) {
      URI uri;
      try {
        uri = URI.create(orchUri);
      } catch (IllegalArgumentException e) {
        return new Target("", 0, false, e.getMessage());
      }
      boolean https = "https".equalsIgnoreCase(uri.getScheme());
      int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
      return uri.getHost() == null ? new Target("", port, https, "no host in " + orchUri)
          : new Target(uri.getHost(), port, https, null);
    }
  }

  Probe probe(String orchUri) {
    Target t = Target.of(orchUri);
    if (t.invalid() != null) {
      return failed(orchUri, t.host(), t.port(), null, null, "invalid_uri", t.invalid());
    }
    String host = t.host();
    int port = t.port();
    HostResolver.Result resolved = hosts.resolve(host);
    if (!resolved.ok()) {
      return failed(orchUri, host, port, null, null, "dns", resolved.error());
    }
    InetAddress ip = resolved.ip();
    Socket socket = new Socket();
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> deadline = closer.schedule(() -> {
      expired.set(true);
      closeQuietly(socket);
    }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    Double tcpMs = null;
    try (socket) {
      long t0 = System.nanoTime();
      socket.connect(new InetSocketAddress(ip, port), (int) Math.max(1, timeout.toMillis()));
      tcpMs = (System.nanoTime() - t0) / 1e6;
      if (!t.https()) {
        return new Probe(orchUri, host, port, ip, true, tcpMs, null, "", "");
      }
      long t1 = System.nanoTime();
      // Not closed itself: a layered socket's close may wait for the peer's close_notify. The
      // plain socket under it is closed, which ends the connection.
      SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, host, port, false);
      ssl.startHandshake();
      return new Probe(orchUri, host, port, ip, true, tcpMs, (System.nanoTime() - t1) / 1e6, "",
          "");
    } catch (IOException e) {
      String step = tcpMs == null ? "connect" : "TLS handshake";
      if (expired.get() || e instanceof SocketTimeoutException) {
        return failed(orchUri, host, port, ip, tcpMs, "timeout",
            step + " not done within " + timeout.toMillis() + " ms");
      }
      String kind = tcpMs != null && e instanceof SSLException ? "tls" : "connect";
      return failed(orchUri, host, port, ip, tcpMs, kind, String.valueOf(e.getMessage()));
    } finally {
      deadline.cancel(false);
    }
  }

  /** The outcome of a probe that did not end in time ({@code why}): a timeout. */
  static Probe unfinished(String orchUri, String why) {
    Target t = Target.of(orchUri);
    return failed(orchUri, t.host(), t.port(), null, null, "timeout", why);
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // Nothing to do: the probe's outcome is already decided.
    }
  }

  /** Stops the deadline thread. */
  @Override
  public void close() {
    closer.shutdownNow();
  }

  private static Probe failed(String orchUri, String host, int port, InetAddress ip,
      Double tcpMs, String kind, String error) {
    return new Probe(orchUri, host, port, ip, false, tcpMs, null, kind, error);
  }

  /** Accepts any server certificate: the probe measures the handshake, it trusts nothing. */
  @SuppressWarnings("java:S4830")
  private static final class AnyCertificate implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
