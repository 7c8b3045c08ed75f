package dev.naap.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * A view of the {@link EmbeddedEngine} through one database. Thread-safe; each statement borrows
 * one engine connection for its duration.
 */
final class EmbeddedStore implements Store {

  /** {@code INSERT … FORMAT Name} at the end of a statement: its data goes through a stream. */
  private static final Pattern TRAILING_FORMAT =
      Pattern.compile("(?is)\\s*(INSERT\\b.*?)\\s+FORMAT\\s+([A-Za-z0-9_]+)\\s*");
  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_]+");
  /** Statements that would change a pooled connection for every later user of it. */
  private static final Set<String> CONNECTION_STATE = Set.of("USE", "SET");

  private final EmbeddedEngine engine;
  private final String database;
  /** Whether statements run on the engine's read-only connections. */
  private final boolean readOnly;
  /** Null for a borrowed view, which does not hold a reference to the engine. */
  private final AtomicBoolean closed;

  private EmbeddedStore(EmbeddedEngine engine, String database, boolean owning, boolean readOnly) {
    this.engine = engine;
    this.database = Objects.requireNonNull(database, "database");
    this.readOnly = readOnly;
    this.closed = owning ? new AtomicBoolean() : null;
    Identifiers.quote(database);
  }

  /** A view that holds a reference to {@code engine}, released by {@link #close()}. */
  static EmbeddedStore owning(EmbeddedEngine engine, String database) {
    return new EmbeddedStore(engine, database, true, false);
  }

  /** A borrowed view of the same database on the engine's read-only connections. */
  EmbeddedStore readOnlyView() {
    if (!engine.hasReadOnlyConnections()) {
      throw new IllegalStateException("the embedded engine was started without read-only"
          + " connections; open the first store with StoreConfig.Embedded.readOnly");
    }
    return new EmbeddedStore(engine, database, false, true);
  }

  EmbeddedEngine engine() {
    return engine;
  }

  @Override
  public byte[] query(String sql, Map<String, ?> params, String format) {
    checkOpen();
    checkStatement(sql);
    checkFormat(format);
    List<QueryParams.Param> encoded = QueryParams.encode(params);
    String keyword = SqlText.firstKeyword(sql);
    if (CONNECTION_STATE.contains(keyword)) {
      throw new StoreException(0, keyword + " statements are not supported by the embedded store:"
          + " they would persist on a pooled connection; use a SETTINGS clause, qualified names,"
          + " or Store.withDatabase", sql);
    }
    if (!keyword.equals("INSERT") && SqlText.isMultiStatement(sql)) {
      throw multiStatement(sql);
    }
    byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
    return engine.call(database, readOnly, c -> c.run(bytes, sql, format, encoded));
  }

  @Override
  public void insert(String insertStatement, byte[] data) {
    Objects.requireNonNull(data, "data");
    insert(insertStatement, List.of(ByteBuffer.wrap(data)));
  }

  /** Parts of an INSERT with a FORMAT clause go to the engine's spool with no joined copy. */
  @Override
  public void insert(String insertStatement, List<ByteBuffer> parts) {
    checkOpen();
    checkStatement(insertStatement);
    List<ByteBuffer> data = List.copyOf(parts);
    if (!SqlText.firstKeyword(insertStatement).equals("INSERT")) {
      throw new IllegalArgumentException("not an INSERT statement: " + insertStatement);
    }
    if (SqlText.isMultiStatement(insertStatement)) {
      throw multiStatement(insertStatement);
    }
    if (data.stream().noneMatch(ByteBuffer::hasRemaining)) {
      return; // no rows; sent, the engine would look for them on standard input (STORE.md, rule 8)
    }
    Matcher format = TRAILING_FORMAT.matcher(insertStatement);
    if (format.matches()) {
      engine.call(database, readOnly, c -> {
        c.insert(format.group(1), format.group(2), data, insertStatement);
        return null;
      });
      return;
    }
    // No FORMAT clause (e.g. VALUES): as ClickHouse's HTTP interface does with ?query= and a
    // body, the statement, a newline, then the data, which chDB ends at an empty line (and runs
    // the rest as a statement); such data needs a FORMAT clause, to go through the spool.
    byte[] joined = ChdbLibrary.join(data);
    if (ChdbLibrary.hasEmptyLine(joined)) {
      throw new IllegalArgumentException("insert data holds an empty line, where the embedded"
          + " engine would end it; give the INSERT a FORMAT clause: " + insertStatement);
    }
    byte[] head = insertStatement.getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[head.length + 1 + joined.length];
    System.arraycopy(head, 0, bytes, 0, head.length);
    bytes[head.length] = '\n';
    System.arraycopy(joined, 0, bytes, head.length + 1, joined.length);
    engine.call(database, readOnly, c -> c.run(bytes, insertStatement, "TabSeparated", List.of()));
  }

  @Override
  public String database() {
    return database;
  }

  @Override
  public String description() {
    return engine.description() + ", database " + database + (readOnly ? ", read-only" : "");
  }

  @Override
  public Store withDatabase(String other) {
    return new EmbeddedStore(engine, other, false, readOnly);
  }

  @Override
  public void close() {
    if (closed != null && closed.compareAndSet(false, true)) {
      engine.release();
    }
  }

  @Override
  public String toString() {
    return "EmbeddedStore[" + description() + "]";
  }

  private void checkOpen() {
    if (closed != null && closed.get()) {
      throw new StoreException(0, "this store (" + description() + ") is closed", null);
    }
  }

  static void checkStatement(String sql) {
    if (sql == null || sql.isBlank()) {
      throw new IllegalArgumentException("empty SQL statement");
    }
  }

  static void checkFormat(String format) {
    if (format == null || !FORMAT.matcher(format).matches()) {
      throw new IllegalArgumentException("invalid ClickHouse format name: " + format);
    }
  }

  static StoreException multiStatement(String sql) {
    return new StoreException(62,
        "Code: 62. Multi-statements are not allowed: send one statement per call", sql);
  }
}
