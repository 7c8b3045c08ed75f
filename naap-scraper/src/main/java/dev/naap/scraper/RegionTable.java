package dev.naap.scraper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * NaaP's region names for geolocated places: the built-in table {@code regions.txt} (country,
 * country-subdivision and continent keys), overridden line by line by an operator's file. Also
 * parses the operator's orchestrator mapping, which has the same {@code KEY REGION} format.
 * Immutable.
 */
final class RegionTable {
  private static final String BUILT_IN = "regions.txt";

  private final Map<String, String> regions;

  private RegionTable(Map<String, String> regions) {
    this.regions = regions;
  }

  /**
   * The built-in table with {@code override}'s lines on top; {@code override} may be null.
   *
   * @throws IllegalArgumentException naming the file and every bad line
   */
  static RegionTable load(Path override) {
    Map<String, String> regions = new HashMap<>();
    try (InputStream in = RegionTable.class.getResourceAsStream(BUILT_IN)) {
      regions.putAll(parse(BUILT_IN, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the built-in " + BUILT_IN, e);
    }
    if (override != null) {
      regions.putAll(read("region table", override));
    }
    return new RegionTable(Map.copyOf(regions));
  }

  /**
   * The region of a place, most specific key first: {@code COUNTRY-SUBDIVISION}, {@code COUNTRY},
   * {@code continent:CODE}; null when none is listed. Any argument may be null.
   */
  String regionOf(String country, String subdivision, String continent) {
    String region = null;
    if (country != null && subdivision != null) {
      region = regions.get(key(country + "-" + subdivision));
    }
    if (region == null && country != null) {
      region = regions.get(key(country));
    }
    if (region == null && continent != null) {
      region = regions.get(key("continent:" + continent));
    }
    return region;
  }

  /**
   * Reads a {@code KEY REGION} file; keys are lower-cased.
   *
   * @throws IllegalArgumentException naming {@code what}, the file and every bad line
   */
  static Map<String, String> read(String what, Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " " + file + ": cannot read: " + e, e);
    }
    try {
      return parse(file.toString(), text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " " + e.getMessage(), e);
    }
  }

  private static Map<String, String> parse(String name, String text) {
    Map<String, String> entries = new HashMap<>();
    List<String> errors = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].replaceFirst("#.*", "").strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\\s+");
      if (parts.length != 2) {
        errors.add("line " + (i + 1) + ": expected KEY REGION, got '" + lines[i] + "'");
        continue;
      }
      entries.put(key(parts[0]), parts[1]);
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(name + ": " + String.join("; ", errors));
    }
    return entries;
  }

  private static String key(String k) {
    return k.toLowerCase(Locale.ROOT);
  }
}
