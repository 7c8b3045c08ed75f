package dev.naap.store;

/** Quoting of ClickHouse identifiers. */
final class Identifiers {
  private Identifiers() {}

  /** {@code name} as a back-quoted identifier. */
  static String quote(String name) {
    if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("invalid ClickHouse identifier: " + name);
    }
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
  }
}
