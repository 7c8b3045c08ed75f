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
 * Store store = TestEngine.store("ingest_test");   // fresh database, migrations applied
 * }</pre>
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

  private static final AtomicInteger UNIQUE = new AtomicInteger();
  private static Store anchor;
  private static ClickHouseHttpServer http;
  private static final Set<String> prepared = new HashSet<>();

  private TestEngine() {}

  /** The engine's configuration. */
  public static synchronized StoreConfig.Embedded config() {
    return new StoreConfig.Embedded(dataDir(), CONNECTIONS, READ_ONLY);
  }

  /**
   * An embedded store on {@code database}. The first call for a name in this JVM drops whatever
   * was there and creates it afresh, with migrations applied; later calls share it.
   */
  public static synchronized Store store(String database) {
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
   * database}: fresh on first use in this JVM, created and migrated through HTTP.
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

  private static Store anchor() {
    if (anchor == null) {
      deleteStaleDirectories();
      anchor = Stores.open(config());
    }
    return anchor;
  }

  private static void prepare(String database) {
    Store a = anchor();
    if (prepared.add(database) && !database.equals(Stores.DEFAULT_DATABASE)) {
      a.execute("DROP DATABASE IF EXISTS " + Identifiers.quote(database) + " SYNC");
    }
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
