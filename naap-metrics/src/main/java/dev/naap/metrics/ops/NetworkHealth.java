package dev.naap.metrics.ops;

import dev.naap.store.Rows;
import dev.naap.store.Sql;
import dev.naap.store.Store;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The network's health over the last hour, read from the minute rollups for operators' alerts:
 * the share of segments attributed to a GPU, the share of requested sessions that found no
 * orchestrator, and each orchestrator's SLA compliance (docs/OPERATIONS.md, "Metrics").
 * {@link #update()} reads the store (call it on a platform thread); the gauges show the last
 * figures read. Thread-safe.
 */
public final class NetworkHealth {

  /** The window every figure covers, ending now. */
  public static final Duration WINDOW = Duration.ofHours(1);
  /** Orchestrators exported with their own series: the busiest, so label values stay bounded. */
  public static final int MAX_ORCHESTRATORS = 500;

  private final Store store;
  private final InstantSource clock;
  private final String networkSql = Sql.load(NetworkHealth.class, "network_health.sql");
  private final String orchestratorSql = Sql.load(NetworkHealth.class, "orchestrator_sla.sql");
  private final AtomicReference<Figures> last = new AtomicReference<>(Figures.NONE);

  /** The figures of one read; ratios are NaN when their denominator is 0. */
  public record Figures(long segments, long attributedSegments, long sessionsRequested,
      long sessionsUnserved, List<OrchestratorSla> orchestrators) {
    static final Figures NONE = new Figures(0, 0, 0, 0, List.of());

    public double attributionRatio() {
      return segments == 0 ? Double.NaN : (double) attributedSegments / segments;
    }

    public double unservedRatio() {
      return sessionsRequested == 0 ? Double.NaN : (double) sessionsUnserved / sessionsRequested;
    }
  }

  /** One orchestrator's eligible and compliant segments over the window. */
  public record OrchestratorSla(String address, long eligible, long compliant) {
    public double compliance() {
      return (double) compliant / eligible;
    }
  }

  public NetworkHealth(Store store, InstantSource clock, PrometheusRegistry registry) {
    this.store = store;
    this.clock = clock;
    GaugeWithCallback.builder().name("naap_network_gpu_attribution_ratio")
        .help("Share of the last hour's segments attributed to a GPU (NaN: no segments)")
        .callback(cb -> cb.call(last.get().attributionRatio())).register(registry);
    GaugeWithCallback.builder()
        .name("naap_network_unserved_demand_ratio")
        .help(
            "Share of the last hour's requested sessions that found no orchestrator (NaN: none"
                + " requested)")
        .callback(cb -> cb.call(last.get().unservedRatio()))
        .register(registry);
    GaugeWithCallback.builder().name("naap_network_segments")
        .help("Segments of production traffic in the last hour")
        .callback(cb -> cb.call(last.get().segments())).register(registry);
    GaugeWithCallback.builder().name("naap_network_sessions_requested")
        .help("Sessions of production traffic requested in the last hour")
        .callback(cb -> cb.call(last.get().sessionsRequested())).register(registry);
    GaugeWithCallback.builder()
        .name("naap_orchestrator_sla_compliance_ratio")
        .help(
            "Each orchestrator's SLA compliance over the last hour (compliant / eligible segments)")
        .labelNames("orchestrator")
        .callback(
            cb -> last.get().orchestrators().forEach(o -> cb.call(o.compliance(), o.address())))
        .register(registry);
    GaugeWithCallback.builder().name("naap_orchestrator_sla_segments")
        .help("Each orchestrator's SLA-eligible segments over the last hour")
        .labelNames("orchestrator")
        .callback(cb -> last.get().orchestrators().forEach(o -> cb.call(o.eligible(), o.address())))
        .register(registry);
  }

  /** Reads the figures of the last hour from the store; they become what the gauges show. */
  public Figures update() {
    long from = clock.instant().minus(WINDOW).getEpochSecond();
    Rows.Row n = Rows.query(store, networkSql, Map.of("from", from),
        List.of("segments", "attributed", "requested", "unserved")).single();
    List<OrchestratorSla> orchestrators = new ArrayList<>();
    for (Rows.Row r : Rows.query(store, orchestratorSql, Map.of("from", from, "limit",
        MAX_ORCHESTRATORS), List.of("orchestrator_address", "eligible", "compliant"))) {
      orchestrators.add(new OrchestratorSla(r.string("orchestrator_address"), r.count("eligible"),
          r.count("compliant")));
    }
    Figures figures = new Figures(n.count("segments"), n.count("attributed"),
        n.count("requested"), n.count("unserved"), List.copyOf(orchestrators));
    last.set(figures);
    return figures;
  }

  /** The figures of the last {@link #update()}. */
  public Figures last() {
    return last.get();
  }
}
