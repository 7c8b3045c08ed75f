package dev.naap.app;

import dev.naap.api.Dataset;
import dev.naap.api.DatasetCatalog;
import dev.naap.loadtest.DatasetInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The load tester's shipped prompt datasets as the API publishes them: metadata from their
 * manifest, content byte for byte from the class path, checked against the manifest first.
 */
final class PromptDatasets implements DatasetCatalog {

  /** Where naap-loadtest keeps the shipped datasets on the class path. */
  private static final String RESOURCES = "/dev/naap/loadtest/datasets/";

  private final dev.naap.loadtest.DatasetCatalog shipped =
      dev.naap.loadtest.DatasetCatalog.builtIn();

  @Override
  public List<Dataset> list() {
    return shipped.list().stream().map(PromptDatasets::describe).toList();
  }

  @Override
  public Optional<Dataset> find(String id) {
    return list().stream().filter(d -> d.id().equals(id)).findFirst();
  }

  @Override
  public Optional<byte[]> content(String id) {
    Optional<DatasetInfo> info = shipped.list().stream().filter(i -> i.id().equals(id)).findFirst();
    if (info.isEmpty()) {
      return Optional.empty();
    }
    // Refuses a file that does not match its manifest entry (size, checksum, lines).
    shipped.open(id);
    try (InputStream in = dev.naap.loadtest.DatasetCatalog.class.getResourceAsStream(
        RESOURCES + info.get().file())) {
      return Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dataset " + id, e);
    }
  }

  private static Dataset describe(DatasetInfo i) {
    return new Dataset(
        i.id(),
        "prompts",
        i.id() + " (version " + i.version() + ")",
        i.description() + " Licence: " + i.licence() + ".",
        "application/x-ndjson",
        (long) i.entries(),
        i.bytes(),
        i.sha256(),
        null);
  }
}
