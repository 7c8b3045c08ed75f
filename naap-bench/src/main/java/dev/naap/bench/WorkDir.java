package dev.naap.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A benchmark's scratch directory: a new one under the system's temporary directory, deleted with
 * everything in it when closed, so that runs do not pile up there (one ingest run writes over a
 * gigabyte). Close it after what writes into it: the store, the broker, child processes. A directory the user named ({@link #kept}) is left as it is.
 */
final class WorkDir implements AutoCloseable {

  private final Path path;
  private final boolean temporary;

  private WorkDir(Path path, boolean temporary) {
    this.path = path;
    this.temporary = temporary;
  }

  /** A new, empty directory named {@code prefix} and a random suffix; deleted when closed. */
  static WorkDir temporary(String prefix) throws IOException {
    return new WorkDir(Files.createTempDirectory(prefix), true);
  }

  /** {@code dir}, created if missing; kept when closed. */
  static WorkDir kept(Path dir) throws IOException {
    return new WorkDir(Files.createDirectories(dir), false);
  }

  Path path() {
    return path;
  }

  Path resolve(String other) {
    return path.resolve(other);
  }

  @Override
  public String toString() {
    return path.toString();
  }

  /** Deletes a temporary directory and its contents; a failure is reported, not thrown. */
  @Override
  public void close() {
    if (!temporary) {
      return;
    }
    try (Stream<Path> paths = Files.walk(path)) {
      // Deepest first, so that each directory is empty when its turn comes.
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      System.err.printf("could not delete the work dir %s: %s%n", path, e);
    }
  }
}
