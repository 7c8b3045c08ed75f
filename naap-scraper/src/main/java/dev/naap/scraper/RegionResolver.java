package dev.naap.scraper;

import com.maxmind.db.Reader;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides an orchestrator's region, in this order: the operator's mapping file (by on-chain
 * address, signer address, or host); then an offline IP-geolocation database in the MaxMind DB
 * format, looked up by the IP the reachability probe connected to; else null. Never asks a
 * service on the network. Thread-safe (the MaxMind reader is).
 *
 * <p>Mapping file: one {@code KEY REGION} pair per line, whitespace-separated; {@code #} starts a
 * comment. KEY is a {@code 0x…} address or a host name or IP (case-insensitive).
 */
final class RegionResolver implements Closeable {
  /** No mapping and no database: every region is null. */
  static final RegionResolver NONE = new RegionResolver(Map.of(), null);

  private final Map<String, String> mapping;
  private final Reader geo;

  private RegionResolver(Map<String, String> mapping, Reader geo) {
    this.mapping = mapping;
    this.geo = geo;
  }

  /** A region and where it came from ({@code mapping} or {@code geoip}). */
  record Region(String name, String source) {}

  /**
   * Loads the mapping file and opens the database; either may be null.
   *
   * @throws IllegalArgumentException naming the file and every bad line
   */
  static RegionResolver open(Path mappingFile, Path geoDatabase) {
    Map<String, String> mapping = new HashMap<>();
    if (mappingFile != null) {
      List<String> errors = new ArrayList<>();
      List<String> lines;
      try {
        lines = Files.readAllLines(mappingFile, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException("region mapping " + mappingFile + ": cannot read: " + e,
            e);
      }
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).replaceFirst("#.*", "").strip();
        if (line.isEmpty()) {
          continue;
        }
        String[] parts = line.split("\\s+");
        if (parts.length != 2) {
          errors.add("line " + (i + 1) + ": expected KEY REGION, got '" + lines.get(i) + "'");
          continue;
        }
        mapping.put(parts[0].toLowerCase(Locale.ROOT), parts[1]);
      }
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException(
            "region mapping " + mappingFile + ": " + String.join("; ", errors));
      }
    }
    Reader geo = null;
    if (geoDatabase != null) {
      try {
        geo = new Reader(geoDatabase.toFile());
      } catch (IOException | RuntimeException e) {
        // The reader reports some truncated files with unchecked buffer exceptions.
        throw new IllegalArgumentException(
            "geo database " + geoDatabase + ": not a readable MaxMind DB file: " + e.getMessage(),
            e);
      }
    }
    return new RegionResolver(Map.copyOf(mapping), geo);
  }

  /** The region of an orchestrator, or null. {@code ip} may be null (not resolved). */
  Region resolve(String address, String localAddress, String host, InetAddress ip) {
    for (String key : new String[] {address, localAddress, host}) {
      if (key != null && !key.isEmpty()) {
        String region = mapping.get(key.toLowerCase(Locale.ROOT));
        if (region != null) {
          return new Region(region, "mapping");
        }
      }
    }
    if (geo != null && ip != null) {
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> record = geo.get(ip, Map.class);
        String region = regionOf(record);
        if (region != null) {
          return new Region(region, "geoip");
        }
      } catch (IOException | RuntimeException e) {
        // A corrupt record for one address leaves that orchestrator without a region.
        return null;
      }
    }
    return null;
  }

  /** {@code CONTINENT-COUNTRY} (e.g. {@code EU-DE}) from a GeoIP2/GeoLite2 country or city record. */
  static String regionOf(Map<String, Object> record) {
    if (record == null) {
      return null;
    }
    String country = code(record.get("country"), "iso_code");
    String continent = code(record.get("continent"), "code");
    if (country == null) {
      return continent;
    }
    return continent == null ? country : continent + "-" + country;
  }

  private static String code(Object section, String key) {
    return section instanceof Map<?, ?> m && m.get(key) instanceof String s && !s.isEmpty()
        ? s : null;
  }

  @Override
  public void close() throws IOException {
    if (geo != null) {
      geo.close();
    }
  }
}
