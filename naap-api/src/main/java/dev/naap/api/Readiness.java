package dev.naap.api;

import java.util.Map;

/**
 * Whether the server can answer from its data: checked by {@code /ready}. Implementations are
 * thread-safe.
 */
@FunctionalInterface
public interface Readiness {

  /** The outcome of one check: ready or not, and what was found, by check name. */
  record Status(boolean ready, Map<String, Object> checks) {
    public Status {
      // Values may be null (no data yet), which Map.copyOf refuses.
      checks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(checks));
    }
  }

  Status check();
}
