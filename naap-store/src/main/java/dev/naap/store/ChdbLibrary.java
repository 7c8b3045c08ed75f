package dev.naap.store;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our thin FFM binding to the libchdb C API ({@code chdb.h} of chdb-core 26.7): connect, query
 * (binary-safe {@code _n} variants), close, shutdown. Loaded at most once per process.
 *
 * <p>Thread-safety: {@link #query} may be called from any thread, but never twice at once on the
 * same connection (callers hold the connection's lock). Connect, close, the signal opt-out and
 * shutdown run under {@link #lifecycleLock()}, together with the {@link SignalGuard}.
 *
 * <p>Memory: every result, error results included, is copied into the Java heap and then freed
 * with {@code chdb_destroy_query_result}; arguments live in a confined arena for one call (the
 * engine copies what it keeps).
 */
// Binding native code is this class's job; callers run with --enable-native-access.
@SuppressWarnings("restricted")
final class ChdbLibrary {
  /** The engine build this code is written and tested against. */
  static final String PINNED_VERSION = "26.7.3-stable.1";
  static final String LIBRARY_PROPERTY = "naap.chdb.library";
  static final String LIBRARY_ENV = "NAAP_CHDB_LIBRARY";

  private static final Logger log = LoggerFactory.getLogger(ChdbLibrary.class);
  private static final ReentrantLock LIFECYCLE = new ReentrantLock();
  private static volatile ChdbLibrary instance;

  /** A connection: the pointer {@code chdb_connect} returned, and the handle it points to. */
  record Connection(MemorySegment pointer, MemorySegment handle) {}

  private final Path path;
  private final SignalGuard signalGuard = new SignalGuard();
  private final MethodHandle connect;
  private final MethodHandle closeConn;
  private final MethodHandle queryN;
  private final MethodHandle queryWithParamsN;
  private final MethodHandle destroyResult;
  private final MethodHandle resultBuffer;
  private final MethodHandle resultLength;
  private final MethodHandle resultError;
  private final MethodHandle setSignalHandlersEnabled;
  private final MethodHandle shutdown;
  private final String version;
  /** Set once {@code chdb_shutdown} ran: the engine cannot start again in this process. */
  private volatile boolean terminated;

  private ChdbLibrary(Path path) {
    this.path = path;
    Linker linker = Linker.nativeLinker();
    SymbolLookup lib = SymbolLookup.libraryLookup(path, Arena.global());
    Function<String, MemorySegment> sym =
        name -> lib.find(name).orElseThrow(
            () -> new IllegalStateException(
                path + " has no " + name + "; NaaP needs libchdb " + PINNED_VERSION));
    connect = linker.downcallHandle(sym.apply("chdb_connect"),
        FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
    closeConn = linker.downcallHandle(sym.apply("chdb_close_conn"),
        FunctionDescriptor.ofVoid(ADDRESS));
    queryN = linker.downcallHandle(sym.apply("chdb_query_n"),
        FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
    queryWithParamsN = linker.downcallHandle(sym.apply("chdb_query_with_params_n"),
        FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    destroyResult = linker.downcallHandle(sym.apply("chdb_destroy_query_result"),
        FunctionDescriptor.ofVoid(ADDRESS));
    resultBuffer = linker.downcallHandle(sym.apply("chdb_result_buffer"),
        FunctionDescriptor.of(ADDRESS, ADDRESS));
    resultLength = linker.downcallHandle(sym.apply("chdb_result_length"),
        FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultError = linker.downcallHandle(sym.apply("chdb_result_error"),
        FunctionDescriptor.of(ADDRESS, ADDRESS));
    setSignalHandlersEnabled = linker.downcallHandle(sym.apply("chdb_set_signal_handlers_enabled"),
        FunctionDescriptor.ofVoid(JAVA_INT));
    shutdown = linker.downcallHandle(sym.apply("chdb_shutdown"), FunctionDescriptor.of(JAVA_INT));
    MethodHandle versionFn = linker.downcallHandle(sym.apply("chdb_version"),
        FunctionDescriptor.of(ADDRESS));
    try {
      version = cString((MemorySegment) versionFn.invokeExact());
    } catch (Throwable t) {
      throw new IllegalStateException("chdb_version failed", t);
    }
  }

  /** The process's library, loaded (and signal handling opted out) on first use. */
  static ChdbLibrary get() {
    ChdbLibrary lib = instance;
    if (lib != null) {
      return lib;
    }
    LIFECYCLE.lock();
    try {
      if (instance == null) {
        Path path = resolvePath(System::getProperty, System::getenv);
        long t0 = System.nanoTime();
        ChdbLibrary loaded = new ChdbLibrary(path);
        loaded.optOutOfSignalHandlers();
        log.info("loaded libchdb {} from {} in {} ms", loaded.version, path,
            (System.nanoTime() - t0) / 1_000_000);
        instance = loaded;
      }
      return instance;
    } finally {
      LIFECYCLE.unlock();
    }
  }

  /** The loaded library, or null when no engine was ever started in this process. */
  static ChdbLibrary loadedOrNull() {
    return instance;
  }

  /** Held around connect, close, shutdown and the signal opt-out. */
  static ReentrantLock lifecycleLock() {
    return LIFECYCLE;
  }

  /**
   * The library file: system property {@code naap.chdb.library}, else {@code $NAAP_CHDB_LIBRARY},
   * else {@code ${XDG_CACHE_HOME:-$HOME/.cache}/naap/chdb/<version>/libchdb.so} (where {@code
   * ./naap} puts it).
   */
  static Path resolvePath(Function<String, String> properties, Function<String, String> env) {
    String explicit = properties.apply(LIBRARY_PROPERTY);
    String source = "system property " + LIBRARY_PROPERTY;
    if (explicit == null || explicit.isBlank()) {
      explicit = env.apply(LIBRARY_ENV);
      source = "$" + LIBRARY_ENV;
    }
    Path path;
    if (explicit != null && !explicit.isBlank()) {
      path = Path.of(explicit.strip());
    } else {
      String cache = env.apply("XDG_CACHE_HOME");
      Path cacheDir = cache != null && !cache.isBlank()
          ? Path.of(cache)
          : Path.of(properties.apply("user.home"), ".cache");
      path = cacheDir.resolve("naap/chdb/" + PINNED_VERSION + "/libchdb.so");
      source = "the default location";
    }
    if (!Files.isRegularFile(path)) {
      throw new StoreException(0,
          "the ClickHouse engine libchdb " + PINNED_VERSION + " is not at " + path + " (from "
              + source + "); run ./naap once to fetch it, or set " + LIBRARY_PROPERTY + " or $"
              + LIBRARY_ENV + " to its path", null);
    }
    return path;
  }

  Path path() {
    return path;
  }

  /** The library's own version, for example {@code 26.7.3}. */
  String version() {
    return version;
  }

  boolean terminated() {
    return terminated;
  }

  private void optOutOfSignalHandlers() {
    try {
      int restored = signalGuard.preserving(() -> {
        try {
          setSignalHandlersEnabled.invokeExact(0);
        } catch (Throwable t) {
          throw new IllegalStateException("chdb_set_signal_handlers_enabled failed", t);
        }
        return null;
      }).restored();
      log.debug("chdb_set_signal_handlers_enabled(0): restored {} JVM signal handlers", restored);
    } catch (Throwable t) {
      throw new IllegalStateException("chdb_set_signal_handlers_enabled(0) failed", t);
    }
  }

  /** Opens a connection on {@code dataDir}, or returns null when libchdb refuses. */
  Connection connect(Path dataDir) {
    LIFECYCLE.lock();
    try (Arena arena = Arena.ofConfined()) {
      if (terminated) {
        throw new StoreException(0,
            "the embedded engine was shut down in this process and cannot start again", null);
      }
      List<String> args = new ArrayList<>(List.of("clickhouse", "--path=" + dataDir));
      // BACKUP/RESTORE to File(...) need a configured root; only `naap backup`/`restore` set one.
      String backups = System.getProperty(Stores.BACKUPS_PATH_PROPERTY, "");
      if (!backups.isEmpty()) {
        args.add("--backups.allowed_path=" + backups);
      }
      MemorySegment argv = arena.allocate(ADDRESS, args.size());
      for (int i = 0; i < args.size(); i++) {
        argv.setAtIndex(ADDRESS, i, arena.allocateFrom(args.get(i)));
      }
      int argc = args.size();
      SignalGuard.Guarded<MemorySegment> g =
          signalGuard.preserving(() -> {
            try {
              return (MemorySegment) connect.invokeExact(argc, argv);
            } catch (Throwable t) {
              throw new IllegalStateException("chdb_connect failed", t);
            }
          });
      if (g.restored() > 0) {
        log.debug("chdb_connect: restored {} JVM signal handlers", g.restored());
      }
      MemorySegment pointer = g.value();
      if (pointer.equals(MemorySegment.NULL)) {
        return null;
      }
      MemorySegment handle = pointer.reinterpret(ADDRESS.byteSize()).get(ADDRESS, 0);
      return new Connection(pointer, handle);
    } catch (StoreException | IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("chdb_connect failed", e);
    } finally {
      LIFECYCLE.unlock();
    }
  }

  void close(Connection c) {
    LIFECYCLE.lock();
    try {
      closeConn.invokeExact(c.pointer());
    } catch (Throwable t) {
      throw new IllegalStateException("chdb_close_conn failed", t);
    } finally {
      LIFECYCLE.unlock();
    }
  }

  /** {@code chdb_shutdown}: stops the engine's threads; nothing may be connected. */
  int shutdown() {
    LIFECYCLE.lock();
    try {
      if (terminated) {
        return 0;
      }
      terminated = true;
      return (int) shutdown.invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException("chdb_shutdown failed", t);
    } finally {
      LIFECYCLE.unlock();
    }
  }

  /**
   * Runs {@code sql} on {@code c} and returns the result bytes.
   *
   * @param sqlForErrors how the statement is quoted in a {@link StoreException}
   * @param maxResultBytes a longer result is freed without being copied, and fails with code 396
   */
  byte[] query(Connection c, byte[] sql, String sqlForErrors, String format,
      List<QueryParams.Param> params, long maxResultBytes) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment q = arena.allocateFrom(JAVA_BYTE, sql);
      byte[] formatBytes = format.getBytes(StandardCharsets.US_ASCII);
      MemorySegment f = arena.allocateFrom(JAVA_BYTE, formatBytes);
      MemorySegment result;
      if (params.isEmpty()) {
        result = (MemorySegment) queryN.invokeExact(c.handle(), q, (long) sql.length, f,
            (long) formatBytes.length);
      } else {
        int n = params.size();
        MemorySegment names = arena.allocate(ADDRESS, n);
        MemorySegment nameLens = arena.allocate(JAVA_LONG, n);
        MemorySegment values = arena.allocate(ADDRESS, n);
        MemorySegment valueLens = arena.allocate(JAVA_LONG, n);
        for (int i = 0; i < n; i++) {
          byte[] name = params.get(i).name().getBytes(StandardCharsets.UTF_8);
          byte[] value = params.get(i).text().getBytes(StandardCharsets.UTF_8);
          names.setAtIndex(ADDRESS, i, arena.allocateFrom(JAVA_BYTE, name));
          nameLens.setAtIndex(JAVA_LONG, i, name.length);
          values.setAtIndex(ADDRESS, i, arena.allocateFrom(JAVA_BYTE, value));
          valueLens.setAtIndex(JAVA_LONG, i, value.length);
        }
        result = (MemorySegment) queryWithParamsN.invokeExact(c.handle(), q, (long) sql.length, f,
            (long) formatBytes.length, names, nameLens, values, valueLens, (long) n);
      }
      return take(result, sqlForErrors, maxResultBytes);
    } catch (StoreException e) {
      throw e;
    } catch (Throwable t) {
      throw new StoreException(0, "libchdb call failed: " + t, sqlForErrors, t);
    }
  }

  /** The remaining bytes of {@code parts}, one after the other, in one array. */
  static byte[] join(List<ByteBuffer> parts) {
    long total = 0;
    for (ByteBuffer part : parts) {
      total += part.remaining();
    }
    byte[] out = new byte[Math.toIntExact(total)];
    int at = 0;
    for (ByteBuffer part : parts) {
      part.get(part.position(), out, at, part.remaining());
      at += part.remaining();
    }
    return out;
  }

  /** Whether {@code data}, after the line break that ends the statement, holds an empty line. */
  static boolean hasEmptyLine(byte[] data) {
    return hasEmptyLine(MemorySegment.ofArray(data));
  }

  /** Whether {@code data}, after the line break that ends the statement, holds an empty line. */
  static boolean hasEmptyLine(MemorySegment data) {
    // A batch is megabytes with a line break every few hundred bytes: eight bytes at a time, and
    // byte by byte only in a word that holds a line break (the test has no false negatives).
    long n = data.byteSize();
    long i = 0;
    for (; i + Long.BYTES <= n; i += Long.BYTES) {
      long x = data.get(JAVA_LONG_UNALIGNED, i) ^ 0x0A0A0A0A0A0A0A0AL;
      if (((x - 0x0101010101010101L) & ~x & 0x8080808080808080L) != 0
          && emptyLineEndsIn(data, i, i + Long.BYTES)) {
        return true;
      }
    }
    return emptyLineEndsIn(data, i, n);
  }

  private static boolean emptyLineEndsIn(MemorySegment data, long from, long to) {
    for (long i = from; i < to; i++) {
      if (data.get(JAVA_BYTE, i) == '\n' && (i == 0 || data.get(JAVA_BYTE, i - 1) == '\n'
          || (data.get(JAVA_BYTE, i - 1) == '\r'
              && (i == 1 || data.get(JAVA_BYTE, i - 2) == '\n')))) {
        return true; // the statement's line break comes just before the data
      }
    }
    return false;
  }

  /** Copies a result (or its error) into the heap and frees it. */
  private byte[] take(MemorySegment result, String sqlForErrors, long maxResultBytes)
      throws Throwable {
    if (result.equals(MemorySegment.NULL)) {
      throw new StoreException(0, "libchdb returned no result", sqlForErrors);
    }
    try {
      MemorySegment error = (MemorySegment) resultError.invokeExact(result);
      if (!error.equals(MemorySegment.NULL)) {
        throw StoreException.fromServerText(cString(error), sqlForErrors);
      }
      long length = (long) resultLength.invokeExact(result);
      if (length == 0) {
        return new byte[0];
      }
      if (length > maxResultBytes) {
        throw new StoreException(396, "Code: 396. DB::Exception: Limit for result exceeded, max"
            + " bytes: " + maxResultBytes + ", current bytes: " + length
            + ". (TOO_MANY_ROWS_OR_BYTES)", sqlForErrors);
      }
      if (length > Integer.MAX_VALUE - 16) {
        throw new StoreException(0, "the result is " + length
            + " bytes, more than one Java array holds; add a LIMIT or aggregate", sqlForErrors);
      }
      MemorySegment buffer = (MemorySegment) resultBuffer.invokeExact(result);
      return buffer.reinterpret(length).toArray(JAVA_BYTE);
    } finally {
      destroyResult.invokeExact(result);
    }
  }

  private static String cString(MemorySegment p) {
    return p.equals(MemorySegment.NULL) ? "" : p.reinterpret(Long.MAX_VALUE).getString(0);
  }
}
