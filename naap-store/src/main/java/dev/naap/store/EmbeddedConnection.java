package dev.naap.store;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One libchdb connection, confined to the engine thread that opened it ({@link Workers}): libchdb
 * runs one statement per connection at a time, and parameterised statements sharing a connection
 * corrupt each other's parameters. The connection also remembers which database it last {@code
 * USE}d, so that views of several databases can share it, and owns a spool file through which
 * its inserts hand their data to the engine. Not thread-safe.
 */
final class EmbeddedConnection {
  /** The probe's own answer is 11 bytes: anything longer is leftover output, freed unread. */
  private static final long DRAIN_LIMIT_BYTES = 1024;

  final int id;
  private final ChdbLibrary lib;
  private final ChdbLibrary.Connection nativeConnection;
  /** This connection's insert data, while one insert runs (empty otherwise). */
  private final Path spool;

  /**
   * Longest result copied into the heap. libchdb builds a whole result before returning it, and
   * does not apply max_result_bytes to it (measured), so read-only connections check here too.
   */
  private long maxResultBytes = Long.MAX_VALUE;
  private MemorySegment insertBuffer = MemorySegment.NULL;

  /** The database the connection is in, or null when unknown. */
  private String currentDatabase;

  /** Read statements run so far, numbering their tags. */
  private long reads;
  /** The tag of the read statement running now, or null ({@link #runningRead}). */
  private volatile String runningRead;

  EmbeddedConnection(int id, ChdbLibrary lib, ChdbLibrary.Connection nativeConnection,
      Path spool) {
    this.id = id;
    this.lib = lib;
    this.nativeConnection = nativeConnection;
    this.spool = spool;
  }

  /**
   * Runs one statement. A read ({@code SELECT} or {@code WITH} first) goes to the engine behind a
   * comment that names it ({@link #runningRead}), so that another connection can cancel it.
   */
  byte[] run(byte[] sql, String sqlForErrors, String format, List<QueryParams.Param> params) {
    String tag = SqlText.isRead(sqlForErrors) ? "/* naap:c" + id + ":r" + ++reads + " */ " : null;
    byte[] statement = sql;
    if (tag != null) {
      byte[] prefix = tag.getBytes(StandardCharsets.UTF_8);
      statement = new byte[prefix.length + sql.length];
      System.arraycopy(prefix, 0, statement, 0, prefix.length);
      System.arraycopy(sql, 0, statement, prefix.length, sql.length);
      runningRead = tag;
    }
    try {
      return lib.query(nativeConnection, statement, sqlForErrors, format, params, maxResultBytes);
    } catch (StoreException e) {
      drain();
      throw e;
    } finally {
      runningRead = null;
    }
  }

  /**
   * The comment that starts the read statement running on this connection now, or null when it
   * runs none: {@code KILL QUERY WHERE startsWith(query, tag)} on another connection cancels it
   * (the engine then fails it with code 394), where a native call cannot be interrupted. Safe
   * from any thread.
   */
  String runningRead() {
    return runningRead;
  }

  /**
   * This connection's {@code log_comment}, set when it opens ({@link #LOG_COMMENT}): the engine
   * shows it with each of its statements in {@code system.processes}' {@code Settings}. A read
   * with query parameters is kept there with its values put in and formatted again, without its
   * tag: this is how a cancel finds it.
   */
  String logComment() {
    return "naap:c" + id;
  }

  /** Sets {@link #logComment()}; before {@code readonly}, which forbids it. */
  static final String LOG_COMMENT = "SET log_comment = '%s'";

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

  /**
   * Inserts {@code data} (the parts one after the other) in {@code format}, with an INSERT given
   * without its FORMAT clause, e.g. {@code INSERT INTO t (a, b)}: the data is written to this
   * connection's spool file and read by {@code INSERT … SELECT * FROM file(…)}, with the
   * structure of the insert's columns (docs/STORE.md, rule 8). Inline data cost the engine twice
   * as much per row and ended at its first empty line; a file takes any bytes. The file is
   * emptied when the insert returns, failed or not.
   */
  void insert(String insert, String format, List<ByteBuffer> data, String sqlForErrors) {
    StringBuilder sql = new StringBuilder(insert).append(" SELECT * FROM file(");
    QueryParams.quote(sql, spool.toString());
    sql.append(", ");
    QueryParams.quote(sql, format);
    sql.append(") SETTINGS use_structure_from_insertion_table_in_table_functions = 1");
    try (FileChannel out = FileChannel.open(spool, CREATE, WRITE, TRUNCATE_EXISTING)) {
      try {
        write(out, data);
        run(sql.toString().getBytes(StandardCharsets.UTF_8), sqlForErrors, "TabSeparated",
            List.of());
      } finally {
        out.truncate(0); // nothing of the batch stays on disk, and the page cache is freed
      }
    } catch (IOException e) {
      throw new StoreException(0, "cannot spool the insert's data to " + spool + ": " + e,
          sqlForErrors, e);
    }
  }

  /** The parts, copied once into native memory and written with one call. */
  private void write(FileChannel out, List<ByteBuffer> data) throws IOException {
    long length = 0;
    for (ByteBuffer part : data) {
      length += part.remaining();
    }
    MemorySegment buffer = insertBuffer(length);
    long at = 0;
    for (ByteBuffer part : data) {
      MemorySegment.copy(MemorySegment.ofBuffer(part), 0, buffer, at, part.remaining());
      at += part.remaining();
    }
    for (long from = 0; from < length; from += Integer.MAX_VALUE) {
      ByteBuffer bytes = buffer.asSlice(from, Math.min(length - from, Integer.MAX_VALUE))
          .asByteBuffer();
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
    }
  }

  /**
   * Native memory for an insert's data, kept for the next one: a batch is megabytes, and fresh
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
    try {
      Files.deleteIfExists(spool);
    } catch (IOException e) {
      // It is empty after every insert, and the next start clears the spool directory.
    }
  }
}
