package dev.naap.scraper;

import com.maxmind.db.Reader;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Decides an orchestrator's region, in this order: the operator's mapping file (by on-chain
 * address, signer address, or host: source {@code operator}); then an offline IP-location database
 * in the MaxMind DB format, looked up by the host's address, whose country (subdivision,
 * continent) the {@link RegionTable} names (source {@code geoip}); else unknown. Never asks a
 * service on the network. Thread-safe (the MaxMind reader is).
 *
 * <p>Mapping file: one {@code KEY REGION} pair per line, whitespace-separated; {@code #} starts a
 * comment. KEY is a {@code 0x…} address or a host name or IP (case-insensitive).
 */
final class RegionResolver implements Closeable {
  /** No region known. */
  static final Region UNKNOWN = new Region(null, "unknown");

  private final Map<String, String> mapping;
  private final Reader geo;
  private final RegionTable table;

  private RegionResolver(Map<String, String> mapping, Reader geo, RegionTable table) {
    this.mapping = mapping;
    this.geo = geo;
    this.table = table;
  }

  /**
   * A region and where it came from: {@code operator}, {@code geoip} or {@code unknown} (then
   * {@code name} is null).
   */
  record Region(String name, String source) {}

  /**
   * Loads the mapping file, opens the database and loads the region table with its override; any
   * of them may be null (no mapping, no database, the built-in table).
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  static RegionResolver open(Path mappingFile, Path geoDatabase, Path regionTable) {
    Map<String, String> mapping = mappingFile == null ? Map.of()
        : Map.copyOf(RegionTable.read("region mapping", mappingFile));
    RegionTable table = RegionTable.load(regionTable);
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
    return new RegionResolver(mapping, geo, table);
  }

  /** Whether a database is open: only then is a host's address worth resolving. */
  boolean usesAddresses() {
    return geo != null;
  }

  /** Whether the region of an orchestrator needs its host's address: a database, no mapping. */
  boolean needsAddress(String address, String localAddress, String host) {
    return geo != null && mapped(address, localAddress, host) == null;
  }

  /**
   * The region of an orchestrator. {@code ip} is asked only when no mapping line names it and a
   * database is open; it may give null (not resolved).
   */
  Region resolve(String address, String localAddress, String host, Supplier<InetAddress> ip) {
    String region = mapped(address, localAddress, host);
    if (region != null) {
      return new Region(region, "operator");
    }
    InetAddress at = geo == null ? null : ip.get();
    if (at == null) {
      return UNKNOWN;
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> record = geo.get(at, Map.class);
      String located = regionOf(record);
      return located == null ? UNKNOWN : new Region(located, "geoip");
    } catch (IOException | RuntimeException e) {
      // A corrupt record for one address leaves that orchestrator without a region.
      return UNKNOWN;
    }
  }

  /** The operator's region for the first of the keys its mapping names, or null. */
  private String mapped(String address, String localAddress, String host) {
    for (String key : new String[] {address, localAddress, host}) {
      if (key != null && !key.isEmpty()) {
        String region = mapping.get(key.toLowerCase(Locale.ROOT));
        if (region != null) {
          return region;
        }
      }
    }
    return null;
  }

  /**
   * The region the table gives a database record, or null. Reads the ip-location-db shape
   * ({@code country_code}) and the GeoIP2/GeoLite2 Country and City shape
   * ({@code country.iso_code}, {@code continent.code}, {@code subdivisions[0].iso_code}).
   */
  String regionOf(Map<String, Object> record) {
    if (record == null) {
      return null;
    }
    String country = record.get("country_code") instanceof String s && !s.isEmpty() ? s
        : code(record.get("country"), "iso_code");
    String continent = code(record.get("continent"), "code");
    String subdivision = record.get("subdivisions") instanceof List<?> l && !l.isEmpty()
        ? code(l.getFirst(), "iso_code") : null;
    return table.regionOf(country, subdivision, continent);
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
