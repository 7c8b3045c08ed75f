package dev.naap.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Creates the directories NaaP keeps data in readable by their owner only ({@code 700}): the
 * store's files hold every event, and a demo's directory the endpoint's password. A directory that
 * exists already keeps the permissions its operator gave it.
 */
public final class PrivateDirectories {

  private PrivateDirectories() {}

  /** {@code dir} and any missing parents, created owner-only where the file system has modes. */
  public static Path create(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return dir;
    }
    try {
      return Files.createDirectories(dir,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      return Files.createDirectories(dir);
    }
  }
}
