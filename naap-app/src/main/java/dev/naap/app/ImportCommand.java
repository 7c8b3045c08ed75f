package dev.naap.app;

import dev.naap.events.EventParser;
import dev.naap.ingest.BatchResult;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.FileImport;
import dev.naap.ingest.IngestMetrics;
import dev.naap.metrics.RefreshLease;
import dev.naap.metrics.Refresher;
import dev.naap.metrics.TestLoadRules;
import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import dev.naap.store.Stores;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code naap import FILE…}: loads event files through the ingest's validation and tables. */
@Command(name = "import", header = "import newline-delimited envelopes or Kafka capture files",
    description = {"Imports newline-delimited event envelopes, or JSON arrays of envelopes or of "
        + "capture records (objects whose \"value\" is the envelope), through the same validation "
        + "and tables as the Kafka ingest. A file is a JSON array only when the whole file is one "
        + "array; otherwise each line is a message. Events already stored are counted as "
        + "duplicates and skipped (with --write-again, written again); each rejected message is "
        + "reported with its file and line. The "
        + "last line printed is: imported: accepted=N rejected=M duplicate=D. The exit code is 1 "
        + "when any message was rejected or any file could not be read."})
final class ImportCommand implements Main.Runner {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "the files to import")
  List<Path> files;

  @Option(names = "--write-again", description = "write events already stored again, counted as"
      + " accepted (their rows collapse by key): after an import that failed part-way, whose"
      + " events can be in raw_events without the rows of every table it feeds")
  boolean writeAgain;

  @Mixin TestLoadOptions testLoad;
  @Mixin StoreOptions storeOptions;

  @Override
  public int run(PrintStream out, PrintStream err) {
    Problems problems = new Problems();
    StoreConfig storeConfig = storeOptions.config(problems);
    TestLoadRules testLoadRules = testLoad.rules(TestLoadRules.NONE, problems);
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        problems.add(f + ": no such file");
      } else if (!Files.isReadable(f)) {
        problems.add(f + ": not readable");
      }
    }
    problems.check(spec);
    try (Store store = Stores.open(storeConfig)) {
      testLoadRules.save(store, Clock.systemUTC());
      EventWriter writer = new EventWriter(store, new EventParser(),
          writeAgain ? EventWriter.DuplicateCheck.BATCH : EventWriter.DuplicateCheck.STORE,
          IngestMetrics.unregistered(), Clock.systemUTC());
      FileImport fileImport = new FileImport(writer, FileImport.DEFAULT_BATCH_SIZE, err::println);
      BatchResult total = BatchResult.EMPTY;
      int failedFiles = 0;
      for (Path f : files) {
        try {
          BatchResult r = fileImport.importFile(f);
          err.printf("%s: accepted=%d rejected=%d duplicate=%d%n", f, r.accepted(), r.rejected(),
              r.duplicates());
          total = total.plus(r);
        } catch (FileImport.ImportException e) {
          err.println(e.getMessage());
          failedFiles++;
        }
      }
      // Under the refresh lease, so that a running ingest or naap refresh never races this one.
      // Taken back at once from an import of this data directory killed while it refreshed.
      RefreshLease lease = RefreshRole.lease(store, storeConfig, RefreshLease.DEFAULT_TTL);
      if (acquire(lease)) {
        try {
          var refreshed = new Refresher(store, Clock.systemUTC(), lease::check)
              .refreshUpTo(Clock.systemUTC().instant());
          err.printf("rollups: %d sessions and %d hours recomputed%n", refreshed.sessions(),
              refreshed.hours());
        } finally {
          lease.release();
        }
      } else {
        err.println("rollups: left to the running refresher, which holds the refresh lease");
      }
      out.printf("imported: accepted=%d rejected=%d duplicate=%d%n",
          total.accepted(), total.rejected(), total.duplicates());
      if (failedFiles > 0 || total.rejected() > 0) {
        // Nothing may be lost silently: whatever was not imported makes the exit non-zero.
        err.printf("not everything was imported: %d files failed, %d messages rejected (above)%n",
            failedFiles, total.rejected());
        return 1;
      }
      return 0;
    }
  }

  private static boolean acquire(RefreshLease lease) {
    try {
      return lease.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
