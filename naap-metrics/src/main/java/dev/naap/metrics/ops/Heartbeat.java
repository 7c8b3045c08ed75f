package dev.naap.metrics.ops;

import dev.naap.store.Sql;
import dev.naap.store.Store;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes, on each {@link #beat()}, a snapshot of this process's {@code naap_*} Prometheus samples
 * to {@code ops_heartbeats}, so that the API's Operations view can show processes it does not share
 * memory with. Counters and gauges keep their labels; a histogram keeps its count, sum and classic
 * buckets summed over its label sets (for the API's latency, over the {@code /v1/} routes only).
 * {@link #beat()} calls the engine: run it on a platform thread.
 */
public final class Heartbeat {

  /** How often a process should beat; the view calls a process down after {@link #DOWN_AFTER}. */
  public static final Duration INTERVAL = Duration.ofSeconds(15);
  public static final Duration DOWN_AFTER = INTERVAL.multipliedBy(3);
  /**
   * The sample a process's last beat carries when it stops cleanly: the view then lists it as
   * stopped, not down.
   */
  public static final String STOPPED = "naap_process_stopped";

  private final Store store;
  private final String insert = Sql.load(Heartbeat.class, "heartbeat_insert.sql");
  private final String component;
  private final String instance;
  private final PrometheusRegistry registry;
  private final InstantSource clock;

  /**
   * @param component what the process runs: ingest, serve, scrape, loadtest, demo
   */
  public Heartbeat(
      Store store, String component, PrometheusRegistry registry, InstantSource clock) {
    this.store = store;
    this.component = component;
    this.instance = host() + ":" + ProcessHandle.current().pid();
    this.registry = registry;
    this.clock = clock;
  }

  /** Writes one snapshot. */
  public void beat() {
    write(samples(registry));
  }

  /** Writes the last snapshot of a process that is stopping on purpose. */
  public void stopped() {
    Map<String, Double> samples = samples(registry);
    samples.put(STOPPED, 1.0);
    write(samples);
  }

  private void write(Map<String, Double> samples) {
    store.query(insert, Map.of("component", component, "instance", instance,
        "at", clock.instant().toEpochMilli(), "keys", new ArrayList<>(samples.keySet()),
        "values", new ArrayList<>(samples.values())), "TabSeparated");
  }

  /**
   * The {@code naap_*} samples of {@code registry}, by sample name with labels; finite values only.
   */
  static Map<String, Double> samples(PrometheusRegistry registry) {
    Map<String, Double> out = new TreeMap<>();
    // Never empty: a beat without samples would not be stored, and rates need the beat before.
    out.put("naap_process_uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
    for (MetricSnapshot s : registry.scrape(name -> name.startsWith("naap_"))) {
      String name = s.getMetadata().getPrometheusName();
      switch (s) {
        case CounterSnapshot c ->
            c.getDataPoints()
                .forEach(p -> put(out, key(name + "_total", p.getLabels()), p.getValue()));
        case GaugeSnapshot g ->
            g.getDataPoints().forEach(p -> put(out, key(name, p.getLabels()), p.getValue()));
        case HistogramSnapshot h -> {
          for (var p : h.getDataPoints()) {
            String route = p.getLabels().get("route");
            if (route != null && !route.startsWith("/v1/")) {
              continue;
            }
            out.merge(name + "_count", (double) p.getCount(), Double::sum);
            out.merge(name + "_sum", p.getSum(), Double::sum);
            long cumulative = 0;
            for (ClassicHistogramBucket b : p.getClassicBuckets()) {
              cumulative += b.getCount();
              out.merge(
                  name + "_bucket{le=\"" + b.getUpperBound() + "\"}",
                  (double) cumulative,
                  Double::sum);
            }
          }
        }
        default -> { }
      }
    }
    return out;
  }

  private static void put(Map<String, Double> out, String key, double value) {
    if (Double.isFinite(value)) {
      out.put(key, value);
    }
  }

  /** {@code name{a="x",b="y"}}, label values escaped as in Prometheus' text format. */
  static String key(String name, Labels labels) {
    if (labels.isEmpty()) {
      return name;
    }
    List<String> parts = new ArrayList<>();
    for (Label l : labels) {
      parts.add(l.getName() + "=\"" + l.getValue().replace("\\", "\\\\").replace("\"", "\\\"")
          .replace("\n", "\\n") + "\"");
    }
    return name + "{" + String.join(",", parts) + "}";
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return ManagementFactory.getRuntimeMXBean().getName();
    }
  }
}
