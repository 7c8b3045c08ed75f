package dev.naap.app;

import dev.naap.store.StoreConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code naap restore --from DIR}: replaces the store's database with a backup. */
@Command(name = "restore",
    header = "restore the store from a backup directory (the engine's RESTORE)",
    description = {"Replaces the store's database with the backup in DIR (written by naap backup), "
        + "then applies the migrations of this release that the backup lacks. A store that "
        + "holds events is refused unless --replace. The embedded store must not be open in "
        + "another process."})
final class RestoreCommand implements Main.Runner {

  @Spec CommandSpec spec;

  @Option(names = "--from", paramLabel = "DIR", required = true,
      description = "the backup directory")
  Path from;

  @Option(names = "--replace", description = "discard what the store holds")
  boolean replace;

  @Mixin StoreOptions storeOptions;

  @Override
  public int run(PrintStream out, PrintStream err) {
    Problems problems = new Problems();
    StoreConfig storeConfig = storeOptions.config(problems);
    problems.check(spec);
    try {
      long started = System.nanoTime();
      String status = Backups.restore(storeConfig, from, replace);
      out.printf("naap restore: %s <- %s (%s) in %.1f s%n", storeConfig.getClass().getSimpleName(),
          from.toAbsolutePath(), status.replace('\t', ' '), (System.nanoTime() - started) / 1e9);
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("naap restore: " + e.getMessage());
      return 1;
    }
  }
}
