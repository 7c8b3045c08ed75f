package dev.naap.http;

import java.util.Map;

/**
 * Connection limits of the JDK's HTTP server, which reads them from system properties once, when
 * its classes load, for every server in the process (the API and the ClickHouse facade alike):
 * call {@link #install()} before the first {@code HttpServer} is created. A property set on the
 * command line ({@code -D…}) wins. docs/SECURITY.md lists them.
 */
public final class HttpLimits {

  /**
   * Each limit and its default. maxReqTime (seconds) bounds reading a request's line, headers and
   * body: a slow client's connection is closed within it (plus the 1 s timer tick). idleInterval
   * (seconds) closes kept-alive connections with no request. maxConnections caps open connections;
   * beyond it a new one is closed at once. Header count and size are bounded too. nodelay: the
   * server writes headers and body as two segments, and without TCP_NODELAY Nagle's algorithm
   * holds the body until the client's delayed ACK, tens of milliseconds on every response.
   */
  public static final Map<String, String> DEFAULTS = Map.of(
      "sun.net.httpserver.maxReqTime", "10",
      "sun.net.httpserver.idleInterval", "30",
      "jdk.httpserver.maxConnections", "8192",
      "sun.net.httpserver.maxReqHeaders", "100",
      "sun.net.httpserver.maxReqHeaderSize", "131072",
      "sun.net.httpserver.nodelay", "true");

  private HttpLimits() {}

  /** Sets each limit not already set. Idempotent. */
  public static synchronized void install() {
    DEFAULTS.forEach((k, v) -> {
      if (System.getProperty(k) == null) {
        System.setProperty(k, v);
      }
    });
  }
}
