package dev.naap.app;

import dev.naap.store.Migrations;
import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import dev.naap.store.Stores;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The life of a command that runs until stopped: SIGINT/SIGTERM ({@link Main#onShutdown}) run the
 * stop actions, all at once, each on a thread of its own, so that the pieces that take time to stop
 * (the ingest's writes under way, a refresh, a scrape run) stop side by side; the command returns
 * on its normal path, and closing waits for the pieces it started in the reverse order of their
 * start, the store last. Each long-running command and {@code naap
 * demo} use it the same way:
 *
 * <pre>{@code
 * try (Lifecycle life = Lifecycle.start("naap serve", grace, err)) {
 *   Store store = life.open(config);
 *   life.add(...);            // closed before the store
 *   life.awaitStop();         // or run a role in this thread, with life.onStop(role::stop)
 *   return 0;
 * }
 * }</pre>
 */
final class Lifecycle implements AutoCloseable {

  private final String name;
  private final PrintStream err;
  private final Deque<Piece> pieces = new ArrayDeque<>();
  private final List<Runnable> stopActions = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch finished;
  private final PrometheusRegistry registry = new PrometheusRegistry();

  private Lifecycle(String name, Duration grace, PrintStream err) {
    this.name = name;
    this.err = err;
    // The store must outlive the last work the command drains on a stop (the ingest's writes).
    Stores.closeOnExitAfter(grace);
    finished = Main.onShutdown(this::stop, grace);
  }

  /**
   * Installs the stop signals; {@code grace} bounds how long the JVM's exit waits for the command
   * to finish when it shuts down some other way (SIGHUP).
   */
  static Lifecycle start(String name, Duration grace, PrintStream err) {
    return new Lifecycle(name, grace, err);
  }

  /** The process's metrics: every piece registers here. */
  PrometheusRegistry registry() {
    return registry;
  }

  /**
   * Opens the store, closed last.
   *
   * @throws Stopped when a stop was asked for before the store was ready (between migrations)
   */
  Store open(StoreConfig config) {
    stopIfAsked();
    try {
      return add(Stores.open(config, this::stopRequested));
    } catch (Migrations.Stopped e) {
      throw new Stopped(e.getMessage() + "; the next start applies the rest");
    }
  }

  /** The command was stopped while it started: it ends with exit code 0 ({@link Main#run}). */
  static final class Stopped extends RuntimeException {
    Stopped(String message) {
      super(message);
    }
  }

  /** {@code piece}, closed on the way out before every piece added earlier. */
  <T extends AutoCloseable> T add(T piece) {
    return add(piece.getClass().getSimpleName(), piece);
  }

  /**
   * As {@link #add(AutoCloseable)}; {@code what} names it when its stop is slow.
   *
   * @throws Stopped when a stop was asked for while the command started: it starts nothing more
   *     (a demo went on starting its every piece first, 16 s), and closes {@code piece} with the
   *     others
   */
  <T extends AutoCloseable> T add(String what, T piece) {
    synchronized (pieces) {
      pieces.push(new Piece(what, piece));
    }
    stopIfAsked();
    if (piece instanceof Stoppable s) {
      onStop(s::beginStop);
    }
    return piece;
  }

  /** A piece whose stop begins with the stop, beside the others, and ends when it is closed. */
  interface Stoppable extends AutoCloseable {
    /** Asks the piece to stop, without waiting; may come twice, or not before {@link #close}. */
    void beginStop();
  }

  private void stopIfAsked() {
    if (stopRequested()) {
      throw new Stopped("stopped while starting");
    }
  }

  private record Piece(String what, AutoCloseable closeable) {}

  /**
   * Serves {@link #registry}, with the JVM's own metrics, on {@code host:port} (0 picks a free
   * port); null when port is -1.
   */
  MetricsServer metrics(String host, int port) {
    if (port < 0) {
      return null;
    }
    JvmMetrics.builder().register(registry);
    try {
      return add(MetricsServer.start(host, port, registry));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the metrics server on port " + port, e);
    }
  }

  /**
   * Runs {@code body} on a platform thread (it may call the engine); a stop, or else closing, runs
   * {@code stop} once, and closing waits for the thread.
   */
  void background(String thread, Runnable body, Runnable stop) {
    stopIfAsked();
    Thread t = Thread.ofPlatform().name(thread).start(body);
    AtomicBoolean asked = new AtomicBoolean();
    Runnable once = () -> {
      if (asked.compareAndSet(false, true)) {
        stop.run();
      }
    };
    add(thread, () -> {
      once.run();
      t.join();
    });
    onStop(once);
  }

  /**
   * Runs {@code action} when a stop is asked for, beside the other actions (it may block), at once
   * if the stop already was.
   */
  void onStop(Runnable action) {
    synchronized (stopActions) {
      if (stopped.getCount() > 0) {
        stopActions.add(action);
        return;
      }
    }
    action.run();
  }

  /** Asks the command to stop, as SIGINT/SIGTERM do. */
  void stop() {
    List<Runnable> actions;
    synchronized (stopActions) {
      stopped.countDown();
      actions = List.copyOf(stopActions);
    }
    // Each on its own thread: one after another, a demo's stops added up (the ingest's last
    // writes began only once the scraper, the simulator and the refresher had stopped).
    for (Runnable action : actions) {
      Thread.ofPlatform().name("naap-stopping").start(() -> {
        try {
          action.run();
        } catch (RuntimeException e) {
          err.println(name + ": while stopping: " + e);
        }
      });
    }
  }

  boolean stopRequested() {
    return stopped.getCount() == 0;
  }

  /** Blocks until a stop is asked for. */
  void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** Stops the pieces in the reverse order of their start, then lets the JVM exit. */
  @Override
  public void close() {
    boolean interrupted = false;
    try {
      while (true) {
        Piece piece;
        synchronized (pieces) {
          piece = pieces.poll();
        }
        if (piece == null) {
          return;
        }
        long t0 = System.nanoTime();
        try {
          piece.closeable().close();
        } catch (InterruptedException e) {
          interrupted = true; // the other pieces still close
        } catch (Exception e) {
          err.println(name + ": while stopping " + piece.what() + ": " + e);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (ms >= 1_000) { // a stop must end within 10 s: say what takes the time
          err.println(name + ": stopping " + piece.what() + " took " + ms
              + " ms");
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      // Every piece is closed: an engine still open (a test's own) must not hold the JVM's exit
      // for the grace (an exit hook already waiting keeps its deadline).
      Stores.closeOnExitAfter(Duration.ZERO);
      finished.countDown();
    }
  }
}
