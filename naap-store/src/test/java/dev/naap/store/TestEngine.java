package dev.naap.store;

import dev.naap.store.http.ClickHouseHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The embedded engine for tests, shared by every test in a JVM (libchdb allows one storage
 * directory per process). Other modules get it through naap-store's test-jar:
 *
 * <pre>{@code
 * <dependency><groupId>dev.naap</groupId><artifactId>naap-store</artifactId>
 *   <type>test-jar</type><scope>test</scope></dependency>
 *
 * Store store = TestEngine.store("ingest_test");   // fresh database, as migrations make it
 * }</pre>
 *
 * <p>A fresh database is a copy of a template that this JVM migrated once ({@link TemplateCopy}:
 * about a third of the CPU of applying every migration). {@link #migratedStore} and {@link
 * #serverStore} apply the migrations themselves, for tests of that path.
 *
 * <p>The data directory is {@code target/naap-test-engine/<pid>} (or system property {@code
 * naap.test.dataDir}); directories left by earlier, finished runs are deleted. The engine stays up
 * until the JVM exits, so closing a store from here is allowed and cheap. Thread-safe.
 */
public final class TestEngine {
  /** Engine connections, so at most this many statements run at once. */
  public static final int CONNECTIONS = 4;

  /** The read-only connections: the defaults, but 10 s per statement so that tests end sooner. */
  public static final ReadOnlyAccess READ_ONLY =
      new ReadOnlyAccess(
          ReadOnlyAccess.DEFAULT_CONNECTIONS,
          ReadOnlyAccess.DEFAULT_MAX_MEMORY_BYTES,
          java.time.Duration.ofSeconds(10),
          ReadOnlyAccess.DEFAULT_MAX_RESULT_BYTES);

  /** Password of {@link #httpServer()}'s user {@code default}. */
  public static final String HTTP_PASSWORD = "test-" + Long.toHexString(System.nanoTime());

  /** The database that fresh ones are copied from; no test may write to it. */
  static final String TEMPLATE = "naap_test_template";

  private static final AtomicInteger UNIQUE = new AtomicInteger();
  private static Store anchor;
  private static TemplateCopy template;
  private static ClickHouseHttpServer http;
  private static final Set<String> prepared = new HashSet<>();

  private TestEngine() {}

  /** The engine's configuration. */
  public static synchronized StoreConfig.Embedded config() {
    return new StoreConfig.Embedded(dataDir(), CONNECTIONS, READ_ONLY);
  }

  /**
   * An embedded store on {@code database}. The first call for a name in this JVM drops whatever
   * was there and creates it afresh as migrations make it (a copy of the template); later calls
   * share it.
   */
  public static synchronized Store store(String database) {
    if (prepare(database)) {
      template().copyTo(anchor(), database);
    }
    return Stores.openEmbedded(config(), database);
  }

  /**
   * As {@link #store}, but a fresh database gets every migration applied as it opens, as in
   * production: for tests of that path.
   */
  public static synchronized Store migratedStore(String database) {
    prepare(database);
    return Stores.openEmbedded(config(), database);
  }

  /** An embedded store on a new database named {@code prefix_<n>}. */
  public static Store uniqueStore(String prefix) {
    return store(prefix + "_" + UNIQUE.incrementAndGet());
  }

  /**
   * A ClickHouse HTTP server with writes allowed on a random loopback port, in front of the shared
   * engine; user {@code default}, password {@link #HTTP_PASSWORD}.
   */
  public static synchronized ClickHouseHttpServer httpServer() {
    if (http == null) {
      http = new ClickHouseHttpServer(anchor(),
          ClickHouseHttpServer.Config.loopback(0, HTTP_PASSWORD).withWrites()).start();
    }
    return http;
  }

  /**
   * A {@code StoreConfig.Server} store that talks HTTP to {@link #httpServer()}, on {@code
   * database}: fresh on first use in this JVM, created and migrated through HTTP (no copy).
   */
  public static synchronized Store serverStore(String database) {
    prepare(database);
    return Stores.open(new StoreConfig.Server(httpServer().url(), null, HTTP_PASSWORD, database));
  }

  /** The engine's data directory. */
  public static synchronized Path dataDir() {
    String explicit = System.getProperty("naap.test.dataDir");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    Path root = Path.of("target", "naap-test-engine").toAbsolutePath();
    return root.resolve(Long.toString(ProcessHandle.current().pid()));
  }

  /**
   * The store on the default database. The engine's start creates that database empty; it is
   * made a copy of the template too, unless an earlier run in {@code naap.test.dataDir} left it
   * holding tables (then opening it migrates whatever is missing).
   */
  private static Store anchor() {
    if (anchor == null) {
      deleteStaleDirectories();
      Store naap = EmbeddedStore.owning(EmbeddedEngine.acquire(dataDir(), CONNECTIONS, READ_ONLY),
          Stores.DEFAULT_DATABASE);
      try {
        naap.execute("DROP DATABASE IF EXISTS " + TEMPLATE + " SYNC");
        try (Store t = Stores.openEmbedded(config(), TEMPLATE)) { // migrated for real
          template = TemplateCopy.of(t);
        }
        if (naap.queryText("SELECT count() FROM system.tables WHERE database = currentDatabase()",
            Map.of()).strip().equals("0")) {
          template.copyTo(naap, Stores.DEFAULT_DATABASE);
        }
        anchor = Stores.open(config());
      } finally {
        naap.close();
      }
    }
    return anchor;
  }

  /** The template, migrated on first use in this JVM. */
  static synchronized TemplateCopy template() {
    anchor();
    return template;
  }

  /** Drops {@code database} on its first use in this JVM; true if it did. */
  private static boolean prepare(String database) {
    Store a = anchor();
    if (prepared.add(database) && !database.equals(Stores.DEFAULT_DATABASE)) {
      a.execute("DROP DATABASE IF EXISTS " + Identifiers.quote(database) + " SYNC");
      return true;
    }
    return false;
  }

  private static void deleteStaleDirectories() {
    Path mine = dataDir();
    Path root = mine.getParent();
    if (root == null
        || !Files.isDirectory(root)
        || System.getProperty("naap.test.dataDir") != null) {
      return;
    }
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path d : dirs.toList()) {
        String name = d.getFileName().toString();
        if (d.equals(mine) || !name.matches("\\d+")) {
          continue;
        }
        if (ProcessHandle.of(Long.parseLong(name)).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        deleteRecursively(d);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Deletes {@code dir} and everything under it. The module's other test JVM may be deleting the
   * same stale directory at the same moment: what vanishes under the walk is skipped.
   */
  static void deleteRecursively(Path dir) throws IOException {
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) {
          throw e;
        }
        Files.deleteIfExists(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
