package dev.naap.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code naap backup --to DIR}: a full backup of the store with the engine's own BACKUP. */
final class BackupCommand implements Main.Command {

  @Override
  public String summary() {
    return "back up the store into a directory (the engine's BACKUP)";
  }

  @Override
  public String usage() {
    return """
        usage: naap backup --to DIR [OPTIONS]

        Writes a full backup of the store's database (every table and part, and the schema
        version in schema_migrations) into DIR, which must not exist yet. Restore it with
        naap restore --from DIR. The embedded store must not be open in another process: stop
        naap clickhouse-http (or ingest/serve) first, or back up a ClickHouse server instead,
        where DIR is a path on the server inside its backups.allowed_path (docs/OPERATIONS.md).

        options:
          --to DIR                   the new backup directory
        """ + StoreOptions.HELP;
  }

  @Override
  public int run(List<String> argv, PrintStream out, PrintStream err) {
    Set<String> known = new HashSet<>(StoreOptions.NAMES);
    known.add("to");
    Args args = Args.parse(argv, known, Set.of());
    var storeConfig = StoreOptions.from(args);
    String to = args.get("to", null);
    if (to == null) {
      args.error("--to DIR is required");
    }
    if (!args.positional().isEmpty()) {
      args.error("unexpected arguments " + args.positional());
    }
    args.check();
    try {
      long started = System.nanoTime();
      String status = Backups.backup(storeConfig, Path.of(to));
      out.printf("naap backup: %s -> %s (%s) in %.1f s, %d bytes%n", storeConfig.getClass().getSimpleName(),
          Path.of(to).toAbsolutePath(), status.replace('\t', ' '), (System.nanoTime() - started) / 1e9,
          Backups.size(Path.of(to)));
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("naap backup: " + e.getMessage());
      return 1;
    }
  }
}
