package dev.naap.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's embedded ClickHouse engine: one storage directory and a fixed pool of libchdb
 * connections opened together at start. {@link EmbeddedStore}s are views of it, one per database;
 * they share the pool.
 *
 * <h2>Rules (docs/STORE.md, "The chDB rules")</h2>
 *
 * <ul>
 *   <li>One storage path per process: starting on another directory while an engine runs fails.
 *   <li>One statement per connection at a time, and every engine call on a platform thread: each
 *       connection belongs to one thread of {@link Workers} for its whole life, and callers queue
 *       for them (up to {@code naap.store.queueCapacity}; a caller waits up to {@code
 *       naap.store.acquireTimeoutMs} for a free one, code 202 after that).
 *   <li>Connections are opened only at start, because each {@code chdb_connect} briefly resets the
 *       JVM's signal handlers.
 *   <li>Every connection is closed before the JVM exits: a shutdown hook stops new work, cancels
 *       running reads ({@link ReadCanceller}), waits for running writes, closes the connections
 *       and calls {@code chdb_shutdown}. Closing the last view does the same except {@code
 *       chdb_shutdown}, which would forbid a later start.
 * </ul>
 *
 * <h2>Locks</h2>
 *
 * {@link #REGISTRY} (which engine is current, reference counts) is taken before {@link
 * ChdbLibrary#lifecycleLock()}.
 */
final class EmbeddedEngine {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedEngine.class);
  private static final ReentrantLock REGISTRY = new ReentrantLock();
  /** The running engine; guarded by REGISTRY. */
  private static volatile EmbeddedEngine current;
  /** Whether the JVM shutdown hook is installed; guarded by REGISTRY. */
  private static boolean hookInstalled;
  /** Set by the shutdown hook; guarded by REGISTRY. */
  private static boolean jvmExiting;

  private final Path dataDir;
  private final EngineOptions options;
  private final Workers<EmbeddedConnection> workers;
  /**
   * Connections locked with readonly = 1 (ReadOnlyAccess) on threads of their own: never lent to
   * other callers, so untrusted SQL cannot starve ingest or the API; null without them.
   */
  private final Workers<EmbeddedConnection> readOnlyWorkers;
  private final ReadCanceller canceller;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final String description;
  /** Open views; guarded by REGISTRY. */
  private int references;

  private EmbeddedEngine(Path dataDir, EngineOptions options, Workers<EmbeddedConnection> workers,
      Workers<EmbeddedConnection> readOnlyWorkers, ReadCanceller canceller, String serverVersion,
      String libraryVersion) {
    this.dataDir = dataDir;
    this.options = options;
    this.workers = workers;
    this.readOnlyWorkers = readOnlyWorkers;
    this.canceller = canceller;
    this.description = "embedded ClickHouse " + serverVersion + " (libchdb " + libraryVersion
        + ") at " + dataDir + ", " + workers.size() + " connections"
        + (readOnlyWorkers == null ? "" : " + " + readOnlyWorkers.size() + " read-only");
  }

  /** Takes a reference to the engine on {@code dataDir}, starting it if none runs. */
  static EmbeddedEngine acquire(Path dataDir, int connections) {
    return acquire(dataDir, connections, null);
  }

  /** As {@link #acquire(Path, int)}, with {@code readOnly} connections when this starts it. */
  static EmbeddedEngine acquire(Path dataDir, int connections, ReadOnlyAccess readOnly) {
    Path dir = canonical(dataDir);
    REGISTRY.lock();
    try {
      if (jvmExiting) {
        throw new StoreException(
            0, "the JVM is shutting down; the embedded engine is closed", null);
      }
      if (current != null && !current.dataDir.equals(dir)) {
        throw new StoreException(0, "the embedded engine already runs on " + current.dataDir
            + " in this process; libchdb allows one storage directory per process, so " + dir
            + " cannot be opened until every store on " + current.dataDir + " is closed", null);
      }
      if (current == null) {
        current = start(dir, connections, readOnly, EngineOptions.fromSystemProperties());
        installShutdownHook();
      } else if (current.workers.size() != connections) {
        log.info("embedded engine already runs with {} connections; ignoring a request for {}",
            current.workers.size(), connections);
      }
      current.references++;
      return current;
    } finally {
      REGISTRY.unlock();
    }
  }

  /** Drops a reference; the last one closes every connection. */
  void release() {
    REGISTRY.lock();
    try {
      if (references <= 0 || current != this) {
        return;
      }
      if (--references == 0) {
        current = null;
        close();
      }
    } finally {
      REGISTRY.unlock();
    }
  }

  String description() {
    return description;
  }

  boolean hasReadOnlyConnections() {
    return readOnlyWorkers != null;
  }

  Path dataDir() {
    return dataDir;
  }

  private static Path canonical(Path dataDir) {
    try {
      PrivateDirectories.create(dataDir);
      return dataDir.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the engine directory " + dataDir, e);
    }
  }

  /**
   * Opens the connections, each on the platform thread that will run all its statements and close
   * it: ClickHouse keeps per-thread state (its {@code ThreadStatus}) that must be created and
   * destroyed on one OS thread, and a native call must never run on a virtual thread.
   */
  private static EmbeddedEngine start(Path dir, int n, ReadOnlyAccess readOnly,
      EngineOptions options) {
    ChdbLibrary lib = ChdbLibrary.get();
    long t0 = System.nanoTime();
    int ro = readOnly == null ? 0 : readOnly.connections();
    int total = n + ro + 1;
    Path spool = spoolDirectory(dir);
    ReadCanceller canceller = new ReadCanceller(options.acquireTimeout());
    Workers<EmbeddedConnection> workers = null;
    Workers<EmbeddedConnection> readOnlyWorkers = null;
    try {
      workers = new Workers<>("naap-engine", n, options.queueCapacity(),
          i -> open(lib, dir, spool, i, total, options), EmbeddedConnection::close,
          canceller::stopping);
      if (readOnly != null) {
        readOnlyWorkers = new Workers<>("naap-engine-readonly", ro, options.queueCapacity(),
            i -> openReadOnly(lib, dir, spool, n + i, total, options, readOnly),
            EmbeddedConnection::close, canceller::stopping);
      }
      canceller.start(new Workers<>("naap-engine-control", 1, options.queueCapacity(),
          i -> open(lib, dir, spool, n + ro, total, options), EmbeddedConnection::close));
      clear(spool);
      String version = workers.call(c -> new String(c.run(
          "SELECT version()".getBytes(StandardCharsets.UTF_8), "SELECT version()", "TabSeparated",
          List.of()), StandardCharsets.UTF_8).strip(), options.acquireTimeout());
      EmbeddedEngine engine = new EmbeddedEngine(dir, options, workers, readOnlyWorkers, canceller,
          version, lib.version());
      log.info("started {} in {} ms", engine.description, (System.nanoTime() - t0) / 1_000_000);
      return engine;
    } catch (RuntimeException e) {
      if (workers != null) {
        workers.close(options.shutdownTimeout());
      }
      if (readOnlyWorkers != null) {
        readOnlyWorkers.close(options.shutdownTimeout());
      }
      canceller.close(options.shutdownTimeout());
      throw e;
    }
  }

  /**
   * The directory of the connections' insert spool files ({@link EmbeddedConnection#insert}).
   * The engine's file() reads {@code *}, {@code ?} and braces in a path as a pattern, so a store
   * directory holding one is refused here rather than on the first insert.
   */
  static Path spoolDirectory(Path dir) {
    Path spool = dir.resolve("insert-spool");
    if (spool.toString().matches(".*[*?{}].*")) {
      throw new StoreException(0, "the embedded store's directory " + dir + " holds *, ?, { or"
          + " }, which the engine would read as a pattern in the path of insert data; use"
          + " another directory", null);
    }
    return spool;
  }

  /**
   * Creates the spool directory, or empties it of the files a killed process left (each holds at
   * most one batch that was never acknowledged). Runs once the connections hold the store: only
   * then is no other process using it.
   */
  private static void clear(Path spool) {
    try {
      Files.createDirectories(spool);
      try (var files = Files.list(spool)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the insert spool " + spool, e);
    }
  }

  /** Opens a connection as {@link #open}, then locks it: limits first, {@code readonly} last. */
  private static EmbeddedConnection openReadOnly(ChdbLibrary lib, Path dir, Path spool, int i,
      int total, EngineOptions options, ReadOnlyAccess readOnly) {
    EmbeddedConnection conn = open(lib, dir, spool, i, total, options);
    try {
      for (String sql : readOnly.settingStatements()) {
        conn.runInternal(sql);
      }
      conn.limitResults(readOnly.maxResultBytes());
    } catch (RuntimeException e) {
      conn.close();
      throw e;
    }
    return conn;
  }

  private static EmbeddedConnection open(ChdbLibrary lib, Path dir, Path spool, int i, int n,
      EngineOptions options) {
    ChdbLibrary.Connection c = lib.connect(dir);
    if (c == null) {
      throw new StoreException(0, "libchdb refused to open " + dir + " (connection " + (i + 1)
          + " of " + n + "); another process may be using it, or the directory is not"
          + " writable; libchdb allows one storage directory per process", null);
    }
    EmbeddedConnection conn =
        new EmbeddedConnection(i, lib, c, spool.resolve("connection-" + (i + 1)));
    try {
      configure(conn, options, i == 0);
    } catch (RuntimeException e) {
      conn.close();
      throw e;
    }
    return conn;
  }

  /**
   * Settings go through {@code SET}, which persists on the connection: libchdb ignores settings
   * passed to {@code chdb_connect}, and its defaults differ from a server's (async inserts on).
   */
  private static void configure(EmbeddedConnection c, EngineOptions options, boolean first) {
    for (String sql : settingStatements(options)) {
      c.runInternal(sql);
    }
    c.runInternal(EmbeddedConnection.LOG_COMMENT.formatted(c.logComment()));
    if (first) {
      c.runInternal("CREATE DATABASE IF NOT EXISTS " + Identifiers.quote(Stores.DEFAULT_DATABASE)
          + " ENGINE = Atomic");
    }
    c.use(Stores.DEFAULT_DATABASE);
  }

  static List<String> settingStatements(EngineOptions options) {
    return List.of(
        "SET max_memory_usage = " + options.maxMemoryUsageBytes(),
        "SET async_insert = 0",
        "SET wait_for_async_insert = 1",
        "SET insert_deduplicate = 1",
        "SET async_insert_deduplicate = 1",
        "SET date_time_input_format = 'best_effort'");
  }

  /** Work done while holding one connection. */
  @FunctionalInterface
  interface ConnectionWork<T> {
    T run(EmbeddedConnection c);
  }

  /**
   * Runs {@code work} on an engine thread, on its connection switched to {@code database}. Waits up
   * to {@code naap.store.acquireTimeoutMs} for a free connection (then code 202); fails at once
   * with code 202 when {@code naap.store.queueCapacity} calls already wait.
   */
  <T> T call(String database, ConnectionWork<T> work) {
    return call(database, false, work);
  }

  /** As {@link #call(String, ConnectionWork)}, on a read-only connection when {@code readOnly}. */
  <T> T call(String database, boolean readOnly, ConnectionWork<T> work) {
    if (closed.get()) {
      throw closedError();
    }
    if (readOnly && readOnlyWorkers == null) {
      throw new StoreException(0, "the embedded engine has no read-only connections; start it with"
          + " StoreConfig.Embedded.readOnly", null);
    }
    return (readOnly ? readOnlyWorkers : workers).call(c -> {
      c.use(database);
      return work.run(c);
    }, options.acquireTimeout());
  }

  private StoreException closedError() {
    return new StoreException(0, "the embedded engine at " + dataDir + " is closed", null);
  }

  /**
   * Stops new work, cancels running reads, waits for running writes, closes every connection. A
   * connection whose statement outlives the timeout is left open: closing it mid-statement can
   * abort the process.
   *
   * @return whether every connection was closed
   */
  private boolean close() {
    if (!closed.compareAndSet(false, true)) {
      return true;
    }
    // Reads still running are cancelled (their callers are gone or going); writes run to their end.
    boolean all = workers.close(options.shutdownTimeout())
        & (readOnlyWorkers == null || readOnlyWorkers.close(options.shutdownTimeout()))
        & canceller.close(options.shutdownTimeout());
    if (!all) {
      log.warn("some engine connections stay open: their statements were still running after {} ms",
          options.shutdownTimeout().toMillis());
      return false;
    }
    log.info("closed the embedded engine at {}", dataDir);
    return true;
  }

  private static void installShutdownHook() {
    if (hookInstalled) {
      return;
    }
    hookInstalled = true;
    Runtime.getRuntime().addShutdownHook(
        Thread.ofPlatform().name("naap-engine-shutdown").unstarted(EmbeddedEngine::onJvmExit));
  }

  /**
   * How long the exit hook lets the engine's owners close their stores themselves, when an
   * application sets it: JVM shutdown hooks run in no particular order, and an application that
   * drains work on exit (the ingest commits the batches it is writing) needs the store until it is
   * done. Default 0: close at once.
   */
  static volatile long ownerGraceMs;

  /** The JVM is exiting: close the engine, then shut libchdb down. */
  private static void onJvmExit() {
    long graceDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ownerGraceMs);
    while (current != null && System.nanoTime() < graceDeadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    long waitMs = EngineOptions.SHUTDOWN_TIMEOUT_MS.defaultValue();
    try {
      waitMs = EngineOptions.fromSystemProperties().shutdownTimeout().toMillis();
    } catch (RuntimeException e) {
      // An engine never started with invalid options; the default wait is fine.
    }
    boolean locked = false;
    try {
      locked = REGISTRY.tryLock(waitMs + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!locked) {
      log.warn("could not close the embedded engine at exit: another thread holds it");
      return;
    }
    try {
      jvmExiting = true;
      boolean allClosed = true;
      if (current != null) {
        allClosed = current.close();
        current = null;
      }
      ChdbLibrary lib = ChdbLibrary.loadedOrNull();
      if (lib != null && allClosed) {
        int rc = lib.shutdown();
        log.debug("chdb_shutdown returned {}", rc);
      }
    } finally {
      REGISTRY.unlock();
    }
  }
}
