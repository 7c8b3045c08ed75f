package dev.naap.store;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancels read statements running on the embedded engine's connections, where a native call
 * cannot be interrupted: {@code KILL QUERY} matched on the comment each read starts with ({@link
 * EmbeddedConnection#runningRead}), sent from a connection of its own, since the others may all be
 * busy with what it stops. The engine fails the read with code 394 (QUERY_WAS_CANCELLED) within
 * about a tenth of a second, and its connection takes the next call. Writes are never cancelled:
 * they run to their end. Thread-safe.
 */
final class ReadCanceller {

  private static final Logger log = LoggerFactory.getLogger(ReadCanceller.class);

  private final Duration wait;
  /** One connection for KILL statements alone; null until {@link #start}. */
  private volatile Workers<EmbeddedConnection> control;

  /** {@code wait}: how long a cancel waits for the control connection. */
  ReadCanceller(Duration wait) {
    this.wait = wait;
  }

  /**
   * Starts cancelling, on {@code control}: opened after the other connections, the first of which
   * creates the database every connection starts in.
   */
  void start(Workers<EmbeddedConnection> control) {
    this.control = control;
  }

  /**
   * For {@link Workers}: the action that cancels the read running on {@code connection} now, or
   * null when it runs none (a write, or nothing).
   */
  Runnable stopping(EmbeddedConnection connection) {
    Workers<EmbeddedConnection> c = control;
    String tag = connection.runningRead();
    return tag == null || c == null ? null : () -> cancel(c, tag);
  }

  private void cancel(Workers<EmbeddedConnection> control, String tag) {
    // The tag is ours ("/* naap:c<n>:r<n> */ "): nothing in it needs escaping.
    String kill = "KILL QUERY WHERE startsWith(query, '" + tag + "') ASYNC";
    try {
      control.call(c -> {
        c.runInternal(kill);
        return null;
      }, wait);
    } catch (RuntimeException e) {
      // The read then runs to its end, as it would without this.
      log.debug("could not cancel a read ({}): {}", tag.strip(), e.toString());
    }
  }

  /** Closes the control connection: after the others. */
  boolean close(Duration timeout) {
    Workers<EmbeddedConnection> c = control;
    return c == null || c.close(timeout);
  }
}
