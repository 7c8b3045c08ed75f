package dev.naap.loadtest;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plan every {@code interval} on the calling thread, so runs never overlap: a run that
 * takes longer than the interval makes the scheduler skip the starts it missed (counted in
 * {@code naap_loadtest_missed_ticks_total}) and start at the next tick. A run that fails is
 * logged and the schedule goes on. {@link #stop} from any thread ends the loop; a running run is
 * interrupted and its tests are recorded as aborted.
 */
public final class LoadtestScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(LoadtestScheduler.class);

  /** One run of the plan. */
  public interface Run {
    RunSummary runOnce() throws InterruptedException;
  }

  private enum State { NEW, RUNNING, STOPPED }

  private final Run run;
  private final Duration interval;
  private final TimeSource time;
  private final LoadtestMetrics metrics;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private volatile Thread thread;

  public LoadtestScheduler(Run run, Duration interval, TimeSource time, LoadtestMetrics metrics) {
    this.run = run;
    this.interval = interval;
    this.time = time;
    this.metrics = metrics;
  }

  /**
   * Runs until {@link #stop}; returns after the last run has written its results, or at once when
   * stopped before it started.
   */
  public void run() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      if (state.get() == State.STOPPED) {
        return;
      }
      throw new IllegalStateException("the scheduler runs once; state " + state.get());
    }
    thread = Thread.currentThread();
    long intervalMs = interval.toMillis();
    long next = time.nowMs();
    try {
      while (state.get() == State.RUNNING) {
        long wait = next - time.nowMs();
        if (wait > 0) {
          time.sleep(Duration.ofMillis(wait));
        }
        long started = time.nowMs();
        try {
          RunSummary s = run.runOnce();
          metrics.run(true);
          LOG.info("run {}: {} tests, {} success, {} failure, {} skipped", s.runId(),
              s.results().size(), s.count(Outcome.SUCCESS), s.count(Outcome.FAILURE), s.skipped());
        } catch (RuntimeException e) {
          metrics.run(false);
          LOG.warn("load test run failed; the schedule goes on", e);
        }
        next += intervalMs;
        long now = time.nowMs();
        if (next <= now) {
          long missed = (now - next) / intervalMs + 1;
          metrics.missedTicks(missed);
          next += missed * intervalMs;
        }
        LOG.debug("run took {} ms", now - started);
      }
    } catch (InterruptedException e) {
      // stop() interrupts a sleep or a run; either way the loop is over.
    } finally {
      state.set(State.STOPPED);
      Thread.interrupted();
    }
  }

  /** Ends {@link #run}: the current run's tests are aborted and recorded. Safe from any thread. */
  public void stop() {
    if (state.getAndSet(State.STOPPED) == State.RUNNING && thread != null) {
      thread.interrupt();
    }
  }
}
