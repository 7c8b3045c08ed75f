package dev.naap.metrics.ops;

import dev.naap.store.Rows;
import dev.naap.store.Sql;
import dev.naap.store.Store;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.ToDoubleBiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of the dashboard's Operations view (docs/OPERATIONS.md), from NaaP itself: the
 * processes' heartbeats ({@link Heartbeat}: ingest rate and lag, refresh, store, API, scraper and
 * load tester health, network health) and the quarantine of the last hour. Rates are the change of
 * each counter between a process's two latest heartbeats, summed over the processes that are up.
 * Thread-safe; every call reads the store.
 */
public final class OperationsReport {

  /** How far back heartbeats are read: a process silent for longer is not listed. */
  static final int MINUTES = 15;

  private static final Pattern KEY = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final Store store;
  private final InstantSource clock;
  private final String heartbeatsSql = Sql.load(OperationsReport.class, "heartbeats.sql");
  private final String rejectsSql = Sql.load(OperationsReport.class, "rejects.sql");

  public OperationsReport(Store store, InstantSource clock) {
    this.store = store;
    this.clock = clock;
  }

  /** One sample of a heartbeat: its metric name, labels and value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  /**
   * A process's latest heartbeat and, when there are, the one before and its oldest in the last
   * {@link #MINUTES} minutes.
   */
  record Process(String component, String instance, Instant at, Map<String, Sample> latest,
      Instant previousAt, Map<String, Sample> previous,
      Instant firstAt, Map<String, Sample> first) {

    /**
     * Per second, the rise of each counter sample matching {@code filter} since the previous beat:
     * what the process does now.
     */
    double rate(Predicate<Sample> filter) {
      return rise(previousAt, previous, filter);
    }

    /**
     * Per second, the same since its oldest beat in the window: for counters that rise a few times
     * an hour (scrape runs, load tests), which one 15 s step mostly misses.
     */
    double windowRate(Predicate<Sample> filter) {
      return rise(firstAt, first, filter);
    }

    private double rise(Instant sinceAt, Map<String, Sample> since, Predicate<Sample> filter) {
      if (since == null) {
        return 0;
      }
      double seconds = (at.toEpochMilli() - sinceAt.toEpochMilli()) / 1e3;
      double sum = 0;
      for (var e : latest.entrySet()) {
        Sample before = since.get(e.getKey());
        if (filter.test(e.getValue())) {
          double delta = e.getValue().value() - (before == null ? 0 : before.value());
          sum += delta < 0 ? e.getValue().value() : delta; // a restarted process counts from 0
        }
      }
      return seconds > 0 ? sum / seconds : 0;
    }

    /** Whether its last beat said it was stopping on purpose ({@link Heartbeat#stopped()}). */
    boolean stopped() {
      return latest.containsKey(Heartbeat.STOPPED);
    }

    List<Sample> gauges(String name) {
      return latest.values().stream().filter(s -> s.name().equals(name)).toList();
    }
  }

  /**
   * The figures, as JSON-able values: maps, lists, numbers (null when unknown), strings, instants.
   */
  public Map<String, Object> figures() {
    Instant now = clock.instant();
    List<Process> all = processes();
    List<Process> up = all.stream()
        .filter(p -> !p.stopped() && !p.at().isBefore(now.minus(Heartbeat.DOWN_AFTER)))
        .toList();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("generated_at", now);
    out.put(
        "processes",
        all.stream()
            .map(
                p ->
                    ordered(
                        "component",
                        p.component(),
                        "instance",
                        p.instance(),
                        "last_seen",
                        p.at(),
                        "up",
                        up.contains(p),
                        "stopped",
                        p.stopped()))
            .toList());
    out.put("ingest", ordered(
        "events_per_second", sumRate(up, named("naap_ingest_events_total")),
        "events_per_second_by_family", rateBy(up, "naap_ingest_events_total", "family"),
        "rejected_per_second_by_reason", rateBy(up, "naap_ingest_rejected_total", "reason"),
        "consumer_lag", sumGauge(up, "naap_ingest_consumer_lag"),
        "write_failures_per_second", sumRate(up, named("naap_ingest_write_failures_total")),
        "batch_seconds_mean", mean(up, "naap_ingest_batch_duration_seconds")));
    out.put("rollups", ordered(
        "freshness_seconds", maxGauge(up, "naap_rollup_lag_seconds"),
        "refresh_seconds_mean", mean(up, "naap_rollup_refresh_duration_seconds"),
        "refresh_failures_per_second", sumRate(up, named("naap_rollup_refresh_failures_total"))));
    Double storeUp = minGauge(up, "naap_store_up");
    out.put("store", ordered("up", storeUp == null ? null : storeUp == 1,
        "disk_free_bytes", maxGauge(up, "naap_store_disk_free_bytes"),
        "disk_total_bytes", maxGauge(up, "naap_store_disk_total_bytes"),
        "damaged_parts", maxGauge(up, "naap_store_damaged_parts")));
    double requests = sumRate(up, named("naap_api_requests_total"));
    double serverErrors = sumRate(up, named("naap_api_requests_total")
        .and(s -> s.labels().getOrDefault("status", "").startsWith("5")
            && !"503".equals(s.labels().get("status"))));
    out.put("api", ordered(
        "requests_per_second", requests,
        "server_error_ratio", requests > 0 ? serverErrors / requests : null,
        "unavailable_per_second", sumRate(up, named("naap_api_requests_total").and(status("503"))),
        "rate_limited_per_second", sumRate(up, named("naap_api_requests_total").and(status("429"))),
        "latency_mean_seconds", mean(up, "naap_api_request_duration_seconds"),
        "latency_p95_seconds", quantile(up, "naap_api_request_duration_seconds", 0.95)));
    Map<String, Map<String, Object>> sources = new TreeMap<>();
    for (Process p : up) {
      for (Sample s : p.gauges("naap_scrape_source_up")) {
        sources
            .computeIfAbsent(s.labels().get("source"), k -> new LinkedHashMap<>())
            .put("up", s.value() == 1);
      }
      for (Sample s : p.gauges("naap_scrape_source_last_success_timestamp_seconds")) {
        sources.computeIfAbsent(s.labels().get("source"), k -> new LinkedHashMap<>())
            .put("last_success", Instant.ofEpochMilli((long) (s.value() * 1000)));
      }
    }
    out.put(
        "scraper",
        ordered(
            "runs_per_hour_by_status",
            perHour(rateBy(up, "naap_scrape_runs_total", "status", Process::windowRate)),
            "sources",
            sources.entrySet().stream()
                .map(
                    e -> {
                      Map<String, Object> m = new LinkedHashMap<>();
                      m.put("source", e.getKey());
                      m.putAll(e.getValue());
                      return m;
                    })
                .toList()));
    out.put("loadtest", ordered(
        "last_run", timestamp(maxGauge(up, "naap_loadtest_last_run_timestamp_seconds")),
        "last_success", timestamp(maxGauge(up, "naap_loadtest_last_success_timestamp_seconds")),
        "tests_per_hour_by_outcome",
        perHour(rateBy(up, "naap_loadtest_tests_total", "outcome", Process::windowRate)),
        "running_tests", sumGauge(up, "naap_loadtest_running_tests")));
    out.put("network", ordered(
        "gpu_attribution_ratio", maxGauge(up, "naap_network_gpu_attribution_ratio"),
        "unserved_demand_ratio", maxGauge(up, "naap_network_unserved_demand_ratio"),
        "segments_last_hour", maxGauge(up, "naap_network_segments"),
        "sessions_requested_last_hour", maxGauge(up, "naap_network_sessions_requested")));
    List<Map<String, Object>> rejects = new ArrayList<>();
    for (Rows.Row r : Rows.query(store, rejectsSql, Map.of(), List.of("reason", "rejects"))) {
      rejects.add(ordered("reason", r.string("reason"), "count", r.count("rejects")));
    }
    out.put("rejects_last_hour", rejects);
    return out;
  }

  /** Every process seen in the last {@link #MINUTES} minutes, with its two latest heartbeats. */
  List<Process> processes() {
    Map<String, Map<Long, Map<String, Sample>>> beats = new TreeMap<>();
    Map<String, String[]> ids = new LinkedHashMap<>();
    for (Rows.Row r : Rows.query(store, heartbeatsSql, Map.of("minutes", MINUTES),
        List.of("component", "instance", "at_ms", "sample", "value"))) {
      String component = r.string("component");
      String instance = r.string("instance");
      String id = component + "\t" + instance;
      ids.putIfAbsent(id, new String[] {component, instance});
      String sample = r.string("sample");
      Double value = r.decimal("value"); // null for a NaN, which heartbeats never write
      Sample s = value == null ? null : parse(sample, value);
      if (s != null) {
        beats.computeIfAbsent(id, k -> new TreeMap<>())
            .computeIfAbsent(r.integer("at_ms"), k -> new TreeMap<>()).put(sample, s);
      }
    }
    List<Process> out = new ArrayList<>();
    for (var e : beats.entrySet()) {
      var times = new ArrayList<>(e.getValue().keySet());
      long at = times.getLast();
      Long before = times.size() > 1 ? times.get(times.size() - 2) : null;
      Long first = times.size() > 1 ? times.getFirst() : null;
      String[] id = ids.get(e.getKey());
      out.add(
          new Process(
              id[0],
              id[1],
              Instant.ofEpochMilli(at),
              e.getValue().get(at),
              before == null ? null : Instant.ofEpochMilli(before),
              before == null ? null : e.getValue().get(before),
              first == null ? null : Instant.ofEpochMilli(first),
              first == null ? null : e.getValue().get(first)));
    }
    return out;
  }

  static Sample parse(String key, double value) {
    Matcher m = KEY.matcher(key);
    if (!m.matches()) {
      return null;
    }
    Map<String, String> labels = new TreeMap<>();
    if (m.group(2) != null) {
      Matcher l = LABEL.matcher(m.group(2));
      while (l.find()) {
        labels.put(
            l.group(1),
            l.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\"));
      }
    }
    return new Sample(m.group(1), labels, value);
  }

  private static Predicate<Sample> named(String name) {
    return s -> s.name().equals(name);
  }

  private static Predicate<Sample> status(String status) {
    return s -> status.equals(s.labels().get("status"));
  }

  private static double sumRate(List<Process> processes, Predicate<Sample> filter) {
    return processes.stream().mapToDouble(p -> p.rate(filter)).sum();
  }

  private static Map<String, Double> rateBy(List<Process> processes, String name, String label) {
    return rateBy(processes, name, label, Process::rate);
  }

  /** Per value of {@code label}, the {@code rate} of counter {@code name} summed over processes. */
  private static Map<String, Double> rateBy(List<Process> processes, String name, String label,
      ToDoubleBiFunction<Process, Predicate<Sample>> rate) {
    Map<String, Double> out = new TreeMap<>();
    for (Process p : processes) {
      for (Sample s : p.latest().values()) {
        if (s.name().equals(name) && s.labels().containsKey(label)) {
          String value = s.labels().get(label);
          out.merge(
              value,
              rate.applyAsDouble(p, named(name).and(x -> value.equals(x.labels().get(label)))),
              Double::sum);
        }
      }
    }
    return out;
  }

  private static Map<String, Double> perHour(Map<String, Double> perSecond) {
    Map<String, Double> out = new TreeMap<>();
    perSecond.forEach((k, v) -> out.put(k, v * 3600));
    return out;
  }

  private static Double sumGauge(List<Process> processes, String name) {
    List<Double> values = gaugeValues(processes, name);
    return values.isEmpty() ? null : values.stream().mapToDouble(Double::doubleValue).sum();
  }

  private static Double maxGauge(List<Process> processes, String name) {
    return gaugeValues(processes, name).stream().max(Double::compare).orElse(null);
  }

  private static Double minGauge(List<Process> processes, String name) {
    return gaugeValues(processes, name).stream().min(Double::compare).orElse(null);
  }

  private static List<Double> gaugeValues(List<Process> processes, String name) {
    return processes.stream().flatMap(p -> p.gauges(name).stream()).map(Sample::value).toList();
  }

  /** The mean of a histogram's observations between the two latest beats; null without any. */
  private static Double mean(List<Process> processes, String histogram) {
    double count = sumRate(processes, named(histogram + "_count"));
    return count > 0 ? sumRate(processes, named(histogram + "_sum")) / count : null;
  }

  /**
   * A quantile of a histogram between the two latest beats, interpolated in its bucket as
   * Prometheus does.
   */
  private static Double quantile(List<Process> processes, String histogram, double q) {
    Map<Double, Double> buckets = new TreeMap<>();
    for (Process p : processes) {
      for (Sample s : p.latest().values()) {
        if (s.name().equals(histogram + "_bucket")) {
          double le = Double.parseDouble(s.labels().get("le").replace("+Inf", "Infinity"));
          buckets.merge(
              le, p.rate(named(s.name()).and(x -> s.labels().equals(x.labels()))), Double::sum);
        }
      }
    }
    if (buckets.isEmpty()) {
      return null;
    }
    double total = ((TreeMap<Double, Double>) buckets).lastEntry().getValue();
    if (total <= 0) {
      return null;
    }
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (var b : buckets.entrySet()) {
      if (b.getValue() >= rank) {
        if (b.getKey().isInfinite()) {
          return lowerBound;
        }
        double inBucket = b.getValue() - lowerCount;
        return inBucket <= 0
            ? b.getKey()
            : lowerBound + (b.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
      }
      lowerBound = b.getKey();
      lowerCount = b.getValue();
    }
    return lowerBound;
  }

  private static Instant timestamp(Double seconds) {
    return seconds == null || seconds <= 0 ? null : Instant.ofEpochMilli((long) (seconds * 1000));
  }

  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }


}
