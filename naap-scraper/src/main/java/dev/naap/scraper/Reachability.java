package dev.naap.scraper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Measures whether an orchestrator's service URI can be reached from here: the TCP connect time
 * and, for {@code https}, the TLS handshake time. Orchestrators serve self-signed certificates, so
 * the handshake accepts any certificate: it measures the handshake and sends no data. Thread-safe.
 */
final class Reachability {
  private final Duration timeout;
  private final HostResolver hosts;
  private final SSLContext tls;

  Reachability(Duration timeout, HostResolver hosts) {
    this.timeout = timeout;
    this.hosts = hosts;
    try {
      tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {new AnyCertificate()}, null);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("no TLS in this JDK", e);
    }
  }

  /**
   * One probe's outcome; times in milliseconds, null when that step did not complete.
   *
   * @param ip the address connected to (or resolved); null when the host did not resolve
   */
  record Probe(String orchUri, String host, int port, InetAddress ip, boolean ok,
      Double tcpConnectMs, Double tlsHandshakeMs, String errorKind, String error) {}

  Probe probe(String orchUri) {
    URI uri;
    try {
      uri = URI.create(orchUri);
    } catch (IllegalArgumentException e) {
      return failed(orchUri, "", 0, null, null, "invalid_uri", e.getMessage());
    }
    String host = uri.getHost();
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
    if (host == null) {
      return failed(orchUri, "", port, null, null, "invalid_uri", "no host in " + orchUri);
    }
    HostResolver.Result resolved = hosts.resolve(host);
    if (!resolved.ok()) {
      return failed(orchUri, host, port, null, null, "dns", resolved.error());
    }
    InetAddress ip = resolved.ip();
    int timeoutMs = (int) Math.max(1, timeout.toMillis());
    try (Socket socket = new Socket()) {
      long t0 = System.nanoTime();
      try {
        socket.connect(new InetSocketAddress(ip, port), timeoutMs);
      } catch (SocketTimeoutException e) {
        return failed(orchUri, host, port, ip, null, "timeout", "connect timed out");
      } catch (IOException e) {
        return failed(orchUri, host, port, ip, null, "connect", String.valueOf(e.getMessage()));
      }
      double tcpMs = (System.nanoTime() - t0) / 1e6;
      if (!https) {
        return new Probe(orchUri, host, port, ip, true, tcpMs, null, "", "");
      }
      socket.setSoTimeout(timeoutMs);
      long t1 = System.nanoTime();
      try (SSLSocket ssl = (SSLSocket) tls.getSocketFactory()
          .createSocket(socket, host, port, false)) {
        ssl.startHandshake();
        return new Probe(orchUri, host, port, ip, true, tcpMs, (System.nanoTime() - t1) / 1e6,
            "", "");
      } catch (SocketTimeoutException e) {
        return failed(orchUri, host, port, ip, tcpMs, "timeout", "TLS handshake timed out");
      } catch (SSLException e) {
        return failed(orchUri, host, port, ip, tcpMs, "tls", String.valueOf(e.getMessage()));
      }
    } catch (IOException e) {
      return failed(orchUri, host, port, ip, null, "connect", String.valueOf(e.getMessage()));
    }
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
