package dev.naap.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files from class path directories mounted at URL prefixes ({@code /} → {@code
 * dev/naap/dashboard/static/}). Only files with a known extension are served, so a directory is
 * never listed; a path with {@code ..}, {@code %}, a backslash or an empty segment is refused, so
 * nothing outside a mounted directory can be reached. A path ending in {@code /} serves its {@code
 * index.html}. Thread-safe; mount before the server starts.
 */
final class StaticFiles {

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("map", "application/json"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("webp", "image/webp"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("csv", "text/csv; charset=utf-8"));

  private record Mount(String prefix, String directory) {}

  private final List<Mount> mounts = new ArrayList<>();
  private final ClassLoader loader;
  private final Map<String, Response> loaded = new ConcurrentHashMap<>();

  StaticFiles(ClassLoader loader) {
    this.loader = loader;
  }

  /**
   * Serves class path directory {@code directory} at URL prefix {@code prefix}; both end in '/'.
   */
  void mount(String prefix, String directory) {
    if (!prefix.startsWith("/")
        || !prefix.endsWith("/")
        || !directory.endsWith("/")
        || directory.startsWith("/")) {
      throw new IllegalArgumentException(
          "prefix must start and end with '/', directory must end with '/' and be "
              + "relative: "
              + prefix
              + " → "
              + directory);
    }
    mounts.add(new Mount(prefix, directory));
    // Longest prefix first, so /assets/uplot/ wins over /.
    mounts.sort(Comparator.comparingInt((Mount m) -> m.prefix().length()).reversed());
  }

  /** The file at {@code rawPath} as a 200 response, or null when no mount has it. */
  Response find(String rawPath) {
    for (Mount m : mounts) {
      if (!rawPath.startsWith(m.prefix())) {
        continue;
      }
      String rest = rawPath.substring(m.prefix().length());
      if (rest.isEmpty() || rest.endsWith("/")) {
        rest += "index.html";
      }
      if (!safe(rest)) {
        return null;
      }
      String type = TYPES.get(rest.substring(rest.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
      if (type == null || rest.lastIndexOf('.') < 0) {
        continue;
      }
      String resource = m.directory() + rest;
      Response r = loaded.get(resource);
      if (r == null) {
        r = load(resource, type);
        if (r == null) {
          continue;
        }
        // Only files that exist are kept: hostile paths must not grow this map.
        loaded.put(resource, r);
      }
      return r;
    }
    return null;
  }

  private static boolean safe(String relative) {
    if (relative.contains("%")
        || relative.contains("\\")
        || relative.startsWith("/")
        || relative.contains("//")) {
      return false;
    }
    for (String segment : relative.split("/")) {
      if (segment.equals("..") || segment.equals(".") || segment.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private Response load(String resource, String type) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      // Every file is revalidated on each load (an unchanged one is a 304 by its ETag): the
      // dashboard's modules import each other by unversioned paths, so a kept module could run
      // beside a newer release's others.
      return new Response(200, type, in.readAllBytes(), null, Duration.ZERO, Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read class path resource " + resource, e);
    }
  }
}
