package dev.naap.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.naap.metrics.query.Granularity;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
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
  private final ConcurrentHashMap<String, Computation> computing = new ConcurrentHashMap<>();

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

  /**
   * Computes and keeps {@code key}'s response, or waits for a computation of it under way. The
   * computation runs on a thread of its own, so that a request that gives up waiting (its client
   * left: the request is interrupted) leaves it to the others; the last one to leave cancels it.
   */
  private Cached compute(String key, Supplier<Response> compute) {
    while (true) {
      var mine = new Computation();
      Computation running = computing.putIfAbsent(key, mine);
      if (running == null) {
        start(key, mine, compute);
        Response r = await(mine);
        return new Cached(r, r.etag(), false);
      }
      if (running.join()) {
        Response r = await(running);
        return new Cached(r, r.etag(), true);
      }
      // Everyone left it: it is being cancelled. Start afresh, unless it ended and is kept.
      computing.remove(key, running);
      Cached hit = peek(key);
      if (hit != null) {
        return hit;
      }
    }
  }

  private void start(String key, Computation mine, Supplier<Response> compute) {
    String client = StoreSlots.client(); // whose store slots the computation takes
    Thread thread = Thread.ofVirtual().name("naap-api-compute").unstarted(() -> {
      try {
        Response r = client == null ? compute.get()
            : ScopedValue.where(StoreSlots.CLIENT, client).call(compute::get);
        if (r.status() == 200
            && !r.maxAge().isZero()
            && r.body().length <= MAX_ENTRY_BYTES
            && maxBytes > 0) {
          entries.put(key, new Kept(r, r.etag(), clock.instant().plus(r.maxAge())));
        }
        mine.result.complete(r);
      } catch (Throwable e) {
        mine.result.completeExceptionally(e);
      } finally {
        computing.remove(key, mine);
      }
    });
    mine.start(thread);
  }

  /**
   * The outcome of a computation: its response, or its exception rethrown. A request interrupted
   * while it waits leaves the computation, and gets a 503 nobody reads.
   */
  private static Response await(Computation running) {
    try {
      return running.result.get();
    } catch (InterruptedException e) {
      running.leave();
      Thread.currentThread().interrupt();
      throw new ApiProblem(503, "Service unavailable", "interrupted", null);
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case RuntimeException cause -> throw cause;
        case Error cause -> throw cause;
        default -> throw new IllegalStateException(e.getCause());
      }
    }
  }

  /** One computation of a key, and how many requests wait for it. */
  private static final class Computation {
    final CompletableFuture<Response> result = new CompletableFuture<>();
    private int waiters = 1;
    private Thread thread;

    synchronized void start(Thread t) {
      thread = t;
      t.start();
    }

    /** Adds a waiter; false when all have left (the computation is cancelled). */
    synchronized boolean join() {
      if (waiters == 0) {
        return false;
      }
      waiters++;
      return true;
    }

    /** A waiter gives up; the last one interrupts the computation, which cancels its query. */
    synchronized void leave() {
      if (--waiters == 0 && !result.isDone()) {
        thread.interrupt();
      }
    }
  }
}
