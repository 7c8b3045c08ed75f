package dev.naap.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Process-wide options of the embedded engine, read from system properties when the engine starts.
 * Each key is defined once here, with its default and range; docs/STORE.md lists them (a test keeps
 * the two in step). Invalid values are all reported together, and nothing is clamped.
 */
record EngineOptions(long maxMemoryUsageBytes, Duration acquireTimeout, Duration shutdownTimeout,
    int queueCapacity) {

  /** One option: its system property, default, range and meaning. */
  record Key(String property, long defaultValue, long min, long max, String doc) {}

  static final Key MAX_MEMORY_USAGE =
      new Key(
          "naap.store.maxMemoryUsage",
          4L << 30,
          1L << 20,
          Long.MAX_VALUE,
          "Bytes one statement may use (ClickHouse max_memory_usage, set on every engine"
              + " connection). Engine memory is off-heap: -Xmx does not bound it.");
  static final Key ACQUIRE_TIMEOUT_MS =
      new Key(
          "naap.store.acquireTimeoutMs",
          30_000,
          1,
          3_600_000,
          "How long a statement waits for a free engine connection before failing with code 202.");
  static final Key SHUTDOWN_TIMEOUT_MS =
      new Key(
          "naap.store.shutdownTimeoutMs",
          30_000,
          0,
          3_600_000,
          "How long closing the engine (last close() or JVM exit) waits for running statements.");

  static final Key QUEUE_CAPACITY =
      new Key(
          "naap.store.queueCapacity",
          64,
          1,
          100_000,
          "Statements that may wait for a free engine connection; one more fails at once with code"
              + " 202 (the API answers 503).");

  static final List<Key> KEYS =
      List.of(MAX_MEMORY_USAGE, ACQUIRE_TIMEOUT_MS, SHUTDOWN_TIMEOUT_MS, QUEUE_CAPACITY);

  static EngineOptions fromSystemProperties() {
    return from(System::getProperty);
  }

  static EngineOptions from(Function<String, String> source) {
    List<String> errors = new ArrayList<>();
    long[] values = new long[KEYS.size()];
    for (int i = 0; i < KEYS.size(); i++) {
      Key k = KEYS.get(i);
      String raw = source.apply(k.property());
      values[i] = k.defaultValue();
      if (raw == null || raw.isBlank()) {
        continue;
      }
      try {
        long v = Long.parseLong(raw.strip().replace("_", ""));
        if (v < k.min() || v > k.max()) {
          errors.add(k.property() + "=" + raw + " is outside " + k.min() + ".." + k.max());
        } else {
          values[i] = v;
        }
      } catch (NumberFormatException e) {
        errors.add(k.property() + "=" + raw + " is not a whole number");
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid embedded engine options: " + errors);
    }
    return new EngineOptions(
        values[0], Duration.ofMillis(values[1]), Duration.ofMillis(values[2]), (int) values[3]);
  }
}
