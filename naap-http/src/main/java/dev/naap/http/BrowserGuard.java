package dev.naap.http;

import com.sun.net.httpserver.Headers;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Keeps web pages off a surface that is not for browsers (the ClickHouse endpoint, the metrics
 * ports), which a page the operator opens could otherwise reach on loopback: a {@code Host} that is
 * a name other than {@code localhost} or an allowed one is DNS rebinding; an {@code Origin} must be
 * allowed explicitly, and a cross-site fetch without one (an image) is refused too.
 */
public final class BrowserGuard {

  /** Why a request is refused. */
  public enum Refusal {
    /** a {@code Host} name that is neither {@code localhost} nor allowed */
    HOST,
    /** an {@code Origin} not allowed */
    ORIGIN,
    /** a cross-site fetch without an {@code Origin} ({@code Sec-Fetch-Site: cross-site}) */
    CROSS_SITE
  }

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");

  private final Set<String> allowedHosts;
  private final Set<String> allowedOrigins;

  /**
   * @param allowedHosts host names accepted in {@code Host} besides IP addresses and {@code
   *     localhost}, any case
   * @param allowedOrigins {@code Origin} values accepted, exactly
   */
  public BrowserGuard(Collection<String> allowedHosts, Collection<String> allowedOrigins) {
    this.allowedHosts = allowedHosts.stream()
        .map(h -> h.strip().toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
    this.allowedOrigins = allowedOrigins.stream()
        .map(String::strip)
        .collect(Collectors.toUnmodifiableSet());
  }

  /** Why a request with {@code headers} is refused; empty when it is not. */
  public Optional<Refusal> check(Headers headers) {
    String host = headers.getFirst("Host");
    if (host != null && !hostAllowed(host.strip().toLowerCase(Locale.ROOT))) {
      return Optional.of(Refusal.HOST);
    }
    String origin = headers.getFirst("Origin");
    if (origin != null && !allowedOrigins.contains(origin.strip())) {
      return Optional.of(Refusal.ORIGIN);
    }
    String site = headers.getFirst("Sec-Fetch-Site");
    if (origin == null && site != null && site.strip().equalsIgnoreCase("cross-site")) {
      return Optional.of(Refusal.CROSS_SITE);
    }
    return Optional.empty();
  }

  private boolean hostAllowed(String host) {
    String name = host;
    if (name.startsWith("[")) {
      int end = name.indexOf(']');
      return end > 0 && IPV6.matcher(name.substring(1, end)).matches();
    }
    int colon = name.lastIndexOf(':');
    if (colon >= 0) {
      name = name.substring(0, colon);
    }
    return IPV4.matcher(name).matches() || name.equals("localhost") || allowedHosts.contains(name);
  }
}
