package dev.naap.metrics.query;

import dev.naap.store.StoreException;
import java.util.Optional;

/**
 * Why a call into the query layer failed when the store, not the question, was at fault: what the
 * API answers with a 503 and logs once per change. Callers classify any exception with {@link
 * #of}, so they need not know the store's own exception type.
 *
 * @param code the ClickHouse error code, 0 when the store was not reached
 * @param reason the store's own words, without the SQL
 */
public record StoreFailure(int code, String reason) {

  /** ClickHouse's TOO_MANY_SIMULTANEOUS_QUERIES: the store is busy, not broken. */
  static final int TOO_MANY_QUERIES = 202;

  /** The store failure in {@code e} or its causes; empty when the store was not at fault. */
  public static Optional<StoreFailure> of(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StoreException s) {
        return Optional.of(new StoreFailure(s.code(), s.serverMessage()));
      }
    }
    return Optional.empty();
  }

  /** Whether the store refused for load: worth a retry soon. */
  public boolean busy() {
    return code == TOO_MANY_QUERIES;
  }

  /** The kind of failure, for logs: {@code unreachable} or {@code code N}. */
  public String kind() {
    return code == 0 ? "unreachable" : "code " + code;
  }
}
