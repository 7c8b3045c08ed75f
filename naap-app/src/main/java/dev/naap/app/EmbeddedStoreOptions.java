package dev.naap.app;

import dev.naap.store.ReadOnlyAccess;
import dev.naap.store.StoreConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The embedded store's options: where its data lives and how many engine connections it opens. */
final class EmbeddedStoreOptions {

  @Option(names = "--data-dir", paramLabel = "DIR", description = "embedded store directory")
  Path dataDir = StoreConfig.Embedded.DEFAULT_DATA_DIR;

  @Option(names = "--connections", paramLabel = "N", description = "embedded engine connections")
  @Range(min = 1, max = StoreConfig.Embedded.MAX_CONNECTIONS)
  int connections = StoreConfig.Embedded.DEFAULT_CONNECTIONS;

  /** The embedded store, with read-only connections when {@code readOnly} is given. */
  StoreConfig.Embedded config(ReadOnlyAccess readOnly) {
    return new StoreConfig.Embedded(dataDir, connections, readOnly);
  }
}
