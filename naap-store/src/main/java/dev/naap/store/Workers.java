package dev.naap.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The one executor of a store: N platform threads that each own one resource (an engine
 * connection) for their whole life — open, every statement, close — and take the store's calls
 * from one bounded queue. Every call into a store runs here, whoever makes it: native engine calls
 * block their thread, so a virtual thread making them would pin its carrier, and ClickHouse keeps
 * per-thread state that must be created and destroyed on the same OS thread. A caller only waits
 * for a future, which a virtual thread does without holding a carrier.
 *
 * <p>When the queue is full a call fails at once with code 202, so that callers can answer "busy"
 * instead of waiting. A caller that gives up (interrupted, or no worker took the call within its
 * wait) removes its call from the queue; a running call is interrupted, which aborts an HTTP
 * request and is ignored by a native call, and stopped as {@code stopRunning} says (the embedded
 * engine cancels a read from another connection). Closing stops running calls the same way.
 * Thread-safe.
 */
final class Workers<R> {

  private final String name;
  private final BlockingQueue<Task<R, ?>> queue;
  private final List<Thread> threads = new ArrayList<>();
  private final Set<Task<R, ?>> running = ConcurrentHashMap.newKeySet();
  private final Function<R, Runnable> stopRunning;
  private volatile boolean closed;

  /**
   * Starts {@code n} threads one after the other; each opens its resource with {@code open} (its
   * index) before the next starts, and closes it with {@code close} when the workers stop.
   *
   * @throws RuntimeException what {@code open} threw, after closing what was opened
   */
  Workers(String name, int n, int queueCapacity, IntFunction<R> open, Consumer<R> close) {
    this(name, n, queueCapacity, open, close, r -> null);
  }

  /**
   * As {@link #Workers(String, int, int, IntFunction, Consumer)}; a running call that is cancelled
   * is also stopped by the action {@code stopRunning} returns for its resource (null: none). It is
   * asked while the call still runs, so what it reads of the resource is that call's; the action
   * runs after, on the cancelling thread.
   */
  Workers(String name, int n, int queueCapacity, IntFunction<R> open, Consumer<R> close,
      Function<R, Runnable> stopRunning) {
    this.name = name;
    this.stopRunning = stopRunning;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    for (int i = 0; i < n; i++) {
      int index = i;
      CompletableFuture<Void> opened = new CompletableFuture<>();
      Thread t = Thread.ofPlatform().daemon().name(name + "-" + i)
          .start(() -> work(index, open, close, opened));
      threads.add(t);
      try {
        opened.join();
      } catch (RuntimeException e) {
        close(Duration.ofSeconds(30));
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
  }

  int size() {
    return threads.size();
  }

  /**
   * Runs {@code work} on a worker and returns its result. Waits up to {@code startWithin} for a
   * worker to take it (then code 202), and then for as long as it runs.
   */
  <T> T call(Function<R, T> work, Duration startWithin) {
    if (closed) {
      throw closedError();
    }
    Task<R, T> task = new Task<>(work);
    if (!queue.offer(task)) {
      throw new StoreException(202, "the store is busy: " + threads.size() + " statements run and "
          + (queue.size() + queue.remainingCapacity()) + " wait; try again shortly", null);
    }
    if (closed && task.cancelQueued(queue)) {
      throw closedError();
    }
    try {
      try {
        return task.result.get(startWithin.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        if (task.cancelQueued(queue)) {
          throw new StoreException(
              202,
              "no free "
                  + name
                  + " connection within "
                  + startWithin.toMillis()
                  + " ms: all "
                  + threads.size()
                  + " are running statements",
              null);
        }
        return task.result.get();
      }
    } catch (InterruptedException e) {
      task.cancel(queue, stopRunning);
      Thread.currentThread().interrupt();
      throw new StoreException(
          0, "interrupted while waiting for the store (" + name + ")", null, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new StoreException(0, "the store call failed: " + cause, null, cause);
    }
  }

  /**
   * Refuses new calls, fails the queued ones, stops the running ones as {@code stopRunning} says
   * (the others run to their end), lets each worker close its resource, and waits up to {@code
   * wait} for all of them.
   *
   * @return whether every worker stopped (so every resource was closed)
   */
  boolean close(Duration wait) {
    closed = true;
    for (Task<R, ?> t; (t = queue.poll()) != null; ) {
      if (t.cancelQueued(queue)) {
        t.result.completeExceptionally(closedError());
      }
    }
    for (Task<R, ?> t : running) {
      Runnable stop = t.stopRunning(stopRunning);
      if (stop != null) {
        stop.run();
      }
    }
    long deadline = System.nanoTime() + wait.toNanos();
    boolean all = true;
    // An interrupt (a command being stopped) does not cut the wait short: a connection closed
    // mid-statement can abort the process. It is kept for the caller.
    boolean interrupted = false;
    for (Thread t : threads) {
      while (true) {
        try {
          long left = deadline - System.nanoTime();
          if (left <= 0 || !t.join(Duration.ofNanos(left))) {
            all = false;
          }
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return all;
  }

  private StoreException closedError() {
    return new StoreException(0, "the store (" + name + ") is closed", null);
  }

  private void work(
      int index, IntFunction<R> open, Consumer<R> close, CompletableFuture<Void> opened) {
    R resource;
    try {
      resource = open.apply(index);
      opened.complete(null);
    } catch (Throwable e) {
      opened.completeExceptionally(e);
      return;
    }
    try {
      while (true) {
        Task<R, ?> task;
        try {
          task = queue.poll(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          continue; // only calls are interrupted; a stray interrupt must not stop the worker
        }
        if (task == null) {
          if (closed) {
            return;
          }
          continue;
        }
        running.add(task);
        try {
          task.runOn(resource);
        } finally {
          running.remove(task);
        }
        Thread.interrupted(); // a cancelled call's interrupt must not reach the next call
      }
    } finally {
      close.accept(resource);
    }
  }

  /** One call: queued, running, then done (or cancelled while queued). */
  private static final class Task<R, T> {
    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;

    final CompletableFuture<T> result = new CompletableFuture<>();
    private final Function<R, T> work;
    private int state = QUEUED;
    private Thread runner;
    private R resource;

    Task(Function<R, T> work) {
      this.work = work;
    }

    void runOn(R resource) {
      synchronized (this) {
        if (state != QUEUED) {
          return;
        }
        state = RUNNING;
        runner = Thread.currentThread();
        this.resource = resource;
      }
      try {
        result.complete(work.apply(resource));
      } catch (Throwable e) {
        result.completeExceptionally(e);
      } finally {
        synchronized (this) {
          state = DONE;
          runner = null;
          this.resource = null;
        }
      }
    }

    /** Takes the call out of the queue if no worker has taken it yet. */
    boolean cancelQueued(BlockingQueue<?> queue) {
      synchronized (this) {
        if (state != QUEUED) {
          return false;
        }
        state = DONE;
      }
      queue.remove(this);
      return true;
    }

    /**
     * Takes the call out of the queue, or interrupts the worker running it and stops it as {@code
     * stopRunning} says.
     */
    void cancel(BlockingQueue<?> queue, Function<R, Runnable> stopRunning) {
      if (cancelQueued(queue)) {
        return;
      }
      Runnable stop;
      synchronized (this) {
        if (state != RUNNING) {
          return;
        }
        runner.interrupt();
        stop = stopRunning.apply(resource);
      }
      if (stop != null) {
        stop.run();
      }
    }

    /** The action that stops the call if it is running now, else null. */
    Runnable stopRunning(Function<R, Runnable> stopRunning) {
      synchronized (this) {
        return state == RUNNING ? stopRunning.apply(resource) : null;
      }
    }
  }
}
