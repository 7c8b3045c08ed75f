package dev.naap.store;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/** Opens {@link Store}s. Thread-safe. */
public final class Stores {

  /** The database of {@code Stores.open(new StoreConfig.Embedded(...))}. */
  public static final String DEFAULT_DATABASE = "naap";

  /**
   * System property: a directory the embedded engine may write backups to and restore them from
   * ({@code BACKUP … TO File(…)}); unset, the engine allows neither. Read when the engine starts.
   */
  public static final String BACKUPS_PATH_PROPERTY = "naap.store.backupsPath";

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

  private static Store ready(Store store, Runnable createDatabase, String cluster,
      BooleanSupplier stopping) {
    try {
      if (Migrations.upToDate(store)) {
        return store; // no DDL: a read-only user (an API instance) opens a migrated store too
      }
      createDatabase.run();
      Migrations.apply(store, cluster, stopping);
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
