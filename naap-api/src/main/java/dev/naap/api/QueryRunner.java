package dev.naap.api;

import dev.naap.metrics.query.InvalidQueryException;
import dev.naap.metrics.query.StoreFailure;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs calls into the query layer with bounded concurrency and time. At most {@code concurrency}
 * calls are in flight (running, or queued at the store's executor, which runs the engine calls on
 * its platform threads), in {@link StoreSlots}: a request that gets no slot is answered 503 — at
 * once, or after a short wait for a client that holds few of them. A call that
 * outlives the timeout is cancelled — taken out of the store's queue, its HTTP request to a
 * ClickHouse server aborted, or its read cancelled in the embedded engine — and its slot freed. A
 * failing store is a 503 too, logged once per change of state.
 * Each call runs on a virtual thread that only waits for the store's futures, so it holds no
 * carrier thread. Thread-safe.
 */
final class QueryRunner implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(QueryRunner.class);

  /** The {@code Retry-After} of every 503: the store is busy or failing for now. */
  static final long RETRY_AFTER_SECONDS = 2;

  private final int concurrency;
  private final StoreSlots slots;
  private final Duration timeout;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final StoreHealth health = new StoreHealth("API queries");

  QueryRunner(int concurrency, Duration timeout) {
    this.concurrency = concurrency;
    this.slots = new StoreSlots(concurrency);
    this.timeout = timeout;
  }

  <T> T run(Supplier<T> call) {
    String client = StoreSlots.client();
    try {
      if (!slots.acquire(client)) {
        throw unavailable("the server is busy: " + concurrency + " queries are in flight; retry in "
            + RETRY_AFTER_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted");
    }
    Future<T> future;
    try {
      future = executor.submit(() -> {
        try {
          return call.get();
        } finally {
          slots.release(client);
        }
      });
    } catch (RuntimeException e) {
      slots.release(client);
      throw e;
    }
    try {
      T result = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      health.answered();
      return result;
    } catch (TimeoutException e) {
      future.cancel(true);
      // Not a change of the store's state (one heavy query is slow, others answer): not logged
      // above debug, or a mixed load would log a line per request. /ready reports a hung store.
      log.debug("query cancelled after {} s", timeout.toSeconds());
      throw unavailable("the query took longer than " + timeout.toSeconds()
          + " s; narrow the range or filters, or retry later");
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw unavailable("interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ApiProblem p) {
        throw p;
      }
      if (cause instanceof InvalidQueryException iqe) {
        throw ApiProblem.invalid(iqe);
      }
      if (cause instanceof IllegalArgumentException iae) {
        // The query layer's own validation, written for callers.
        throw new ApiProblem(400, "Invalid query", iae.getMessage(), null);
      }
      StoreFailure store = StoreFailure.of(cause).orElse(null);
      if (store != null && store.busy()) {
        throw unavailable("the store is busy; retry in " + RETRY_AFTER_SECONDS + " s");
      }
      if (executor.isShutdown()) {
        throw unavailable("the server is stopping; retry in " + RETRY_AFTER_SECONDS + " s");
      }
      if (store != null) {
        // A store that is down, hung or failing: the request was valid, the answer is not there.
        health.failed(store, cause);
        throw unavailable("the data store is not answering; retry in " + RETRY_AFTER_SECONDS
            + " s");
      }
      log.error("query failed", cause);
      throw new ApiProblem(500, "Internal error", "the query failed; it has been logged", null);
    }
  }

  private static ApiProblem unavailable(String detail) {
    return new ApiProblem(503, "Service unavailable", detail, null);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
