package dev.naap.api;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * Two calls into the query layer at once: a request's small side statements (the data-as-of
 * watermark, the SLA targets) run beside its main statement instead of after it, so they add an
 * engine round trip of work but none of latency. The side call runs on a virtual thread that only
 * waits for the store, whose own executor runs the statements on its platform threads.
 */
final class Beside {

  /** The main call's result and the side call's. */
  record Both<A, B>(A main, B side) {}

  private Beside() {}

  /**
   * Runs {@code main} on this thread and {@code side} at the same time; a failure of either is
   * thrown, and a caller that gives up (interrupt) takes the side call back too.
   */
  static <A, B> Both<A, B> run(Supplier<A> main, Supplier<B> side) {
    FutureTask<B> task = new FutureTask<>(side::get);
    Thread.ofVirtual().name("query-side").start(task);
    try {
      A a = main.get();
      return new Both<>(a, task.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a side query", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } finally {
      task.cancel(true);
    }
  }
}
