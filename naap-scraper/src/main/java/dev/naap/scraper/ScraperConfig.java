package dev.naap.scraper;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The scraper's settings; every default is documented in docs/SCRAPER.md, "Configuration".
 * Build with {@link #builder(List)}; {@link Builder#build()} checks every value and reports all
 * problems at once. Immutable.
 *
 * @param gateways gateway CLI base URLs, e.g. {@code http://gateway:7935}
 * @param interval time between run starts (default 5 min)
 * @param jitter each run starts up to this much later than its slot (default 15 s)
 * @param connectTimeout TCP/TLS connect timeout of one request (default 5 s)
 * @param attemptTimeout deadline for one complete answer, body included (default 20 s)
 * @param maxBodyBytes larger answers are refused (default 16 MiB)
 * @param attempts tries per source and run for retryable failures (default 3)
 * @param retryBackoff wait before the second try, doubled per try (default 1 s)
 * @param retryBackoffMax cap of that wait (default 10 s)
 * @param maxSkippedRuns cap of the runs a failing source sits out (default 12)
 * @param registeredOrchestrators also scrape {@code /registeredOrchestrators} (default true)
 * @param reachability probe each orchestrator's service URI (default true)
 * @param reachabilityTimeout one deadline for a probe's connect and handshake together (default
 *     5 s)
 * @param reachabilityParallelism probes at once (default 16)
 * @param reachabilityDeadline all of a run's probes; those not done then are timeouts (default
 *     60 s)
 * @param observedFrom the operator's name for where the scraper runs (default "local")
 * @param regionMapping the operator's KEY REGION file; null for none
 * @param geoDatabase an offline MaxMind DB file (country or city); null for none. Default: the
 *     database the launcher fetched ({@value #GEO_DATABASE_PROPERTY}), else none
 * @param regionTable the operator's lines over the built-in country-to-region table; null for none
 * @param dnsTimeout how long one host lookup may take, and a run's region lookups, made at once
 *     (default 2 s)
 */
public record ScraperConfig(
    List<URI> gateways,
    Duration interval,
    Duration jitter,
    Duration connectTimeout,
    Duration attemptTimeout,
    int maxBodyBytes,
    int attempts,
    Duration retryBackoff,
    Duration retryBackoffMax,
    int maxSkippedRuns,
    boolean registeredOrchestrators,
    boolean reachability,
    Duration reachabilityTimeout,
    int reachabilityParallelism,
    Duration reachabilityDeadline,
    String observedFrom,
    Path regionMapping,
    Path geoDatabase,
    Path regionTable,
    Duration dnsTimeout) {

  /** The system property in which the launcher names the IP-location database it fetched. */
  public static final String GEO_DATABASE_PROPERTY = "naap.geo.database";

  /** Copies the list so the record stays immutable. */
  public ScraperConfig {
    gateways = List.copyOf(gateways);
  }

  /** A builder with every default, scraping {@code gateways}. */
  public static Builder builder(List<URI> gateways) {
    return new Builder(gateways);
  }

  /** The longest one source can take in a run: every attempt timing out, with the waits. */
  public Duration worstCaseSourceTime() {
    return attemptTimeout.multipliedBy(attempts).plus(retryWaits());
  }

  /**
   * The longest a run can take, the store's own time aside: the sources (fetched at once), the
   * probes, the region lookups (made at once, when a geo database is open), then the waits of one
   * snapshot write retried (once a write has failed every try, the run's later writes try once).
   */
  public Duration worstCaseRunTime() {
    return worstCaseSourceTime().plus(probeTime()).plus(regionLookupTime()).plus(retryWaits());
  }

  private Duration probeTime() {
    return reachability ? reachabilityDeadline : Duration.ZERO;
  }

  private Duration regionLookupTime() {
    return geoDatabase != null ? dnsTimeout : Duration.ZERO;
  }

  /** The waits between {@link #attempts} tries: base, doubled per try, capped. */
  Duration retryWaits() {
    Duration total = Duration.ZERO;
    Duration wait = retryBackoff;
    for (int i = 1; i < attempts; i++) {
      total = total.plus(wait.compareTo(retryBackoffMax) > 0 ? retryBackoffMax : wait);
      wait = wait.multipliedBy(2);
    }
    return total;
  }

  /** Collects settings; {@link #build()} validates them all together. Not thread-safe. */
  public static final class Builder {
    private final List<URI> gateways;
    private Duration interval = Duration.ofMinutes(5);
    private Duration jitter = Duration.ofSeconds(15);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration attemptTimeout = Duration.ofSeconds(20);
    private int maxBodyBytes = 16 << 20;
    private int attempts = 3;
    private Duration retryBackoff = Duration.ofSeconds(1);
    private Duration retryBackoffMax = Duration.ofSeconds(10);
    private int maxSkippedRuns = 12;
    private boolean registeredOrchestrators = true;
    private boolean reachability = true;
    private Duration reachabilityTimeout = Duration.ofSeconds(5);
    private int reachabilityParallelism = 16;
    private Duration reachabilityDeadline = Duration.ofSeconds(60);
    private String observedFrom = "local";
    private Path regionMapping;
    private Path geoDatabase = launcherGeoDatabase();
    private Path regionTable;
    private Duration dnsTimeout = Duration.ofSeconds(2);

    private Builder(List<URI> gateways) {
      this.gateways = new ArrayList<>(gateways);
    }

    public Builder interval(Duration v) { interval = v; return this; }

    public Builder jitter(Duration v) { jitter = v; return this; }

    public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }

    public Builder attemptTimeout(Duration v) { attemptTimeout = v; return this; }

    public Builder maxBodyBytes(int v) { maxBodyBytes = v; return this; }

    public Builder attempts(int v) { attempts = v; return this; }

    public Builder retryBackoff(Duration base, Duration max) {
      retryBackoff = base;
      retryBackoffMax = max;
      return this;
    }

    public Builder maxSkippedRuns(int v) { maxSkippedRuns = v; return this; }

    public Builder registeredOrchestrators(boolean v) { registeredOrchestrators = v; return this; }

    public Builder reachability(boolean v) { reachability = v; return this; }

    public Builder reachabilityTimeout(Duration v) { reachabilityTimeout = v; return this; }

    public Builder reachabilityParallelism(int v) { reachabilityParallelism = v; return this; }

    public Builder reachabilityDeadline(Duration v) { reachabilityDeadline = v; return this; }

    public Builder observedFrom(String v) { observedFrom = v; return this; }

    public Builder regionMapping(Path v) { regionMapping = v; return this; }

    /** An offline MaxMind DB file; null for none (no geolocation). */
    public Builder geoDatabase(Path v) { geoDatabase = v; return this; }

    public Builder regionTable(Path v) { regionTable = v; return this; }

    public Builder dnsTimeout(Duration v) { dnsTimeout = v; return this; }

    private static Path launcherGeoDatabase() {
      String path = System.getProperty(GEO_DATABASE_PROPERTY, "");
      return path.isBlank() ? null : Path.of(path);
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException listing every invalid setting with its value and limit
     */
    public ScraperConfig build() {
      List<String> errors = new ArrayList<>();
      if (gateways.isEmpty()) {
        errors.add("gateways: at least one gateway URL is needed");
      }
      for (URI g : gateways) {
        if (g == null || g.getHost() == null
            || !("http".equals(g.getScheme()) || "https".equals(g.getScheme()))) {
          errors.add("gateways: expected an http:// or https:// URL with a host, got '" + g + "'");
        }
      }
      positive(errors, "interval", interval);
      if (jitter == null || jitter.isNegative()) {
        errors.add("jitter: must be zero or more, got " + jitter);
      }
      positive(errors, "connectTimeout", connectTimeout);
      positive(errors, "attemptTimeout", attemptTimeout);
      positive(errors, "reachabilityTimeout", reachabilityTimeout);
      positive(errors, "reachabilityDeadline", reachabilityDeadline);
      positive(errors, "dnsTimeout", dnsTimeout);
      positive(errors, "retryBackoff", retryBackoff);
      positive(errors, "retryBackoffMax", retryBackoffMax);
      range(errors, "maxBodyBytes", maxBodyBytes, 1024, 1 << 30);
      range(errors, "attempts", attempts, 1, 10);
      range(errors, "maxSkippedRuns", maxSkippedRuns, 0, 10_000);
      range(errors, "reachabilityParallelism", reachabilityParallelism, 1, 256);
      if (observedFrom == null || observedFrom.isBlank()) {
        errors.add("observedFrom: must name where the scraper runs, got '" + observedFrom + "'");
      }
      ScraperConfig config = null;
      if (errors.isEmpty()) {
        config = new ScraperConfig(gateways, interval, jitter, connectTimeout, attemptTimeout,
            maxBodyBytes, attempts, retryBackoff, retryBackoffMax, maxSkippedRuns,
            registeredOrchestrators, reachability, reachabilityTimeout, reachabilityParallelism,
            reachabilityDeadline, observedFrom, regionMapping, geoDatabase, regionTable,
            dnsTimeout);
        if (config.worstCaseRunTime().compareTo(interval) >= 0) {
          errors.add("interval: " + interval + " must exceed the worst case of a run, "
              + config.worstCaseRunTime() + ": sources (attempts x attemptTimeout + retry waits) "
              + config.worstCaseSourceTime() + ", probes " + config.probeTime()
              + ", region lookups " + config.regionLookupTime() + ", store retry waits "
              + config.retryWaits());
        }
      }
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException(String.join("\n", errors));
      }
      return config;
    }

    private static void positive(List<String> errors, String key, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        errors.add(key + ": must be positive, got " + d);
      }
    }

    private static void range(List<String> errors, String key, int v, int min, int max) {
      if (v < min || v > max) {
        errors.add(key + ": expected " + min + ".." + max + ", got " + v);
      }
    }
  }
}
