package dev.naap.ingest;

import dev.naap.events.RejectReason;
import dev.naap.store.StoreException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a batch that the store refused by halves, so that a message the store cannot take (a
 * parser-valid message that, say, exhausts a materialized view's memory) is quarantined instead of
 * stalling the ingest, while a store that refuses everything quarantines nothing.
 *
 * <p>The halves are written in batch order, depth first: a half that fails is split in turn before
 * the next half is written, down to single messages. A message that fails on its own is only a
 * suspect: the store may have been failing for a moment. It is quarantined ({@link
 * RejectReason#STORE_ERROR}) only once a later write of valid events has succeeded (the store takes
 * writes) and the message, written on its own once more after that, fails again. Suspects that no
 * write of the batch comes after (the last message of a quiet topic) wait up to {@link
 * #PROBE_DELAY} for another write of valid events, on any thread, to succeed; without one, a
 * stored event is written again as a probe ({@link EventWriter#writeAgain}), and its success is
 * that proof. A failure whose error blames the store rather than the rows ({@link #blamesData})
 * ends the run at once, and so do failed writes in a row beyond twice what a descent to one
 * message needs (the store refuses everything); suspects left without a later successful write
 * (the probe failed too, or the store holds no event to write again) are not quarantined either.
 * What is not written then is the caller's to read again and retry with backoff.
 *
 * <p>The work is bounded: the halves are at most log2(batch size) deep and a run makes at most
 * {@code 4 × (depth + 1)} writes (a probe is one), enough to find two refused messages; a batch
 * with more is finished by the next runs, each of which starts at the first message not done.
 *
 * <p>Inserts are not atomic across a table's views: a refused message may have left rows in
 * {@code raw_events} and in the tables of the views that ran before the one that failed.
 * Thread-safe: each call keeps its own state.
 */
final class Bisection {

  private static final Logger log = LoggerFactory.getLogger(Bisection.class);

  /**
   * ClickHouse codes that say the store, not the rows, is at fault: a failure without a ClickHouse
   * answer (0: network, the insert's spool file, a closed engine), read-only (164, 242), too many
   * queries (202), network (210), disk full (243), too many parts (252).
   */
  private static final Set<Integer> STORE_CODES = Set.of(0, 164, 202, 210, 242, 243, 252);

  /**
   * How long suspects that no write of their batch came after wait for another write to prove the
   * store healthy before a probe does: on a busy topic the other writer's batch usually does, and
   * a store failing for a moment gets that moment.
   */
  static final Duration PROBE_DELAY = Duration.ofSeconds(1);
  /** How often that wait looks for another write and for a stop. */
  private static final long WAIT_STEP_MS = 10;

  private final EventWriter writer;
  private final BooleanSupplier stopping;

  /**
   * @param stopping true once the run should end before its next write (a stop must be quick)
   */
  Bisection(EventWriter writer, BooleanSupplier stopping) {
    this.writer = writer;
    this.stopping = stopping;
  }

  /**
   * Writes {@code batch}, whose write just failed with {@code failure}, by halves.
   *
   * @return which messages are now stored or quarantined, and why the others are not
   */
  Outcome isolate(List<Message> batch, RuntimeException failure) {
    return new Run(batch).run(failure);
  }

  /** The store's own text of an error that {@link #blamesData}, cut as a reject's detail. */
  private static String detail(RuntimeException e) {
    return RejectReason.cut(((StoreException) e).serverMessage().strip());
  }

  /** Whether {@code e} may come from the rows written, rather than from the store's state. */
  static boolean blamesData(RuntimeException e) {
    return e instanceof StoreException s && !STORE_CODES.contains(s.code());
  }

  /**
   * What became of a batch.
   *
   * @param written what the writes that succeeded stored and quarantined
   * @param done the indexes in the batch of the messages stored or quarantined
   * @param failure why the others are not, or null when every message is done
   */
  record Outcome(BatchResult written, BitSet done, RuntimeException failure) {}

  /** One batch's isolation. */
  private final class Run {
    private final List<Message> batch;
    private final BitSet done = new BitSet();
    /** Messages that failed on their own, in batch order, with their error. */
    private final Deque<Suspect> suspects = new ArrayDeque<>();
    /** Failures in a row allowed: a descent to one message, twice (refused ones side by side). */
    private final int maxFailures;
    private int failures;
    /** The writer's {@link EventWriter#storedWrites} when the last suspect was refused. */
    private long storedWritesAtSuspect;
    private int writesLeft;
    private BatchResult written = BatchResult.EMPTY;

    Run(List<Message> batch) {
      this.batch = batch;
      int depth = 32 - Integer.numberOfLeadingZeros(Math.max(batch.size() - 1, 0));
      this.maxFailures = 2 * (depth + 1);
      this.writesLeft = 4 * (depth + 1);
    }

    Outcome run(RuntimeException first) {
      try {
        if (!blamesData(first)) {
          throw new Abort(first);
        }
        log.warn("a batch of {} messages was refused ({}); writing it by halves to find what the"
            + " store will not take", batch.size(), detail(first));
        failures = 1;
        split(0, batch.size(), first);
        if (!suspects.isEmpty() && storeTakesWrites()) {
          confirmSuspects();
        }
        if (!suspects.isEmpty()) { // no write took valid events after them: the store may be down
          throw new Abort(suspects.peekFirst().error);
        }
        return new Outcome(written, done, null);
      } catch (Abort a) {
        return new Outcome(written, done, a.reason);
      }
    }

    /** Messages {@code [from, to)} failed together with {@code error}. */
    private void split(int from, int to, RuntimeException error) {
      if (to - from == 1) {
        suspects.addLast(new Suspect(from, error));
        storedWritesAtSuspect = writer.storedWrites();
        return;
      }
      int mid = (from + to) >>> 1;
      attempt(from, mid);
      attempt(mid, to);
    }

    private void attempt(int from, int to) {
      Attempt a = write(from, to);
      if (a.error == null) {
        if (a.result.accepted() > 0) { // the store took valid events: it takes writes
          failures = 0;
          confirmSuspects();
        }
        return;
      }
      if (!blamesData(a.error) || ++failures > maxFailures) {
        throw new Abort(a.error);
      }
      split(from, to, a.error);
    }

    /**
     * Whether the store took a write of valid events after the suspects were refused: another
     * thread's within {@link #PROBE_DELAY}, else a probe's.
     */
    private boolean storeTakesWrites() {
      long deadline = System.nanoTime() + PROBE_DELAY.toNanos();
      while (writer.storedWrites() == storedWritesAtSuspect) {
        if (stopping.getAsBoolean()) {
          return false;
        }
        long leftMs = (deadline - System.nanoTime()) / 1_000_000;
        if (leftMs <= 0) {
          return probe();
        }
        try {
          Thread.sleep(Math.min(leftMs, WAIT_STEP_MS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }

    /** Writes a stored event again; true if the store took it. */
    private boolean probe() {
      if (stopping.getAsBoolean() || writesLeft-- <= 0) {
        return false;
      }
      try {
        if (!writer.writeAgain(suspects.stream().map(x -> batch.get(x.index)).toList())) {
          log.warn("{} refused message(s) left unproven: the store holds no event to write again"
              + " as a probe; they wait for a later write", suspects.size());
          return false;
        }
      } catch (RuntimeException e) {
        log.warn("the store refused a probe after {} refused message(s): it may be down ({})",
            suspects.size(), e.toString());
        return false;
      }
      return true;
    }

    /** Writes each suspect on its own once more; one that fails again is quarantined. */
    private void confirmSuspects() {
      while (!suspects.isEmpty()) {
        Suspect s = suspects.peekFirst();
        Attempt again = write(s.index, s.index + 1);
        if (again.error != null) {
          if (!blamesData(again.error)) {
            throw new Abort(again.error);
          }
          quarantine(s.index, again.error);
        }
        suspects.removeFirst();
      }
    }

    private void quarantine(int index, RuntimeException error) {
      Message m = batch.get(index);
      String detail = detail(error);
      try {
        writer.quarantine(m, RejectReason.STORE_ERROR, detail);
      } catch (RuntimeException e) {
        throw new Abort(e);
      }
      done.set(index);
      written = written.plus(new BatchResult(0, 1, 0));
      log.warn("quarantined {}: the store refused it on its own twice, and took a write of valid"
          + " events in between: {}", m.origin(), detail);
    }

    /** Writes {@code [from, to)}; unless it fails, they are done. */
    private Attempt write(int from, int to) {
      if (stopping.getAsBoolean()) {
        throw new Abort(new IllegalStateException("stopping while writing a refused batch by"
            + " halves"));
      }
      if (writesLeft-- <= 0) {
        throw new Abort(new IllegalStateException("a refused batch of " + batch.size()
            + " messages was written by halves as far as one run goes; the rest is read again"));
      }
      BatchResult r;
      try {
        r = writer.write(batch.subList(from, to));
      } catch (RuntimeException e) {
        return new Attempt(null, e);
      }
      done.set(from, to);
      written = written.plus(r);
      return new Attempt(r, null);
    }
  }

  private record Suspect(int index, RuntimeException error) {}

  private record Attempt(BatchResult result, RuntimeException error) {}

  /** Ends a run: {@code reason} is why the messages not done are not. */
  private static final class Abort extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient RuntimeException reason;

    Abort(RuntimeException reason) {
      super(null, null, false, false);
      this.reason = reason;
    }
  }
}
