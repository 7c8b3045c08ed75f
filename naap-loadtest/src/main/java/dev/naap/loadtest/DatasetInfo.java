package dev.naap.loadtest;

/**
 * A prompt dataset's manifest entry: what it is, under which licence, and how to check that its
 * file is exactly the one the manifest describes ({@code entries}, {@code bytes}, {@code sha256}).
 */
public record DatasetInfo(String id, int version, String description, String licence, String file,
    int entries, long bytes, String sha256) {

  /** {@code id@version}, the name results record. */
  public String ref() {
    return id + "@" + version;
  }
}
