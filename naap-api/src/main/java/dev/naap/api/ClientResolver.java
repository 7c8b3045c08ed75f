package dev.naap.api;

import com.sun.net.httpserver.HttpExchange;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * Decides which {@link Client} a request counts against: a configured API key ({@code X-API-Key}
 * header; an unknown key is a 401), else a valid dashboard token, else the client's address.
 * Thread-safe.
 */
final class ClientResolver {

  static final String API_KEY_HEADER = "X-API-Key";

  private final ApiConfig config;
  private final DashboardTokens tokens;

  ClientResolver(ApiConfig config, DashboardTokens tokens) {
    this.config = config;
    this.tokens = tokens;
  }

  Client resolve(HttpExchange exchange) {
    String apiKey = exchange.getRequestHeaders().getFirst(API_KEY_HEADER);
    if (apiKey != null) {
      for (var entry : config.apiKeys().entrySet()) {
        if (MessageDigest.isEqual(entry.getKey().getBytes(StandardCharsets.UTF_8),
            apiKey.getBytes(StandardCharsets.UTF_8))) {
          return new Client("key:" + entry.getKey(), "key", entry.getValue());
        }
      }
      throw new ApiProblem(401, "Unknown API key", "the " + API_KEY_HEADER + " header holds no key this server knows",
          null);
    }
    String address = address(exchange);
    if (tokens.valid(exchange.getRequestHeaders().getFirst("Cookie"), address)) {
      return new Client("dashboard:" + address, "dashboard", config.dashboardRequestsPerWindow());
    }
    return new Client("ip:" + address, "default", config.requestsPerWindow());
  }

  /** The client's address: the connection's peer, or the first X-Forwarded-For hop when trusted. */
  String address(HttpExchange exchange) {
    if (config.trustForwardedFor()) {
      String forwarded = exchange.getRequestHeaders().getFirst("X-Forwarded-For");
      if (forwarded != null && !forwarded.isBlank()) {
        return forwarded.split(",")[0].strip();
      }
    }
    return exchange.getRemoteAddress().getAddress().getHostAddress();
  }
}
