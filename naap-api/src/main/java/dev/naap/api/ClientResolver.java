package dev.naap.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import com.sun.net.httpserver.HttpExchange;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * Decides which {@link Client} a request counts against: a configured API key ({@code X-API-Key}
 * header), else a valid dashboard token, else the client's address. An unknown key counts against
 * its address (so guessing keys spends that address's quota) and is then refused with a 401.
 * Thread-safe.
 */
final class ClientResolver {

  static final String API_KEY_HEADER = "X-API-Key";
  /** No chain of trusted proxies is longer; past it the last trusted hop seen is the client. */
  static final int MAX_HOPS = 64;
  /** An IPv6 client is its /64, as the connection cap counts it. */
  static final int IPV6_CLIENT_PREFIX_BYTES = dev.naap.http.Limits.IPV6_CLIENT_PREFIX_BYTES;

  private final ApiConfig config;
  private final DashboardTokens tokens;
  private final List<Cidr> trusted;

  ClientResolver(ApiConfig config, DashboardTokens tokens) {
    this.config = config;
    this.tokens = tokens;
    this.trusted = config.trustedProxies().stream().map(Cidr::parse).toList();
  }

  Client resolve(HttpExchange exchange) {
    String apiKey = exchange.getRequestHeaders().getFirst(API_KEY_HEADER);
    if (apiKey != null) {
      for (var entry : config.apiKeys().entrySet()) {
        if (MessageDigest.isEqual(entry.getKey().getBytes(StandardCharsets.UTF_8),
            apiKey.getBytes(StandardCharsets.UTF_8))) {
          return new Client("key:" + entry.getKey(), "key", entry.getValue(), false);
        }
      }
      return new Client("ip:" + address(exchange), "default", config.requestsPerWindow(), true);
    }
    String address = address(exchange);
    if (tokens.valid(exchange.getRequestHeaders().getFirst("Cookie"), address)) {
      return new Client(
          "dashboard:" + address, "dashboard", config.dashboardRequestsPerWindow(), false);
    }
    return new Client("ip:" + address, "default", config.requestsPerWindow(), false);
  }

  /**
   * The client's address: the connection's peer; when the peer is a trusted proxy, the rightmost
   * {@code X-Forwarded-For} hop that is not one (hops left of it are the client's to write). A hop
   * that is not an IP address ends the walk: the last trusted address seen is the client. The walk
   * goes from the right, over at most {@link #MAX_HOPS} hops, however many the header holds.
   */
  String address(HttpExchange exchange) {
    return network(forwardedAddress(exchange));
  }

  /**
   * {@code address} as one client: an IPv4 address alone, an IPv6 one by its /64 ({@code
   * 2001:db8:1:2::/64}), the block a single host or subscriber gets, whose 2^64 addresses would
   * otherwise each have a quota of their own.
   */
  static String network(String address) {
    byte[] bytes = Cidr.literal(address);
    if (bytes == null || bytes.length != 16) {
      return address;
    }
    StringBuilder network = new StringBuilder();
    for (int i = 0; i < IPV6_CLIENT_PREFIX_BYTES; i += 2) {
      network.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)))
          .append(':');
    }
    return network.append(":/").append(IPV6_CLIENT_PREFIX_BYTES * 8).toString();
  }

  private String forwardedAddress(HttpExchange exchange) {
    InetAddress peer = exchange.getRemoteAddress().getAddress();
    String client = peer.getHostAddress();
    if (trusted.isEmpty() || !isTrusted(peer.getAddress())) {
      return client;
    }
    List<String> values = exchange.getRequestHeaders().get("X-Forwarded-For");
    if (values == null) {
      return client;
    }
    int examined = 0;
    for (int v = values.size() - 1; v >= 0; v--) {
      String value = values.get(v);
      int end = value.length();
      while (true) {
        if (++examined > MAX_HOPS) {
          return client;
        }
        int comma = value.lastIndexOf(',', end - 1);
        byte[] hop = Cidr.literal(value.substring(comma + 1, end).strip());
        if (hop == null) {
          return client;
        }
        try {
          client = InetAddress.getByAddress(hop).getHostAddress();
        } catch (UnknownHostException e) {
          return client;
        }
        if (!isTrusted(hop)) {
          return client;
        }
        if (comma < 0) {
          break;
        }
        end = comma;
      }
    }
    return client;
  }

  private boolean isTrusted(byte[] address) {
    for (Cidr c : trusted) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
