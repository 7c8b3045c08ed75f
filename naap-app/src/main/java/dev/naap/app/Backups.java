package dev.naap.app;

import dev.naap.store.Migrations;
import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import dev.naap.store.Stores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Backups of the store's database with the engine's own {@code BACKUP DATABASE … TO File(…)} and
 * {@code RESTORE DATABASE … FROM File(…)}: every table, view and part, and {@code
 * schema_migrations}, so that a restored store is the store that was backed up. The embedded engine
 * allows a {@code File} backup only under a directory given at its start ({@link
 * Stores#BACKUPS_PATH_PROPERTY}), which is set here before the store opens.
 */
final class Backups {

  private Backups() {}

  /** Backs up the database of {@code config} into {@code dir}, which must not exist yet. */
  static String backup(StoreConfig config, Path dir) {
    Path target = dir.toAbsolutePath().normalize();
    if (config instanceof StoreConfig.Embedded) {
      if (Files.exists(target)) {
        throw new IllegalArgumentException(target + " exists; a backup goes into a new directory");
      }
      allow(target.getParent());
    }
    try (Store store = Stores.open(config)) {
      return store
          .queryText(
              "BACKUP DATABASE " + database(store) + " TO File(" + literal(target) + ")", Map.of())
          .strip();
    }
  }

  /**
   * Replaces the database of {@code config} with the backup in {@code dir}, then applies the
   * migrations this release has and the backup lacks. Refuses a store that holds events unless
   * {@code replace}.
   */
  static String restore(StoreConfig config, Path dir, boolean replace) {
    Path source = dir.toAbsolutePath().normalize();
    if (config instanceof StoreConfig.Embedded) {
      if (!Files.isRegularFile(source.resolve(".backup"))) {
        throw new IllegalArgumentException(source + " holds no backup (no .backup file)");
      }
      allow(source.getParent());
    }
    try (Store store = Stores.open(config)) {
      String db = database(store);
      long events =
          Long.parseLong(store.queryText("SELECT count() FROM raw_events", Map.of()).strip());
      if (events > 0 && !replace) {
        throw new IllegalArgumentException("the store holds " + events
            + " events; --replace discards them for the backup's");
      }
      Store system = store.withDatabase("system");
      system.execute("DROP DATABASE IF EXISTS " + db + " SYNC");
      String status =
          system
              .queryText("RESTORE DATABASE " + db + " FROM File(" + literal(source) + ")", Map.of())
              .strip();
      List<String> applied = Migrations.apply(store);
      return status
          + (applied.isEmpty() ? "" : "\nmigrations applied after the restore: " + applied);
    }
  }

  /** Lets the embedded engine of this process write and read backups under {@code root}. */
  private static void allow(Path root) {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + root, e);
    }
    System.setProperty(Stores.BACKUPS_PATH_PROPERTY, root.toString());
  }

  private static String database(Store store) {
    String db = store.database();
    if (!db.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
      throw new IllegalArgumentException("database name '" + db + "' is not a plain identifier");
    }
    return db;
  }

  /** {@code path} as a ClickHouse string literal. */
  private static String literal(Path path) {
    return "'" + path.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** The bytes of a backup directory, for the commands' reports. */
  static long size(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      return -1;
    }
  }
}
