package dev.naap.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.naap.metrics.query.Granularity;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Server-side cache of 200 responses, keyed by the normalised request and kept for a time that
 * follows the granularity: fine buckets change often, daily buckets rarely. It is bounded in bytes
 * (body, ETag and key, plus a fixed overhead per entry): Caffeine evicts the least valuable entries
 * once {@code maxBytes} are held, and drops entries when they expire. Thread-safe: the computation
 * of a missing entry runs once per key at a time; requests for a key being computed wait for that
 * computation instead of starting their own, so an entry that expires under load costs the store
 * one query, not one per waiting request.
 */
final class ResponseCache {

  /** Entries larger than this are not kept, so a few huge pages cannot crowd out the rest. */
  static final int MAX_ENTRY_BYTES = 4 << 20;
  /** What an entry costs besides its body and strings: objects, headers, the table's node. */
  static final int ENTRY_OVERHEAD_BYTES = 512;

  record Kept(Response response, String etag, Instant expires) {}

  /** A response with its ETag and whether it came from the cache. */
  record Cached(Response response, String etag, boolean hit) {}

  private final long maxBytes;
  private final InstantSource clock;
  private final Cache<String, Kept> entries;
  private final ConcurrentHashMap<String, CompletableFuture<Response>> computing =
      new ConcurrentHashMap<>();

  ResponseCache(long maxBytes, InstantSource clock) {
    this.maxBytes = maxBytes;
    this.clock = clock;
    this.entries =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((String k, Kept e) -> weight(k, e))
            .ticker(RateLimiter.ticker(clock))
            .expireAfter(
                Expiry.<String, Kept>writing(
                    (k, e) -> Duration.between(clock.instant(), e.expires())))
            .executor(Runnable::run)
            .build();
  }

  static int weight(String key, Kept e) {
    long w =
        ENTRY_OVERHEAD_BYTES + e.response().body().length + 2L * (key.length() + e.etag().length());
    for (var h : e.response().headers().entrySet()) {
      w += 2L * (h.getKey().length() + h.getValue().length());
    }
    return (int) Math.min(Integer.MAX_VALUE, w);
  }

  /** Bytes held now, by the weigher's count (for tests and metrics). */
  long weightedSize() {
    entries.cleanUp();
    return entries.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  /** How long a response for buckets of {@code g} stays fresh. */
  static Duration ttl(Granularity g) {
    return switch (g) {
      case MINUTE -> Duration.ofSeconds(10);
      case FIVE_MINUTES -> Duration.ofSeconds(30);
      case HOUR -> Duration.ofSeconds(60);
      case DAY -> Duration.ofMinutes(5);
      // One bucket up to the range's end: it changes with every refresh, like 5 m buckets.
      case ALL -> Duration.ofSeconds(30);
    };
  }

  /** The fresh cached response for {@code key}, or null. */
  Cached peek(String key) {
    Kept e = entries.getIfPresent(key);
    if (e == null || !clock.instant().isBefore(e.expires())) {
      return null;
    }
    return new Cached(e.response(), e.etag(), true);
  }

  /** The cached response for {@code key}, or {@code compute}'s, kept when it is a cacheable 200. */
  Cached get(String key, Supplier<Response> compute) {
    Cached hit = peek(key);
    return hit != null ? hit : compute(key, compute);
  }

  /**
   * Whether {@code key} has an entry that expires within {@code lead}, or within a quarter of its
   * lifetime if that is shorter (a 10-s entry is renewed in its last 2.5 s, not in half its life).
   */
  boolean expiresWithin(String key, Duration lead) {
    Kept e = entries.getIfPresent(key);
    if (e == null) {
      return false;
    }
    Duration quarter = e.response().maxAge().dividedBy(4);
    Duration window = quarter.compareTo(lead) < 0 ? quarter : lead;
    return !Duration.between(clock.instant(), e.expires()).minus(window).isPositive();
  }

  /**
   * Computes {@code key}'s response again and keeps it in place of the entry there. Until it is
   * done, requests get the entry there while it is fresh, then wait for this computation.
   */
  void renew(String key, Supplier<Response> compute) {
    compute(key, compute);
  }

  /** Computes and keeps {@code key}'s response, or waits for a computation of it under way. */
  private Cached compute(String key, Supplier<Response> compute) {
    var mine = new CompletableFuture<Response>();
    CompletableFuture<Response> running = computing.putIfAbsent(key, mine);
    if (running != null) {
      Response r = await(running);
      return new Cached(r, r.etag(), true);
    }
    try {
      Response r = compute.get();
      String etag = r.etag();
      if (r.status() == 200
          && !r.maxAge().isZero()
          && r.body().length <= MAX_ENTRY_BYTES
          && maxBytes > 0) {
        entries.put(key, new Kept(r, etag, clock.instant().plus(r.maxAge())));
      }
      mine.complete(r);
      return new Cached(r, etag, false);
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      computing.remove(key, mine);
    }
  }

  /** The outcome of another request's computation: its response, or its exception rethrown. */
  private static Response await(CompletableFuture<Response> running) {
    try {
      return running.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }
}
