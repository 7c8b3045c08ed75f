package dev.naap.app;

import dev.naap.store.StoreConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code naap backup --to DIR}: a full backup of the store with the engine's own BACKUP. */
@Command(name = "backup", header = "back up the store into a directory (the engine's BACKUP)",
    description = {"Writes a full backup of the store's database (every table and part, and the "
        + "schema version in schema_migrations) into DIR, which must not exist yet. Restore "
        + "it with naap restore --from DIR. The embedded store must not be open in another "
        + "process: stop naap clickhouse-http (or ingest/serve) first, or back up a "
        + "ClickHouse server instead, where DIR is a path on the server inside its "
        + "backups.allowed_path (docs/OPERATIONS.md)."})
final class BackupCommand implements Main.Runner {

  @Spec CommandSpec spec;

  @Option(names = "--to", paramLabel = "DIR", required = true,
      description = "the new backup directory")
  Path to;

  @Mixin StoreOptions storeOptions;

  @Override
  public int run(PrintStream out, PrintStream err) {
    Problems problems = new Problems();
    StoreConfig storeConfig = storeOptions.config(problems);
    problems.check(spec);
    try {
      long started = System.nanoTime();
      String status = Backups.backup(storeConfig, to);
      out.printf("naap backup: %s -> %s (%s) in %.1f s, %d bytes%n",
          storeConfig.getClass().getSimpleName(), to.toAbsolutePath(), status.replace('\t', ' '),
          (System.nanoTime() - started) / 1e9,
          Backups.size(to));
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("naap backup: " + e.getMessage());
      return 1;
    }
  }
}
