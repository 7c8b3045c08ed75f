package dev.naap.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The datasets {@code /v1/datasets} publishes. The app wires the load tester's prompt datasets in
 * through this interface; the API adds its own daily metric exports. Implementations must be
 * thread-safe.
 */
public interface DatasetCatalog {

  /** Every dataset; checksums and sizes may be null where computing them would be costly. */
  List<Dataset> list();

  /** One dataset with its checksum and size, or empty when there is none with {@code id}. */
  Optional<Dataset> find(String id);

  /** The content of dataset {@code id}, or empty when there is none. */
  Optional<byte[]> content(String id);

  /** A catalog with no datasets. */
  static DatasetCatalog empty() {
    return new DatasetCatalog() {
      @Override
      public List<Dataset> list() {
        return List.of();
      }

      @Override
      public Optional<Dataset> find(String id) {
        return Optional.empty();
      }

      @Override
      public Optional<byte[]> content(String id) {
        return Optional.empty();
      }
    };
  }

  /**
   * The datasets of {@code first} then those of {@code second}; an id is looked up in that order.
   */
  static DatasetCatalog concat(DatasetCatalog first, DatasetCatalog second) {
    return new DatasetCatalog() {
      @Override
      public List<Dataset> list() {
        List<Dataset> all = new ArrayList<>(first.list());
        all.addAll(second.list());
        return all;
      }

      @Override
      public Optional<Dataset> find(String id) {
        return first.find(id).or(() -> second.find(id));
      }

      @Override
      public Optional<byte[]> content(String id) {
        return first.content(id).or(() -> second.content(id));
      }
    };
  }
}
