package dev.naap.app;

import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import dev.naap.store.Stores;
import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code naap sql "QUERY"}: a shell onto whichever store is configured; prints TSV. */
@Command(name = "sql", header = "run one SQL statement on the store and print the result as TSV",
    description = "Runs QUERY in the NaaP database and prints the result as TabSeparated text.")
final class SqlCommand implements Main.Runner {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "QUERY", description = "the statement (quote it)")
  String query;

  @Option(names = "--format", paramLabel = "FORMAT", description = {"any ClickHouse output format "
      + "(default TabSeparated, TabSeparatedWithNames with --with-names)"})
  String format;

  @Option(names = "--with-names", description = "print a header line of column names")
  boolean withNames;

  @Mixin StoreOptions storeOptions;

  @Override
  public int run(PrintStream out, PrintStream err) {
    Problems problems = new Problems();
    StoreConfig storeConfig = storeOptions.config(problems);
    String chosen = format != null ? format
        : withNames ? "TabSeparatedWithNames" : "TabSeparated";
    if (!chosen.matches("[A-Za-z0-9]+")) {
      problems.add("--format: not a format name: '" + chosen + "'");
    }
    problems.check(spec);
    try (Store store = Stores.open(storeConfig)) {
      byte[] result = store.query(query, Map.of(), chosen);
      out.write(result, 0, result.length);
      out.flush();
      return 0;
    }
  }
}
