package dev.naap.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The SQL statements kept as {@code .sql} resources beside the classes that run them: the one
 * loader of every module. Each resource is read once and kept. Thread-safe.
 */
public final class Sql {

  private static final ConcurrentMap<String, String> LOADED = new ConcurrentHashMap<>();

  private Sql() {}

  /**
   * The text of resource {@code name} (for example {@code "results.sql"} or {@code
   * "sql/results.sql"}) in the package of {@code owner}.
   *
   * @throws IllegalStateException when there is no such resource: a packaging bug
   */
  public static String load(Class<?> owner, String name) {
    String path = owner.getPackageName().replace('.', '/') + "/" + name;
    return LOADED.computeIfAbsent(path, p -> read(owner, name, p));
  }

  private static String read(Class<?> owner, String name, String path) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing SQL resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read SQL resource " + path, e);
    }
  }
}
