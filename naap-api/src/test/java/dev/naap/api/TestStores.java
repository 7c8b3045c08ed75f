package dev.naap.api;

import dev.naap.metrics.query.ClickHouseMetricsQueries;
import dev.naap.metrics.query.MetricsQueries;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;

/** Real stores (the shared embedded test engine) and the real query layer over them. */
final class TestStores {

  private TestStores() {}

  /** A new, migrated, empty database. */
  static Store store(String prefix) {
    return TestEngine.uniqueStore(prefix);
  }

  static MetricsQueries queries(Store store) {
    return new ClickHouseMetricsQueries(store);
  }
}
