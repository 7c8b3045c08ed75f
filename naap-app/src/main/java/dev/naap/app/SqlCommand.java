package dev.naap.app;

import dev.naap.store.Store;
import dev.naap.store.Stores;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code naap sql "QUERY"}: a shell onto whichever store is configured; prints TSV. */
final class SqlCommand implements Main.Command {

  @Override
  public String summary() {
    return "run one SQL statement on the store and print the result as TSV";
  }

  @Override
  public String usage() {
    return """
        usage: naap sql [OPTIONS] "QUERY"

        Runs QUERY in the NaaP database and prints the result as TabSeparated text.

        options:
          --format FORMAT            any ClickHouse output format (default TabSeparated)
          --with-names               print a header line of column names
        """ + StoreOptions.HELP;
  }

  @Override
  public int run(List<String> argv, PrintStream out, PrintStream err) {
    Args args = Args.parse(argv, union(StoreOptions.NAMES, Set.of("format")), Set.of("with-names"));
    var storeConfig = StoreOptions.from(args);
    if (args.positional().size() != 1) {
      args.error("expected exactly one QUERY argument (quote it), got " + args.positional().size());
    }
    String format = args.get("format", args.flag("with-names") ? "TabSeparatedWithNames" : "TabSeparated");
    if (!format.matches("[A-Za-z0-9]+")) {
      args.error("--format: not a format name: '" + format + "'");
    }
    args.check();
    try (Store store = Stores.open(storeConfig)) {
      byte[] result = store.query(args.positional().getFirst(), Map.of(), format);
      out.write(result, 0, result.length);
      out.flush();
      return 0;
    }
  }

  static Set<String> union(Set<String> a, Set<String> b) {
    var u = new java.util.HashSet<>(a);
    u.addAll(b);
    return Set.copyOf(u);
  }
}
