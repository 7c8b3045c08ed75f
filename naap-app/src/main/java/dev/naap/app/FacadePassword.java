package dev.naap.app;

import dev.naap.store.PrivateDirectories;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The ClickHouse HTTP endpoint's password: given ({@code --password} or {@code
 * NAAP_CLICKHOUSE_HTTP_PASSWORD}), else the one kept in the data directory, else a new random one,
 * printed once and written there readable by its owner only.
 */
final class FacadePassword {

  static final String ENV = "NAAP_CLICKHOUSE_HTTP_PASSWORD";
  static final String FILE = "clickhouse-http.password";

  private FacadePassword() {}

  /**
   * The password to use; {@code out} learns where it comes from (the password itself only when
   * new).
   */
  static String resolve(String given, Path dataDir, PrintStream out) {
    if (given != null && !given.isEmpty()) {
      return given;
    }
    Path file = dataDir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!kept.isEmpty()) {
          out.printf("naap clickhouse-http: user default, password in %s%n", file.toAbsolutePath());
          return kept;
        }
      }
      byte[] random = new byte[18];
      new SecureRandom().nextBytes(random);
      String password = HexFormat.of().formatHex(random);
      PrivateDirectories.create(dataDir);
      Files.deleteIfExists(file);
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      } catch (FileAlreadyExistsException e) {
        throw new IOException("another process created " + file + " at the same time", e);
      }
      Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
      out.printf("naap clickhouse-http: generated a password for user default: %s%n"
          + "  (kept in %s, readable by its owner only; set --password or %s to choose one)%n",
          password, file.toAbsolutePath(), ENV);
      return password;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the ClickHouse HTTP password in " + file, e);
    }
  }
}
