package dev.naap.api;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs calls into the query layer with bounded concurrency and time: a call waits at most the
 * timeout for a slot and for its answer, then the caller gets a 503 (the store call itself runs on
 * to its end, still holding its slot, so a slow store cannot be flooded). Thread-safe.
 */
final class QueryRunner implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(QueryRunner.class);

  private final Semaphore slots;
  private final Duration timeout;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  QueryRunner(int concurrency, Duration timeout) {
    this.slots = new Semaphore(concurrency);
    this.timeout = timeout;
  }

  <T> T run(Supplier<T> call) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!slots.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw unavailable("the server is busy; try again shortly");
      }
      Future<T> future;
      try {
        future = executor.submit(() -> {
          try {
            return call.get();
          } finally {
            slots.release();
          }
        });
      } catch (RuntimeException e) {
        slots.release();
        throw e;
      }
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw unavailable("the query took longer than " + timeout.toSeconds() + " s; narrow the range or filters");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ApiProblem p) {
        throw p;
      }
      if (e.getCause() instanceof IllegalArgumentException iae) {
        // The query layer's own validation, written for callers.
        throw new ApiProblem(400, "Invalid query", iae.getMessage(), null);
      }
      log.error("query failed", e.getCause());
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
