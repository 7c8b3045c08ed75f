package dev.naap.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Extra embedded engine connections for untrusted SQL (the ClickHouse HTTP facade): opened with the
 * others at start, then locked with ClickHouse's own {@code readonly = 1}, which the engine keeps
 * for the connection's life: {@code SET readonly = 0}, a {@code SETTINGS} clause, writes, DDL and
 * every table function that reaches outside the engine (file, url, remote, s3, hdfs, mysql,
 * postgresql, jdbc, executable, …) fail with code 164. The limits are set just before, so no
 * statement can raise them. See {@link Stores#readOnly(Store)}. Immutable.
 *
 * @param connections statements that may run at once on these connections; 1..64
 * @param maxMemoryBytes {@code max_memory_usage} of one statement; at least 1 MiB
 * @param maxExecutionTime {@code max_execution_time}; whole seconds, 1 s .. 1 h
 * @param maxResultBytes {@code max_result_bytes} (uncompressed result blocks); at least 1 KiB
 */
public record ReadOnlyAccess(int connections, long maxMemoryBytes, Duration maxExecutionTime,
    long maxResultBytes) {

  public static final int DEFAULT_CONNECTIONS = 2;
  public static final long DEFAULT_MAX_MEMORY_BYTES = 1L << 30;
  public static final Duration DEFAULT_MAX_EXECUTION_TIME = Duration.ofSeconds(30);
  public static final long DEFAULT_MAX_RESULT_BYTES = 64L << 20;

  public ReadOnlyAccess {
    Objects.requireNonNull(maxExecutionTime, "maxExecutionTime");
    List<String> errors = new ArrayList<>();
    if (connections < 1 || connections > StoreConfig.Embedded.MAX_CONNECTIONS) {
      errors.add("connections=" + connections + " is outside 1.."
          + StoreConfig.Embedded.MAX_CONNECTIONS);
    }
    if (maxMemoryBytes < (1L << 20)) {
      errors.add("maxMemoryBytes=" + maxMemoryBytes + " is below 1 MiB");
    }
    if (maxExecutionTime.toSeconds() < 1 || maxExecutionTime.toSeconds() > 3600) {
      errors.add("maxExecutionTime=" + maxExecutionTime + " is outside 1 s..1 h");
    }
    if (maxResultBytes < 1024) {
      errors.add("maxResultBytes=" + maxResultBytes + " is below 1 KiB");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid ReadOnlyAccess: " + String.join("; ", errors));
    }
  }

  /** Two connections; 1 GiB, 30 s and a 64 MiB result per statement. */
  public static ReadOnlyAccess defaults() {
    return new ReadOnlyAccess(DEFAULT_CONNECTIONS, DEFAULT_MAX_MEMORY_BYTES,
        DEFAULT_MAX_EXECUTION_TIME, DEFAULT_MAX_RESULT_BYTES);
  }

  /** The statements that lock one connection, in order: limits first, {@code readonly} last. */
  List<String> settingStatements() {
    return List.of(
        "SET max_memory_usage = " + maxMemoryBytes,
        "SET max_execution_time = " + maxExecutionTime.toSeconds(),
        "SET max_result_bytes = " + maxResultBytes,
        "SET result_overflow_mode = 'throw'",
        // NaaP's own queries ask for SQL-standard outer joins (SETTINGS join_use_nulls = 1); the
        // engine lets a read-only statement set a setting to the value it already has.
        "SET join_use_nulls = 1",
        "SET readonly = 1");
  }
}
