package dev.naap.api;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps popular responses in the cache without a request waiting for the store: a response asked
 * for in the last seconds of its cache entry's life is computed again before it expires, and one
 * asked for in the last seconds of a minute is computed for the next minute before that begins. A
 * request without {@code end} covers the range up to the next whole minute, so its cache key
 * changes at every boundary, and without this the first visitors of each minute all waited for the
 * store (a dashboard's six calls miss at once). Only routes that opt in ({@link
 * Endpoint#refreshAhead()}) are computed ahead: the range reports, whose answer depends on the time
 * only through their range. Bounded: at most {@link #AT_ONCE} computations at once, each key once,
 * through the same query limit as the requests; a request for a key being computed waits for that
 * computation rather than starting its own.
 *
 * <p>A response computed for the next minute is the one a request at the boundary gets, with data
 * up to the moment it was computed (at most {@link #LEAD} earlier), and {@code generated_at} at the
 * boundary.
 */
final class RefreshAhead implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RefreshAhead.class);
  /** How long before a boundary or an expiry a request starts the next response. */
  static final Duration LEAD = Duration.ofSeconds(5);
  /** Responses computed ahead at once: ahead-work must not crowd out the requests. */
  static final int AT_ONCE = 2;

  private final ResponseCache cache;
  private final Semaphore slots = new Semaphore(AT_ONCE);
  private final Set<String> underWay = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads =
      Executors.newThreadPerTaskExecutor(
          Thread.ofVirtual().name("naap-api-refresh-ahead-", 0).factory());

  RefreshAhead(ResponseCache cache) {
    this.cache = cache;
  }

  /**
   * After {@code request} was answered under {@code key}: when a minute boundary is less than
   * {@link #LEAD} away and the request's key changes at it, starts computing the response it will
   * have after the boundary, unless that is cached already; otherwise, when its entry expires
   * within {@link #LEAD} (or a quarter of its life), starts computing it again.
   */
  void answered(String key, Endpoint endpoint, ApiRequest request, Endpoint.Prepared prepared) {
    if (!endpoint.refreshAhead()) {
      return;
    }
    Instant now = request.now();
    Instant boundary = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    if (Duration.between(now, boundary).compareTo(LEAD) <= 0) {
      Endpoint.Prepared next;
      try {
        next = endpoint.prepare(request.at(boundary.plusMillis(1)));
      } catch (RuntimeException e) {
        return; // valid now, invalid then (a range grown past the limit): nothing to do ahead
      }
      String nextKey = next.cacheKey();
      if (nextKey != null && !nextKey.equals(key)) {
        // The key moves at the boundary (no explicit end): its entry has no future to renew.
        if (cache.peek(nextKey) == null) {
          start(nextKey, () -> cache.get(nextKey, next.compute()), request);
        }
        return;
      }
    }
    if (cache.expiresWithin(key, LEAD)) {
      start(key, () -> cache.renew(key, prepared.compute()), request);
    }
  }

  /** Runs {@code work} for {@code key} in the background, unless it is under way or too many are. */
  private void start(String key, Runnable work, ApiRequest request) {
    if (!slots.tryAcquire()) {
      return;
    }
    if (!underWay.add(key)) {
      slots.release();
      return;
    }
    try {
      threads.execute(
          () -> {
            try {
              work.run();
            } catch (RuntimeException e) {
              // A request computes it when it needs it, and meets the failure if it lasts.
              log.debug("not computed ahead: {}: {}", request.path(), e.toString());
            } finally {
              underWay.remove(key);
              slots.release();
            }
          });
    } catch (RejectedExecutionException e) {
      underWay.remove(key); // closing
      slots.release();
    }
  }

  /** Stops; computations under way are interrupted. */
  @Override
  public void close() {
    threads.shutdownNow();
  }
}
