package dev.naap.api;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Dashboard tokens: the server hands one to every browser that loads a dashboard page (as an
 * HttpOnly, SameSite=Strict cookie) and the page's own API calls carry it back. A token is the
 * expiry and an HMAC over expiry and the client's address, so it cannot be forged and is worth
 * nothing from another address. Thread-safe.
 */
final class DashboardTokens {

  static final String COOKIE = "naap_dashboard";
  static final Duration LIFETIME = Duration.ofHours(12);

  private final Signer signer;
  private final InstantSource clock;

  DashboardTokens(Signer signer, InstantSource clock) {
    this.signer = signer;
    this.clock = clock;
  }

  /** The {@code Set-Cookie} value for a page served to {@code clientAddress}. */
  String cookie(String clientAddress) {
    long expiry = clock.instant().plus(LIFETIME).getEpochSecond();
    String token = expiry + "." + signer.sign("dashboard|" + expiry + "|" + clientAddress);
    return COOKIE
        + "="
        + token
        + "; Path=/; Max-Age="
        + LIFETIME.toSeconds()
        + "; HttpOnly; SameSite=Strict";
  }

  /**
   * Whether the {@code Cookie} header carries a valid, unexpired token for {@code clientAddress}.
   */
  boolean valid(String cookieHeader, String clientAddress) {
    if (cookieHeader == null) {
      return false;
    }
    for (String part : cookieHeader.split(";")) {
      String c = part.strip();
      if (!c.startsWith(COOKIE + "=")) {
        continue;
      }
      String[] token = c.substring(COOKIE.length() + 1).split("\\.", 2);
      if (token.length == 2 && token[0].matches("[0-9]{1,12}")
          && Instant.ofEpochSecond(Long.parseLong(token[0])).isAfter(clock.instant())
          && signer.verify("dashboard|" + token[0] + "|" + clientAddress, token[1])) {
        return true;
      }
    }
    return false;
  }
}
