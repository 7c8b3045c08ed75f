package dev.naap.loadtest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The prompt datasets NaaP ships (resources under {@code dev/naap/loadtest/datasets/}, listed in
 * {@code datasets.json}) or those of a directory with the same layout. {@link #open} checks a
 * dataset against its manifest entry before anything uses it. Thread-safe; opened datasets are
 * cached.
 */
public final class DatasetCatalog {
  private static final String RESOURCES = "/dev/naap/loadtest/datasets/";

  private final List<DatasetInfo> infos;
  private final ContentSource content;
  private final Map<String, Dataset> opened = new ConcurrentHashMap<>();

  /** Reads the bytes of a dataset file by name. */
  private interface ContentSource {
    byte[] read(String file) throws IOException;
  }

  private DatasetCatalog(List<DatasetInfo> infos, ContentSource content) {
    this.infos = List.copyOf(infos);
    this.content = content;
  }

  /** The datasets shipped with NaaP. */
  public static DatasetCatalog builtIn() {
    return load("datasets.json", file -> {
      try (InputStream in = DatasetCatalog.class.getResourceAsStream(RESOURCES + file)) {
        if (in == null) {
          throw new IOException("no resource " + RESOURCES + file);
        }
        return in.readAllBytes();
      }
    });
  }

  /** The datasets listed in {@code manifest}, their files next to it. */
  public static DatasetCatalog directory(Path manifest) {
    Path dir = manifest.toAbsolutePath().getParent();
    return load(manifest.getFileName().toString(), file -> Files.readAllBytes(dir.resolve(file)));
  }

  private static DatasetCatalog load(String manifest, ContentSource content) {
    List<DatasetProblem> problems = new ArrayList<>();
    List<DatasetInfo> infos;
    try {
      infos = DatasetManifest.read(manifest, content.read(manifest), problems);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dataset manifest " + manifest, e);
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("invalid dataset manifest: " + problems);
    }
    return new DatasetCatalog(infos, content);
  }

  /** Every dataset's manifest entry, in manifest order. */
  public List<DatasetInfo> list() {
    return infos;
  }

  /**
   * The dataset {@code id}, checked against its manifest entry.
   *
   * @throws IllegalArgumentException if there is no such dataset
   * @throws IllegalStateException if its file does not match the manifest or has invalid lines
   */
  public Dataset open(String id) {
    return opened.computeIfAbsent(id, this::load);
  }

  private Dataset load(String id) {
    DatasetInfo info =
        infos.stream()
            .filter(i -> i.id().equals(id))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "dataset: unknown '"
                            + id
                            + "', expected one of "
                            + infos.stream().map(DatasetInfo::id).toList()));
    try {
      DatasetValidator.Report report = DatasetManifest.check(info, content.read(info.file()),
          new DatasetValidator());
      if (!report.ok()) {
        throw new IllegalStateException("dataset " + id + " is invalid: " + report.problems());
      }
      return new Dataset(info, report.entries());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dataset " + id, e);
    }
  }
}
