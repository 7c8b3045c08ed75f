package dev.naap.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A ClickHouse database: the embedded engine (libchdb) or a ClickHouse server, seen through one
 * database. Thread-safe: any number of threads may call any method at once.
 *
 * <p>Query parameters are bound as ClickHouse query parameters ({@code {name:Type}} in the SQL) and
 * are never spliced into the SQL text. Supported values: {@link String}, {@link Number}, {@link
 * Boolean}, {@code null} (sent as {@code \N}; the placeholder needs a {@code Nullable(T)} type),
 * {@link java.time.Instant} (sent as epoch seconds with a fraction, which {@code DateTime} and
 * {@code DateTime64} parse in any time zone), any {@link java.util.Collection} of those (an array
 * literal such as {@code ['a','b']} or {@code [1,2]}), and {@link RawParam} for a value already in
 * ClickHouse text form.
 *
 * <p>Statements run one at a time: a statement that contains several statements separated by
 * {@code ;} is rejected with code 62 by both backends.
 */
public interface Store extends AutoCloseable {

  /**
   * Runs one statement and returns its whole result in {@code format} (for example {@code
   * "TabSeparated"}, {@code "JSONEachRow"}, {@code "CSVWithNames"}). A {@code FORMAT} clause in the
   * SQL takes precedence.
   *
   * @throws StoreException when ClickHouse rejects the statement; {@link StoreException#code()}
   *     is the ClickHouse error code
   */
  byte[] query(String sql, Map<String, ?> params, String format);

  /** Runs one statement and returns its result as UTF-8 TabSeparated text. */
  default String queryText(String sql, Map<String, ?> params) {
    return new String(query(sql, params, "TabSeparated"), StandardCharsets.UTF_8);
  }

  /** Runs one statement without parameters and discards its result. */
  default void execute(String sql) {
    query(sql, Map.of(), "TabSeparated");
  }

  /**
   * Runs {@code insertStatement} (for example {@code "INSERT INTO t (a, b) FORMAT JSONEachRow"})
   * with {@code data} as its input rows, byte for byte.
   */
  void insert(String insertStatement, byte[] data);

  /**
   * Runs {@code insertStatement} with the remaining bytes of {@code parts}, one after the other, as
   * its input rows: what {@link #insert(String, byte[])} does with them joined, without a copy
   * where the store can take the parts as they are. The buffers are read, not changed.
   */
  default void insert(String insertStatement, List<ByteBuffer> parts) {
    insert(insertStatement, ChdbLibrary.join(parts));
  }

  /**
   * The most characters one statement's parameters may take in all, as ClickHouse text: a server
   * takes them in the request's URL, which ClickHouse (1 MiB) and the HTTP facade (128 KiB, see
   * {@code dev.naap.http.Limits}) bound. A caller that packs many keys into one parameter splits
   * by it.
   */
  default int maxParamChars() {
    return Integer.MAX_VALUE;
  }

  /** The database that every statement runs in. */
  String database();

  /** Where the data lives, for logs and error messages; never contains a password. */
  String description();

  /**
   * The same backend seen through another {@code database}, which is neither created nor migrated.
   * The view borrows this store's engine connections or HTTP client: it must not outlive this
   * store, and closing it does nothing.
   *
   * @throws UnsupportedOperationException if this implementation has no such view
   */
  default Store withDatabase(String database) {
    throw new UnsupportedOperationException(getClass().getName() + " has no database views");
  }

  /**
   * Releases this store. Closing the last open embedded store closes every engine connection; the
   * engine itself is shut down when the JVM exits.
   */
  @Override
  void close();
}
