package dev.naap.ingest;

import dev.naap.store.Store;
import java.util.Map;

/** A real store behind a test's own {@code insert}: what an outage or a slow write looks like. */
abstract class DelegatingStore implements Store {
  final Store delegate;

  DelegatingStore(Store delegate) {
    this.delegate = delegate;
  }

  @Override
  public byte[] query(String sql, Map<String, ?> params, String format) {
    return delegate.query(sql, params, format);
  }

  @Override
  public String database() {
    return delegate.database();
  }

  @Override
  public String description() {
    return "test " + delegate.description();
  }

  /** The real store is the test's: it stays open. */
  @Override
  public void close() {}
}
