package dev.naap.store;

import java.time.Duration;
import java.util.Locale;
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
    long decided = System.nanoTime();
    return tag == null || c == null ? null
        : () -> cancel(c, tag, connection.logComment(), decided);
  }

  /**
   * Kills the read tagged {@code tag}, or, as a read with query parameters loses its tag in the
   * engine's list, the untagged read of the connection commented {@code comment} that was running
   * when the cancel was {@code decided} (by its age: one that started after is left alone).
   */
  private void cancel(Workers<EmbeddedConnection> control, String tag, String comment,
      long decided) {
    // Both are ours ("/* naap:c<n>:r<n> */ ", "naap:c<n>"): nothing in them needs escaping.
    String kill = "KILL QUERY WHERE startsWith(query, '" + tag + "') OR (Settings['log_comment']"
        + " = '" + comment + "' AND query_kind = 'Select' AND NOT startsWith(query, '/* naap:')"
        + " AND elapsed >= %.6f) ASYNC";
    try {
      control.call(c -> {
        c.runInternal(String.format(Locale.ROOT, kill,
            (System.nanoTime() - decided) / 1e9));
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
