package dev.naap.store;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens {@link Store}s. Thread-safe. */
public final class Stores {

  /** The database of {@code Stores.open(new StoreConfig.Embedded(...))}. */
  public static final String DEFAULT_DATABASE = "naap";

  /**
   * System property: a directory the embedded engine may write backups to and restore them from
   * ({@code BACKUP … TO File(…)}); unset, the engine allows neither. Read when the engine starts.
   */
  public static final String BACKUPS_PATH_PROPERTY = "naap.store.backupsPath";

  private static final Logger log = LoggerFactory.getLogger(Stores.class);

  private Stores() {}

  /**
   * Lets the JVM exit hook wait up to {@code grace} for the application to close its embedded
   * stores itself before it closes the engine (default: no wait). Applications that drain work on
   * SIGTERM, such as the ingest, call it before they open their store.
   */
  public static void closeOnExitAfter(java.time.Duration grace) {
    EmbeddedEngine.ownerGraceMs = grace.toMillis();
  }

  /**
   * Opens a ready store: the database exists (embedded: an Atomic database {@code naap}; server:
   * the configured one, created with the server's default engine if missing) and every migration
   * is applied.
   */
  public static Store open(StoreConfig config) {
    return open(config, () -> false);
  }

  /**
   * As {@link #open(StoreConfig)}, for a command that may be stopped while it starts: between
   * two migrations, {@code stopping} true closes the store and throws {@link Migrations.Stopped}.
   */
  public static Store open(StoreConfig config, BooleanSupplier stopping) {
    Objects.requireNonNull(config, "config");
    return switch (config) {
      case StoreConfig.Embedded e -> openEmbedded(e, DEFAULT_DATABASE, stopping);
      case StoreConfig.Server s -> {
        ServerStore store = ServerStore.open(s);
        yield ready(store, s.cluster() == null ? store::createDatabase
            : () -> store.createDatabase(s.cluster()), s.cluster(), stopping);
      }
    };
  }

  /**
   * Opens a store on {@code database} of the process's embedded engine: the engine starts if it is
   * not running (on {@code config}'s directory; one directory per process), the database is created
   * as Atomic if missing, and every migration is applied. Several such stores, on different
   * databases, share the engine; it closes its connections when the last one is closed.
   */
  public static Store openEmbedded(StoreConfig.Embedded config, String database) {
    return openEmbedded(config, database, () -> false);
  }

  private static Store openEmbedded(StoreConfig.Embedded config, String database,
      BooleanSupplier stopping) {
    Objects.requireNonNull(config, "config");
    String quoted = Identifiers.quote(database);
    EmbeddedEngine engine =
        EmbeddedEngine.acquire(config.dataDir(), config.connections(), config.readOnly());
    EmbeddedStore store = EmbeddedStore.owning(engine, database);
    return ready(store, () -> {
      if (!database.equals(DEFAULT_DATABASE)) {
        store.withDatabase(DEFAULT_DATABASE)
            .execute("CREATE DATABASE IF NOT EXISTS " + quoted + " ENGINE = Atomic");
      }
    }, null, stopping);
  }

  /**
   * A borrowed view of {@code store}'s database on the engine's read-only connections ({@link
   * ReadOnlyAccess}): the engine refuses every write, DDL, setting change and outside access on
   * them, and holds each statement to their limits. The view must not outlive {@code store}.
   *
   * @throws IllegalStateException if the engine was started without read-only connections
   * @throws UnsupportedOperationException if {@code store} is not embedded
   */
  public static Store readOnly(Store store) {
    if (store instanceof EmbeddedStore embedded) {
      return embedded.readOnlyView();
    }
    throw new UnsupportedOperationException("read-only connections exist on the embedded store"
        + " only, not on " + store.description());
  }

  /**
   * The parts of the store's tables that the engine found damaged and set aside (a truncated or
   * corrupted file: {@code system.detached_parts}, reason {@code broken…}), as {@code table/part}.
   * Their rows are no longer read, and the engine says so only in its own log.
   */
  public static List<String> brokenParts(Store store) {
    return store.queryText("SELECT concat(table, '/', name) FROM system.detached_parts"
        + " WHERE database = currentDatabase() AND startsWith(reason, 'broken')"
        + " ORDER BY table, name", Map.of()).lines().toList();
  }

  private static void warnOfBrokenParts(Store store) {
    List<String> broken;
    try {
      broken = brokenParts(store);
    } catch (RuntimeException e) { // a user without access to system tables: nothing to say
      log.debug("cannot list the detached parts of {}", store.description(), e);
      return;
    }
    if (!broken.isEmpty()) {
      log.warn("the engine set aside {} damaged part(s) of {}, whose rows are no longer read: {};"
          + " restore them from a backup or ingest them again (docs/OPERATIONS.md,"
          + " \"Damaged parts\")", broken.size(), store.description(), String.join(", ", broken));
    }
  }

  private static Store ready(Store store, Runnable createDatabase, String cluster,
      BooleanSupplier stopping) {
    try {
      if (!Migrations.upToDate(store)) { // else no DDL: a read-only user opens it too
        createDatabase.run();
        Migrations.apply(store, cluster, stopping);
      }
      warnOfBrokenParts(store);
      return store;
    } catch (RuntimeException e) {
      try {
        store.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }
}
