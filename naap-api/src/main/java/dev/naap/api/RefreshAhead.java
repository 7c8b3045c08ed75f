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
 * Computes the next minute's response of a request answered in the last seconds of a minute,
 * before that minute begins. A request without {@code end} covers the range up to the next whole
 * minute, so its cache key changes at every boundary, and without this the first visitors of
 * each minute all waited for the store (a dashboard's six calls miss at once). Only routes that
 * opt in ({@link Endpoint#refreshAhead()}) are computed ahead: the range reports, whose answer
 * depends on the time only through their range. Bounded: at most {@link #AT_ONCE} computations at
 * once, each key once, through the same query limit as the requests; the next request for the key
 * waits for a computation under way rather than starting its own.
 *
 * <p>A response computed ahead is the one a request at the boundary gets, with data up to the
 * moment it was computed (at most {@link #LEAD} earlier), and {@code generated_at} at the
 * boundary.
 */
final class RefreshAhead implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RefreshAhead.class);
  /** How long before a minute boundary a request makes the next minute's response. */
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
   * have after the boundary, unless it is cached or under way.
   */
  void answered(String key, Endpoint endpoint, ApiRequest request) {
    if (!endpoint.refreshAhead()) {
      return;
    }
    Instant boundary = request.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    if (Duration.between(request.now(), boundary).compareTo(LEAD) > 0) {
      return;
    }
    Endpoint.Prepared next;
    try {
      next = endpoint.prepare(request.at(boundary.plusMillis(1)));
    } catch (RuntimeException e) {
      return; // valid now, invalid then (a range that grows past the limit): nothing to do ahead
    }
    String nextKey = next.cacheKey();
    // A key that does not move with the clock (an explicit end) needs nothing ahead.
    if (nextKey == null || nextKey.equals(key) || cache.peek(nextKey) != null) {
      return;
    }
    if (!slots.tryAcquire()) {
      return;
    }
    if (!underWay.add(nextKey)) {
      slots.release();
      return;
    }
    try {
      threads.execute(
          () -> {
            try {
              cache.get(nextKey, next.compute());
            } catch (RuntimeException e) {
              // The request after the boundary computes it, and meets the failure if it lasts.
              log.debug("not computed ahead: {}: {}", request.path(), e.toString());
            } finally {
              underWay.remove(nextKey);
              slots.release();
            }
          });
    } catch (RejectedExecutionException e) {
      underWay.remove(nextKey); // closing
      slots.release();
    }
  }

  /** Stops; computations under way are interrupted. */
  @Override
  public void close() {
    threads.shutdownNow();
  }
}
