package dev.naap.api;

import dev.naap.metrics.query.Granularity;
import dev.naap.metrics.query.MetricsQueries;
import dev.naap.metrics.query.MetricsQuery;
import dev.naap.metrics.query.Page;
import dev.naap.metrics.query.Report;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Daily bulk exports of the public metrics, for users who need more than the quota: one CSV per
 * UTC day and report (GPU metrics, network demand), hourly buckets, default grouping, test load
 * excluded. Ids are {@code <report>-<yyyy-mm-dd>} for the last {@link #DAYS} complete days. An
 * export is computed when first asked for and kept (a few at a time). Thread-safe.
 */
final class DailyExports implements DatasetCatalog {

  static final int DAYS = 30;
  /** Bounds one export, so that a day of an enormous network cannot exhaust the heap. */
  static final int MAX_PAGES = 200;
  private static final int PAGE = 1000;
  private static final int KEPT = 8;
  private static final Map<String, Report> REPORTS = Map.of("gpu-metrics", Report.GPU_METRICS,
      "network-demand", Report.NETWORK_DEMAND);
  private static final Pattern ID =
      Pattern.compile("(gpu-metrics|network-demand)-(\\d{4}-\\d{2}-\\d{2})");

  private final MetricsQueries queries;
  private final InstantSource clock;
  private final Map<String, Export> kept = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Export> eldest) {
      return size() > KEPT;
    }
  };

  private record Export(Dataset dataset, byte[] content) {}

  DailyExports(MetricsQueries queries, InstantSource clock) {
    this.queries = queries;
    this.clock = clock;
  }

  @Override
  public List<Dataset> list() {
    List<Dataset> all = new ArrayList<>();
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    for (int i = 1; i <= DAYS; i++) {
      LocalDate day = today.minusDays(i);
      for (String name : REPORTS.keySet().stream().sorted().toList()) {
        all.add(describe(name, day, null, null, null));
      }
    }
    return all;
  }

  @Override
  public Optional<Dataset> find(String id) {
    return export(id).map(Export::dataset);
  }

  @Override
  public Optional<byte[]> content(String id) {
    return export(id).map(Export::content);
  }

  private Optional<Export> export(String id) {
    Matcher m = ID.matcher(id);
    if (!m.matches()) {
      return Optional.empty();
    }
    LocalDate day;
    try {
      day = LocalDate.parse(m.group(2));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (!day.isBefore(today) || day.isBefore(today.minusDays(DAYS))) {
      return Optional.empty();
    }
    synchronized (kept) {
      Export e = kept.get(id);
      if (e != null) {
        return Optional.of(e);
      }
    }
    Export e = compute(m.group(1), day);
    synchronized (kept) {
      kept.put(id, e);
    }
    return Optional.of(e);
  }

  private Export compute(String name, LocalDate day) {
    Report report = REPORTS.get(name);
    Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    List<List<Object>> rows = new ArrayList<>();
    Page page = null;
    for (int i = 0; i < MAX_PAGES && (page == null || page.hasMore()); i++) {
      page =
          queries.run(
              report,
              new MetricsQuery(
                  start,
                  end,
                  Granularity.HOUR,
                  Map.of(),
                  List.of(),
                  null,
                  PAGE,
                  (long) i * PAGE,
                  false));
      rows.addAll(page.rows());
    }
    byte[] csv = Bodies.csv(page.columns(), rows);
    return new Export(describe(name, day, (long) rows.size(), (long) csv.length, sha256(csv)), csv);
  }

  private Dataset describe(String name, LocalDate day, Long records, Long bytes, String sha256) {
    return new Dataset(name + "-" + day, "export", name.replace('-', ' ') + " " + day,
        "Every hourly row of /v1/" + (name.equals("gpu-metrics") ? "gpu/metrics" : "network/demand")
            + " for " + day + " (UTC), test load excluded, as CSV.",
        "text/csv", records, bytes, sha256, null);
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
