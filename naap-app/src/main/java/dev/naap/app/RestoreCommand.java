package dev.naap.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code naap restore --from DIR}: replaces the store's database with a backup. */
final class RestoreCommand implements Main.Command {

  @Override
  public String summary() {
    return "restore the store from a backup directory (the engine's RESTORE)";
  }

  @Override
  public String usage() {
    return """
        usage: naap restore --from DIR [--replace] [OPTIONS]

        Replaces the store's database with the backup in DIR (written by naap backup), then
        applies the migrations of this release that the backup lacks. A store that holds events
        is refused unless --replace. The embedded store must not be open in another process.

        options:
          --from DIR                 the backup directory
          --replace                  discard what the store holds
        """ + StoreOptions.HELP;
  }

  @Override
  public int run(List<String> argv, PrintStream out, PrintStream err) {
    Set<String> known = new HashSet<>(StoreOptions.NAMES);
    known.add("from");
    Args args = Args.parse(argv, known, Set.of("replace"));
    var storeConfig = StoreOptions.from(args);
    String from = args.get("from", null);
    if (from == null) {
      args.error("--from DIR is required");
    }
    if (!args.positional().isEmpty()) {
      args.error("unexpected arguments " + args.positional());
    }
    args.check();
    try {
      long started = System.nanoTime();
      String status = Backups.restore(storeConfig, Path.of(from), args.flag("replace"));
      out.printf("naap restore: %s <- %s (%s) in %.1f s%n", storeConfig.getClass().getSimpleName(),
          Path.of(from).toAbsolutePath(), status.replace('\t', ' '), (System.nanoTime() - started) / 1e9);
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("naap restore: " + e.getMessage());
      return 1;
    }
  }
}
