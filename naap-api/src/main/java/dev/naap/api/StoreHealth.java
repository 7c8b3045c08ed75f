package dev.naap.api;

import dev.naap.metrics.query.StoreFailure;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the store's state as one caller sees it — answering, or failing and how — once per change,
 * never once per request: a store that is down must not flood the log. The line says why in
 * ClickHouse's words, cut short, without the SQL (that is logged at debug level). Thread-safe.
 */
final class StoreHealth {

  private static final Logger log = LoggerFactory.getLogger(StoreHealth.class);
  private static final int REASON_CHARS = 200;

  private final String who;
  /** The kind of the current failure, null while the store answers; guarded by this. */
  private String failing;

  StoreHealth(String who) {
    this.who = who;
  }

  void answered() {
    synchronized (this) {
      if (failing == null) {
        return;
      }
      failing = null;
    }
    log.info("{}: the store answers again", who);
  }

  void failed(String kind, String reason, Throwable cause) {
    log.debug("{}: store call failed", who, cause);
    synchronized (this) {
      if (kind.equals(failing)) {
        return;
      }
      failing = kind;
    }
    log.warn("{}: the store fails ({}): {}", who, kind, reason);
  }

  void failed(RuntimeException e) {
    Optional<StoreFailure> store = StoreFailure.of(e);
    if (store.isPresent()) {
      failed(store.get(), e);
    } else {
      failed(e.getClass().getSimpleName(), shorten(String.valueOf(e.getMessage())), e);
    }
  }

  void failed(StoreFailure store, Throwable cause) {
    failed(store.kind(), shorten(store.reason()), cause);
  }

  private static String shorten(String text) {
    String line = text == null ? "" : text.strip().lines().findFirst().orElse("");
    return line.length() > REASON_CHARS ? line.substring(0, REASON_CHARS) + "…" : line;
  }
}
