package dev.naap.store;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One libchdb connection, confined to the engine thread that opened it ({@link Workers}): libchdb
 * runs one statement per connection at a time, and parameterised statements sharing a connection
 * corrupt each other's parameters. The connection also remembers which database it last {@code
 * USE}d, so that views of several databases can share it. Not thread-safe.
 */
final class EmbeddedConnection {
  /** The probe's own answer is 11 bytes: anything longer is leftover output, freed unread. */
  private static final long DRAIN_LIMIT_BYTES = 1024;

  final int id;
  private final ChdbLibrary lib;
  private final ChdbLibrary.Connection nativeConnection;

  /**
   * Longest result copied into the heap. libchdb builds a whole result before returning it, and
   * does not apply max_result_bytes to it (measured), so read-only connections check here too.
   */
  private long maxResultBytes = Long.MAX_VALUE;
  private MemorySegment insertBuffer = MemorySegment.NULL;

  /** The database the connection is in, or null when unknown. */
  private String currentDatabase;

  EmbeddedConnection(int id, ChdbLibrary lib, ChdbLibrary.Connection nativeConnection) {
    this.id = id;
    this.lib = lib;
    this.nativeConnection = nativeConnection;
  }

  /** Runs one statement. */
  byte[] run(byte[] sql, String sqlForErrors, String format, List<QueryParams.Param> params) {
    try {
      return lib.query(nativeConnection, sql, sqlForErrors, format, params, maxResultBytes);
    } catch (StoreException e) {
      drain();
      throw e;
    }
  }

  /**
   * After a failed statement, libchdb may keep the output it had produced and hand it out with the
   * next result on this connection (measured: a statement stopped by max_execution_time left
   * 196 MB that came back as the answer to {@code SELECT 'in'}), which would give one caller
   * another's rows. A probe statement takes whatever is left, until it answers exactly; what is
   * left is freed without being copied into the heap (it can be a gigabyte).
   */
  private void drain() {
    byte[] probe = "SELECT 'naap-drain'".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 3; i++) {
      try {
        byte[] r = lib.query(nativeConnection, probe, "SELECT 'naap-drain'", "TabSeparated",
            List.of(), DRAIN_LIMIT_BYTES);
        if (new String(r, StandardCharsets.UTF_8).equals("naap-drain\n")) {
          return;
        }
      } catch (StoreException e) {
        // try again
      }
    }
  }

  void limitResults(long bytes) {
    maxResultBytes = bytes;
  }

  /** Inserts {@code data} with an INSERT given without its FORMAT. */
  void insert(byte[] insert, String format, List<ByteBuffer> data, String sqlForErrors) {
    lib.insert(nativeConnection, insert, format, data, sqlForErrors, this::insertBuffer);
  }

  /**
   * Native memory for an insert's text, kept for the next one: a batch is megabytes, and fresh
   * native memory is zeroed. It grows to a quarter more than the largest insert, so that batches
   * of about one size seldom grow it, and is freed with the connection (an automatic arena: the GC
   * frees it once nothing refers to it).
   */
  private MemorySegment insertBuffer(long size) {
    if (insertBuffer.byteSize() < size) {
      insertBuffer = Arena.ofAuto().allocate(size + size / 4);
    }
    return insertBuffer;
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
    insertBuffer = MemorySegment.NULL;
  }
}
