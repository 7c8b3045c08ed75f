package dev.naap.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one client and all clients together may hold of a server (docs/SECURITY.md): the limits of
 * {@link HttpServers}, declared once here.
 *
 * @param headerDeadline reading a request's line and headers, from its first byte: a slower client
 *     (even one that never goes idle) is disconnected within it plus the check interval
 * @param bodyDeadline reading a whole request, body included, from its first byte
 * @param idleTimeout a connection with no bytes moving either way is closed
 * @param maxConnections open connections in all; beyond it a new one is closed at once
 * @param maxConnectionsPerClient open connections from one remote address (an IPv6 one's /64);
 *     beyond it a new one is closed at once, before any request byte is read
 * @param maxHeaderBytes the request line and headers together; a longer request target is 414, a
 *     larger header block 431. 128 KiB: a ClickHouse {@code param_} of 100 000 characters fits
 * @param maxHeaders header fields in a request; more is 431
 */
public record Limits(
    Duration headerDeadline,
    Duration bodyDeadline,
    Duration idleTimeout,
    int maxConnections,
    int maxConnectionsPerClient,
    int maxHeaderBytes,
    int maxHeaders) {

  public static final Duration DEFAULT_HEADER_DEADLINE = Duration.ofSeconds(10);
  public static final Duration DEFAULT_BODY_DEADLINE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_CONNECTIONS = 8_192;
  public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 64;
  public static final int DEFAULT_MAX_HEADER_BYTES = 128 << 10;
  public static final int DEFAULT_MAX_HEADERS = 100;
  /**
   * An IPv6 client is its /64, the block one host or subscriber gets (8 bytes of network): for the
   * connection cap here and the API's quotas alike, or each of its 2^64 addresses would count as a
   * client of its own.
   */
  public static final int IPV6_CLIENT_PREFIX_BYTES = 8;

  public Limits {
    List<String> errors = new ArrayList<>();
    positive(errors, "headerDeadline", headerDeadline);
    positive(errors, "bodyDeadline", bodyDeadline);
    positive(errors, "idleTimeout", idleTimeout);
    if (maxConnections < 1) {
      errors.add("maxConnections=" + maxConnections + " must be at least 1");
    }
    if (maxConnectionsPerClient < 1) {
      errors.add("maxConnectionsPerClient=" + maxConnectionsPerClient + " must be at least 1");
    }
    if (maxHeaderBytes < 1024 || maxHeaderBytes > (16 << 20)) {
      errors.add("maxHeaderBytes=" + maxHeaderBytes + " is outside 1024..16777216");
    }
    if (maxHeaders < 8) {
      errors.add("maxHeaders=" + maxHeaders + " must be at least 8");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid connection limits: " + String.join("; ", errors));
    }
  }

  /** The defaults above. */
  public static Limits defaults() {
    return new Limits(DEFAULT_HEADER_DEADLINE, DEFAULT_BODY_DEADLINE, DEFAULT_IDLE_TIMEOUT,
        DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_CLIENT, DEFAULT_MAX_HEADER_BYTES,
        DEFAULT_MAX_HEADERS);
  }

  /** These limits with other connection caps. */
  public Limits withConnections(int maxConnections, int maxConnectionsPerClient) {
    return new Limits(headerDeadline, bodyDeadline, idleTimeout, maxConnections,
        maxConnectionsPerClient, maxHeaderBytes, maxHeaders);
  }

  /** These limits with other read deadlines. */
  public Limits withDeadlines(Duration headerDeadline, Duration bodyDeadline,
      Duration idleTimeout) {
    return new Limits(headerDeadline, bodyDeadline, idleTimeout, maxConnections,
        maxConnectionsPerClient, maxHeaderBytes, maxHeaders);
  }

  private static void positive(List<String> errors, String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      errors.add(name + " must be positive, got " + d);
    }
  }
}
