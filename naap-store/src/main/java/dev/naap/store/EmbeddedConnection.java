package dev.naap.store;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One libchdb connection, confined to the engine thread that opened it ({@link Workers}): libchdb
 * runs one statement per connection at a time, and parameterised statements sharing a connection
 * corrupt each other's parameters. The connection also remembers which database it last {@code
 * USE}d, so that views of several databases can share it. Not thread-safe.
 */
final class EmbeddedConnection {
  final int id;
  private final ChdbLibrary lib;
  private final ChdbLibrary.Connection nativeConnection;

  /** The database the connection is in, or null when unknown. */
  private String currentDatabase;

  EmbeddedConnection(int id, ChdbLibrary lib, ChdbLibrary.Connection nativeConnection) {
    this.id = id;
    this.lib = lib;
    this.nativeConnection = nativeConnection;
  }

  /** Runs one statement. */
  byte[] run(byte[] sql, String sqlForErrors, String format, List<QueryParams.Param> params) {
    return lib.query(nativeConnection, sql, sqlForErrors, format, params);
  }

  /** Streams {@code data} into an INSERT given without its FORMAT. */
  void insert(byte[] insert, String format, byte[] data, String sqlForErrors) {
    lib.insert(nativeConnection, insert, format, data, sqlForErrors);
  }

  /** Runs a statement of our own (settings, USE) with no parameters. */
  void runInternal(String sql) {
    run(sql.getBytes(StandardCharsets.UTF_8), sql, "TabSeparated", List.of());
  }

  /** Switches to {@code database} unless already there. */
  void use(String database) {
    if (database.equals(currentDatabase)) {
      return;
    }
    currentDatabase = null;
    runInternal("USE " + Identifiers.quote(database));
    currentDatabase = database;
  }

  void close() {
    lib.close(nativeConnection);
  }
}
