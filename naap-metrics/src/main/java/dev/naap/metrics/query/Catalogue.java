package dev.naap.metrics.query;

import static dev.naap.metrics.query.Column.Type.DECIMAL;
import static dev.naap.metrics.query.Column.Type.INTEGER;
import static dev.naap.metrics.query.Column.Type.STRING;
import static dev.naap.metrics.query.Column.Type.TIMESTAMP;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The fixed column catalogue of every report: its time column (if it has buckets), its dimension
 * columns in order, its measure columns, and the dimensions it can be grouped and filtered by.
 * Identifiers spliced into SQL come only from here. Definitions: docs/METRICS.md.
 */
final class Catalogue {

  static final Column WINDOW_START = new Column("window_start", TIMESTAMP, "",
      "start of the time bucket (UTC)");

  private static final Map<Dimension, Column> DIMENSION_COLUMNS =
      Map.of(
          Dimension.ORCHESTRATOR,
              new Column(
                  "orchestrator_address", STRING, "", "orchestrator signer address, lower-case"),
          Dimension.GPU_ID, new Column("gpu_id", STRING, "", "GPU id; empty when unresolved"),
          Dimension.GPU_MODEL,
              new Column("gpu_model", STRING, "", "GPU model name; empty when unknown"),
          Dimension.PIPELINE, new Column("pipeline", STRING, "", "pipeline (model id)"),
          Dimension.REGION,
              new Column(
                  "region",
                  STRING,
                  "",
                  "region of the session's orchestrator (events carry no client region): the"
                      + " event's, else the scraper's (operator mapping or IP-location database);"
                      + " empty when unknown"),
          Dimension.GATEWAY, new Column("gateway", STRING, "", "gateway that reported the session"),
          Dimension.APP,
              new Column(
                  "app",
                  STRING,
                  "",
                  "application named by a remote signer's signed tickets; "
                      + "empty for gateway payments"));

  /** Every dimension of the session rollups: all but the fee-only app. */
  private static final List<Dimension> ALL = List.of(Dimension.ORCHESTRATOR, Dimension.GPU_ID,
      Dimension.GPU_MODEL, Dimension.PIPELINE, Dimension.REGION, Dimension.GATEWAY);

  private static final List<Column> GPU_MEASURES =
      List.of(
          new Column("segments", INTEGER, "", "segments (one orchestrator's part of a session)"),
          new Column(
              "output_fps_mean",
              DECIMAL,
              "frames/s",
              "mean output FPS over status samples with fps > 0"),
          new Column(
              "output_fps_p05", DECIMAL, "frames/s", "5th percentile of those samples (t-digest)"),
          new Column("output_fps_p50", DECIMAL, "frames/s", "median of those samples (t-digest)"),
          new Column(
              "output_fps_p95", DECIMAL, "frames/s", "95th percentile of those samples (t-digest)"),
          new Column("fps_samples", INTEGER, "", "status samples with fps > 0"),
          new Column(
              "fps_samples_20plus",
              INTEGER,
              "",
              "of those, samples with fps >= 20; null where the rollups " + "predate this count"),
          new Column(
              "fps_share_20plus",
              DECIMAL,
              "",
              "fps_samples_20plus / fps_samples: the share of the time "
                  + "output ran at 20+ FPS; null with no samples"),
          new Column(
              "ptff_ms_p50",
              DECIMAL,
              "ms",
              "median prompt-to-first-frame over segments (t-digest)"),
          new Column(
              "ptff_ms_p95", DECIMAL, "ms", "95th percentile prompt-to-first-frame (t-digest)"),
          new Column(
              "ptff_ms_p99", DECIMAL, "ms", "99th percentile prompt-to-first-frame (t-digest)"),
          new Column("ptff_ms_mean", DECIMAL, "ms", "mean prompt-to-first-frame"),
          new Column("ptff_samples", INTEGER, "", "segments with a prompt-to-first-frame"),
          new Column(
              "jitter_coefficient_mean", DECIMAL, "", "mean FPS jitter coefficient over segments"),
          new Column(
              "jitter_coefficient_p95",
              DECIMAL,
              "",
              "95th percentile jitter coefficient (t-digest)"),
          new Column(
              "jitter_samples", INTEGER, "", "segments with a jitter coefficient (3+ samples)"),
          new Column("failure_rate", DECIMAL, "", "failed segments / segments"),
          new Column("failed_segments", INTEGER, "", "segments that failed"),
          new Column(
              "bandwidth_up_kbps_mean",
              DECIMAL,
              "kbit/s",
              "mean client-to-gateway rate per session"),
          new Column(
              "bandwidth_down_kbps_mean",
              DECIMAL,
              "kbit/s",
              "mean gateway-to-client rate per session"),
          new Column("bandwidth_samples", INTEGER, "", "sessions with a bandwidth rate"),
          new Column(
              "orchestrator_startup_ms_p50",
              DECIMAL,
              "ms",
              "median orchestrator startup: first ingest segment sent to first processed segment"
                  + " received (t-digest)"),
          new Column(
              "orchestrator_startup_ms_p95",
              DECIMAL,
              "ms",
              "95th percentile orchestrator startup (t-digest)"),
          new Column("orchestrator_startup_ms_mean", DECIMAL, "ms", "mean orchestrator startup"),
          new Column("startup_samples", INTEGER, "", "segments with an orchestrator startup"),
          new Column(
              "selection_wait_ms_p50",
              DECIMAL,
              "ms",
              "median selection wait: request (or the swap before) to first ingest segment sent"
                  + " (t-digest)"),
          new Column(
              "selection_wait_ms_p95", DECIMAL, "ms", "95th percentile selection wait (t-digest)"),
          new Column("selection_wait_ms_mean", DECIMAL, "ms", "mean selection wait"),
          new Column("selection_wait_samples", INTEGER, "", "segments with a selection wait"),
          new Column(
              "gpu_attribution_rate",
              DECIMAL,
              "",
              "segments whose GPU resolved (reported, capabilities or metadata) / segments"),
          new Column("gpu_reported", INTEGER, "", "segments whose status reported their GPU"),
          new Column(
              "gpu_capabilities",
              INTEGER,
              "",
              "segments whose node advertised exactly one GPU for the model"),
          new Column("gpu_metadata", INTEGER, "", "segments resolved from the scraped metadata"),
          new Column(
              "gpu_ambiguous",
              INTEGER,
              "",
              "segments whose node advertised several GPUs for the model"),
          new Column(
              "gpu_stale",
              INTEGER,
              "",
              "segments whose only snapshot was older than the maximum age"),
          new Column("gpu_unknown", INTEGER, "", "segments with no GPU information"));

  private static final List<Column> DEMAND_MEASURES =
      List.of(
          new Column(
              "sessions_requested",
              INTEGER,
              "",
              "sessions whose first event is in the bucket and that saw a request"),
          new Column(
              "sessions_started", INTEGER, "", "of those, sessions that reached a first frame"),
          new Column(
              "sessions_no_orchestrator",
              INTEGER,
              "",
              "of those, sessions that found no orchestrator"),
          new Column(
              "stream_minutes",
              DECIMAL,
              "min",
              "session time (first to last event) inside the bucket"),
          new Column(
              "peak_concurrent_streams",
              INTEGER,
              "",
              "most sessions overlapping one minute of the bucket"),
          new Column(
              "capacity_idle",
              INTEGER,
              "",
              "idle capacity in the latest capabilities snapshot before the bucket's end"),
          new Column("capacity_in_use", INTEGER, "", "capacity in use in that snapshot"),
          new Column(
              "utilisation",
              DECIMAL,
              "",
              "capacity in use / (idle + in use); null without supply data"));

  private static final List<Column> SLA_MEASURES =
      List.of(
          new Column("eligible_segments", INTEGER, "", "segments judged against the SLA"),
          new Column(
              "compliant_segments",
              INTEGER,
              "",
              "segments that met every target (startup, FPS, failure, jitter)"),
          new Column("compliance_rate", DECIMAL, "", "compliant / eligible"),
          new Column(
              "error_budget_remaining",
              DECIMAL,
              "",
              "share of the error budget left, 1 - (1 - compliance) / (1 - objective): 1 untouched,"
                  + " 0 spent, below 0 exhausted (-0.25: overspent by 25 % of the budget); null"
                  + " when the rows mix objectives or the objective is 100 %"),
          new Column("violations_failure", INTEGER, "", "segments that failed"),
          new Column(
              "violations_ptff",
              INTEGER,
              "",
              "segments over the user-visible PTFF target, or without a PTFF (information: not part"
                  + " of compliance)"),
          new Column(
              "violations_fps", INTEGER, "", "segments under the FPS target, or without FPS"),
          new Column("violations_jitter", INTEGER, "", "segments over the jitter target"),
          new Column(
              "target_ptff_ms",
              INTEGER,
              "ms",
              "PTFF target in force; null when the rows mix targets"),
          new Column(
              "target_fps",
              DECIMAL,
              "frames/s",
              "FPS target in force; null when the rows mix targets"),
          new Column(
              "target_jitter",
              DECIMAL,
              "",
              "jitter target in force; null when the rows mix targets"),
          new Column(
              "objective", DECIMAL, "", "compliance objective; null when the rows mix objectives"),
          new Column(
              "violations_startup",
              INTEGER,
              "",
              "segments over the orchestrator startup target, or without a startup"),
          new Column(
              "target_startup_ms",
              INTEGER,
              "ms",
              "orchestrator startup target in force; null when the rows mix targets"));

  private static final List<Column> ORCHESTRATOR_MEASURES =
      List.of(
          new Column(
              "service_uri",
              STRING,
              "",
              "service URI of its latest metadata (metadata_source); null when it has none"),
          new Column("nodes", INTEGER, "",
              "its nodes (service URIs) in that metadata; a signer may front several"),
          new Column("version", STRING, "", "go-livepeer version from that metadata"),
          new Column("metadata_region", STRING, "",
              "region from that metadata; null when it comes from events, which carry none"),
          new Column(
              "metadata_region_source",
              STRING,
              "",
              "where that region came from: operator (mapping file), geoip (IP-location database)"
                  + " or unknown"),
          new Column("gpu_count", INTEGER, "", "GPUs in the metadata of all its nodes"),
          new Column("capacity", INTEGER, "",
              "live-video-to-video slots (capability 35) advertised in the metadata of all"
                  + " its nodes; other capabilities count in units of their own; null when no"
                  + " node advertises live video"),
          new Column("price_per_unit", INTEGER, "wei",
              "default price per unit (price_info) in that metadata"),
          new Column("pixels_per_unit", INTEGER, "", "pixels per price unit in that metadata"),
          new Column("metadata_source", STRING, "",
              "where the metadata comes from: scraper (a current scraped version of the signer),"
                  + " else events (the gateways' latest network_capabilities listings of its"
                  + " nodes); null when it has none"),
          new Column(
              "sessions", INTEGER, "", "sessions whose first segment it served in the range"),
          new Column("segments", INTEGER, "", "segments it served in the range"),
          new Column(
              "output_fps_mean", DECIMAL, "frames/s", "mean output FPS over its status samples"),
          new Column("fps_samples", INTEGER, "", "status samples with fps > 0"),
          new Column(
              "ptff_ms_p95", DECIMAL, "ms", "95th percentile prompt-to-first-frame (t-digest)"),
          new Column("ptff_samples", INTEGER, "", "segments with a prompt-to-first-frame"),
          new Column("failure_rate", DECIMAL, "", "failed segments / segments"),
          new Column("failed_segments", INTEGER, "", "segments that failed"),
          new Column("sla_compliance_rate", DECIMAL, "", "compliant segments / segments"),
          new Column("compliant_segments", INTEGER, "", "segments that met every SLA target"),
          new Column(
              "orchestrator_startup_ms_p95",
              DECIMAL,
              "ms",
              "95th percentile orchestrator startup (t-digest)"),
          new Column("startup_samples", INTEGER, "", "segments with an orchestrator startup"),
          new Column(
              "selection_wait_ms_p95",
              DECIMAL,
              "ms",
              "95th percentile selection wait before its segments (t-digest)"),
          new Column("selection_wait_samples", INTEGER, "", "segments with a selection wait"),
          new Column(
              "gpu_attribution_rate", DECIMAL, "", "segments whose GPU resolved / segments"));

  private static final List<Column> SCORE_MEASURES =
      List.of(
          new Column(
              "score",
              DECIMAL,
              "",
              "0-100: 100 x (0.7 reliability + 0.3 quality), each shrunk toward the "
                  + "pipeline's network; null with score_null_reason when it cannot be computed"),
          new Column(
              "score_low", DECIMAL, "", "lower end of the 95 % band (reliability's posterior)"),
          new Column(
              "score_high", DECIMAL, "", "upper end of the 95 % band (reliability's posterior)"),
          new Column(
              "score_null_reason",
              STRING,
              "",
              "why score is null (no_cohort_quality); null when it is not"),
          new Column(
              "segments", INTEGER, "", "segments in the range: the sample the score rests on"),
          new Column("failed_segments", INTEGER, "", "segments that failed"),
          new Column("sla_compliance_rate", DECIMAL, "", "compliant / segments (for information)"),
          new Column(
              "reliability",
              DECIMAL,
              "",
              "(segments - failed + k x network_reliability) / (segments + k), "
                  + "k = 10 pseudo-segments"),
          new Column(
              "network_reliability", DECIMAL, "", "1 - failed / segments of the pipeline's cohort"),
          new Column(
              "output_fps_mean", DECIMAL, "frames/s", "mean output FPS over its status samples"),
          new Column("fps_samples", INTEGER, "", "status samples with fps > 0"),
          new Column(
              "network_fps_mean", DECIMAL, "frames/s", "mean output FPS of the pipeline's cohort"),
          new Column(
              "fps_quality",
              DECIMAL,
              "",
              "f / (f + network_fps_mean), f the FPS mean shrunk toward the "
                  + "cohort's; 0.5 = as the network"),
          new Column("orchestrator_startup_ms_mean", DECIMAL, "ms", "mean orchestrator startup"),
          new Column("startup_samples", INTEGER, "", "segments with an orchestrator startup"),
          new Column(
              "network_startup_ms_mean",
              DECIMAL,
              "ms",
              "mean orchestrator startup of the pipeline's cohort"),
          new Column(
              "startup_quality",
              DECIMAL,
              "",
              "network_startup_ms_mean / (network_startup_ms_mean + s), s the "
                  + "startup mean shrunk toward the cohort's; 0.5 = as the network"),
          new Column(
              "quality", DECIMAL, "", "mean of fps_quality and startup_quality (those defined)"));

  /**
   * The price beside each score (of the range, not of the history's hours): the orchestrator's
   * price for the pipeline's model in force at the range's end, as NETWORK_PRICES gives it.
   */
  static final List<Column> SCORE_PRICE_MEASURES =
      List.of(
          new Column(
              "price_per_unit",
              INTEGER,
              "wei",
              "advertised price per unit in force at the range's end (its latest snapshot in the"
                  + " day before it; of several nodes, the lowest); null when it advertises none"),
          new Column("pixels_per_unit", INTEGER, "pixels", "pixels per price unit of that price"),
          new Column(
              "wei_per_pixel", DECIMAL, "wei/pixel", "price_per_unit / pixels_per_unit"),
          new Column(
              "wei_per_stream_minute",
              DECIMAL,
              "wei/min",
              "wei_per_pixel x the pipeline's billing resolution (pixels per second) x 60"),
          new Column(
              "network_wei_per_pixel_median",
              DECIMAL,
              "wei/pixel",
              "lower median price of every orchestrator of the model at the range's end,"
                  + " whatever the filters, as /v1/network/prices gives it"),
          new Column(
              "price_vs_network",
              DECIMAL,
              "",
              "wei_per_pixel / network_wei_per_pixel_median (1 = the network's median)"));

  private static final List<Column> RELIABILITY_MEASURES =
      List.of(
          new Column("segments", INTEGER, "", "segments in the range"),
          new Column(
              "startup_attempts", INTEGER, "", "segments that were sent a first ingest segment"),
          new Column(
              "startups_succeeded",
              INTEGER,
              "",
              "of those, segments that returned a first processed segment"),
          new Column("startup_success_rate", DECIMAL, "", "startups_succeeded / startup_attempts"),
          new Column("swapped_segments", INTEGER, "", "segments the gateway swapped away from"),
          new Column("swap_rate", DECIMAL, "", "swapped_segments / segments"),
          new Column(
              "sessions_lost_after_swap",
              INTEGER,
              "",
              "sessions whose last segment was swapped away from here and then found no"
                  + " orchestrator"),
          new Column(
              "lost_after_swap_rate", DECIMAL, "", "sessions_lost_after_swap / swapped_segments"),
          new Column("failed_segments", INTEGER, "", "segments that failed (every cause)"),
          new Column(
              "failed_orchestrator",
              INTEGER,
              "",
              "failed segments charged to the orchestrator: failed minus excused"),
          new Column(
              "failed_client_gone",
              INTEGER,
              "",
              "excused: the session's last segment failed and the session reported the client"
                  + " gone"),
          new Column(
              "failed_no_capacity",
              INTEGER,
              "",
              "excused: no output and no error, in a session that found no orchestrator (no"
                  + " capacity network-wide)"),
          new Column("orchestrator_failure_rate", DECIMAL, "", "failed_orchestrator / segments"),
          new Column(
              "excused_failure_rate",
              DECIMAL,
              "",
              "(failed_client_gone + failed_no_capacity) / segments"),
          new Column(
              "fps_compared_hours",
              INTEGER,
              "",
              "hours with FPS samples whose previous hour had some too"),
          new Column(
              "degraded_hours", INTEGER, "", "of those, hours whose FPS mean fell by 20 % or more"),
          new Column("degraded_rate", DECIMAL, "", "degraded_hours / fps_compared_hours"));

  private static final List<Column> ECONOMICS_MEASURES =
      List.of(
          new Column(
              "payments",
              INTEGER,
              "",
              "create_new_payment events (a gateway paying an orchestrator)"),
          new Column(
              "unvalued_payments",
              INTEGER,
              "",
              "of those, payments whose face value or win probability "
                  + "could not be read exactly: not in the expected fees"),
          new Column(
              "tickets",
              INTEGER,
              "",
              "tickets sent: numTickets of the payments plus num_tickets of the signed "
                  + "tickets"),
          new Column(
              "expected_fees_wei",
              STRING,
              "wei",
              "sum of face value x win probability x tickets over the payments, exact (a decimal"
                  + " string; fractions of a wei kept to 18 places); expected value, not revenue"),
          new Column(
              "expected_fees_eth",
              STRING,
              "ETH",
              "expected_fees_wei / 10^18, exact (a decimal string)"),
          new Column(
              "paid_minutes",
              DECIMAL,
              "min",
              "stream time the payments cover: each payment's time since the "
                  + "previous payment of its payment session"),
          new Column(
              "expected_fee_per_stream_minute_wei",
              DECIMAL,
              "wei/min",
              "expected_fees_wei / paid_minutes; null " + "without paid minutes"),
          new Column(
              "signed_tickets",
              INTEGER,
              "",
              "create_signed_ticket events (a remote signer's payment)"),
          new Column(
              "billable_seconds", DECIMAL, "s", "seconds the signed tickets bill (billable_secs)"),
          new Column("pixels", INTEGER, "", "pixels the signed tickets bill"),
          new Column(
              "computed_fees_wei",
              STRING,
              "wei",
              "sum of the signed tickets' computed_fee, exact (a decimal " + "string)"),
          new Column(
              "computed_fees_eth",
              STRING,
              "ETH",
              "computed_fees_wei / 10^18, exact (a decimal string)"),
          new Column(
              "fee_per_billable_minute_wei",
              DECIMAL,
              "wei/min",
              "computed_fees_wei / (billable_seconds / 60); " + "null without billable seconds"));

  private static final List<Column> PRICE_MEASURES =
      List.of(
          new Column(
              "orchestrators",
              INTEGER,
              "",
              "orchestrator x model prices in force in the bucket in the row"),
          new Column(
              "price_per_unit",
              INTEGER,
              "wei",
              "advertised price per unit; null when the row holds several " + "prices"),
          new Column(
              "pixels_per_unit",
              INTEGER,
              "pixels",
              "pixels per price unit; null when the row holds several"),
          new Column(
              "wei_per_pixel",
              DECIMAL,
              "wei/pixel",
              "price_per_unit / pixels_per_unit (the median of the " + "row's prices)"),
          new Column("wei_per_pixel_min", DECIMAL, "wei/pixel", "lowest price of the row"),
          new Column(
              "wei_per_pixel_p10",
              DECIMAL,
              "wei/pixel",
              "10th percentile of the row's prices (exact, lower)"),
          new Column(
              "wei_per_pixel_p90",
              DECIMAL,
              "wei/pixel",
              "90th percentile of the row's prices (exact, lower)"),
          new Column("wei_per_pixel_max", DECIMAL, "wei/pixel", "highest price of the row"),
          new Column(
              "wei_per_stream_minute",
              DECIMAL,
              "wei/min",
              "wei_per_pixel x the pipeline's billing resolution "
                  + "(pixels per second) x 60: a stream-minute at that price"),
          new Column(
              "network_wei_per_pixel_median",
              DECIMAL,
              "wei/pixel",
              "median price of every orchestrator of the "
                  + "model in the bucket, whatever the filters; null when the row mixes models"),
          new Column(
              "price_vs_network",
              DECIMAL,
              "",
              "wei_per_pixel / network_wei_per_pixel_median (1 = the " + "network's median)"));

  private static final List<Column> CAPACITY_MEASURES =
      List.of(
          new Column(
              "snapshots",
              INTEGER,
              "",
              "network_capabilities snapshots in the range that list the row's models"),
          new Column(
              "latest_snapshot_at",
              TIMESTAMP,
              "",
              "time of the range's latest snapshot, which the next " + "columns describe"),
          new Column(
              "warm_orchestrators",
              INTEGER,
              "",
              "orchestrators (signers) with the model warm in that snapshot"),
          new Column(
              "nodes", INTEGER, "", "nodes (service URIs) advertising the model in that snapshot"),
          new Column("gpus", INTEGER, "", "distinct GPU ids those nodes list for the model"),
          new Column("gpu_memory_bytes", INTEGER, "bytes", "total memory of those GPUs"),
          new Column("slots", INTEGER, "", "slots advertised: idle + in use"),
          new Column("slots_in_use", INTEGER, "", "slots in use (capacityInUse)"),
          new Column(
              "available_slots", INTEGER, "", "idle slots: the capacity a new stream can take"),
          new Column(
              "available_slots_mean", DECIMAL, "", "mean idle slots over the range's snapshots"),
          new Column(
              "available_slots_min", INTEGER, "", "fewest idle slots in one snapshot of the range"),
          new Column(
              "available_slots_max", INTEGER, "", "most idle slots in one snapshot of the range"),
          new Column(
              "available_slots_stability",
              DECIMAL,
              "",
              "1 - standard deviation / mean of the idle slots over "
                  + "the snapshots, at least 0 (1 = constant); null when the mean is 0"));

  /** The GPUs page of {@link MetricsQueries#orchestrator}. */
  static final List<Column> ORCHESTRATOR_GPUS = List.of(
      DIMENSION_COLUMNS.get(Dimension.GPU_ID),
      DIMENSION_COLUMNS.get(Dimension.GPU_MODEL),
      new Column("memory_bytes", INTEGER, "bytes",
          "GPU memory in the orchestrator's metadata (scraped, else events: metadata_source)"),
      new Column("segments", INTEGER, "", "segments it served in the range"),
      new Column("output_fps_mean", DECIMAL, "frames/s", "mean output FPS over its status samples"),
      new Column("fps_samples", INTEGER, "", "status samples with fps > 0"),
      new Column("ptff_ms_p95", DECIMAL, "ms", "95th percentile prompt-to-first-frame (t-digest)"),
      new Column("ptff_samples", INTEGER, "", "segments with a prompt-to-first-frame"),
      new Column("failure_rate", DECIMAL, "", "failed segments / segments"),
      new Column("failed_segments", INTEGER, "", "segments that failed"));

  private Catalogue() {}

  /** Whether the report's rows are time buckets ({@code window_start} first). */
  static boolean bucketed(Report report) {
    return report == Report.GPU_METRICS || report == Report.NETWORK_DEMAND
        || report == Report.NETWORK_ECONOMICS || report == Report.NETWORK_PRICES;
  }

  static List<Dimension> groupable(Report report) {
    return switch (report) {
      case GPU_METRICS ->
          List.of(
              Dimension.ORCHESTRATOR,
              Dimension.GPU_ID,
              Dimension.GPU_MODEL,
              Dimension.REGION,
              Dimension.PIPELINE,
              Dimension.GATEWAY);
      case NETWORK_DEMAND -> List.of(Dimension.GATEWAY, Dimension.PIPELINE, Dimension.REGION);
      case SLA_COMPLIANCE ->
          List.of(
              Dimension.ORCHESTRATOR,
              Dimension.PIPELINE,
              Dimension.REGION,
              Dimension.GPU_ID,
              Dimension.GPU_MODEL,
              Dimension.GATEWAY);
      case ORCHESTRATORS -> List.of(Dimension.ORCHESTRATOR);
      case ORCHESTRATOR_SCORES ->
          List.of(Dimension.ORCHESTRATOR, Dimension.PIPELINE, Dimension.GPU_MODEL);
      case RELIABILITY ->
          List.of(
              Dimension.ORCHESTRATOR,
              Dimension.PIPELINE,
              Dimension.GPU_MODEL,
              Dimension.GPU_ID,
              Dimension.REGION,
              Dimension.GATEWAY);
      case NETWORK_PRICES -> List.of(Dimension.ORCHESTRATOR, Dimension.PIPELINE);
      case NETWORK_ECONOMICS ->
          List.of(Dimension.ORCHESTRATOR, Dimension.GATEWAY, Dimension.PIPELINE, Dimension.APP);
      case NETWORK_CAPACITY -> List.of(Dimension.PIPELINE, Dimension.GPU_MODEL);
    };
  }

  static List<Dimension> defaultGroupBy(Report report) {
    return switch (report) {
      case GPU_METRICS -> groupable(report).subList(0, 5);
      case NETWORK_DEMAND, ORCHESTRATORS, NETWORK_ECONOMICS, NETWORK_PRICES -> groupable(report);
      case ORCHESTRATOR_SCORES -> groupable(report).subList(0, 2);
      case NETWORK_CAPACITY -> groupable(report).subList(0, 1);
      case SLA_COMPLIANCE, RELIABILITY -> groupable(report).subList(0, 3);
    };
  }

  static List<Dimension> filterable(Report report) {
    return switch (report) {
      case NETWORK_DEMAND, NETWORK_ECONOMICS, NETWORK_PRICES, NETWORK_CAPACITY -> groupable(report);
      default -> ALL;
    };
  }

  /** The grouping a query asks for (checked by MetricsQueries.groupBy), in column order. */
  static List<Dimension> grouping(Report report, List<Dimension> groupBy) {
    if (report == Report.ORCHESTRATOR_SCORES) {
      // A score is per orchestrator x pipeline (its cohort is the pipeline's), per GPU model if
      // asked.
      return groupBy.contains(Dimension.GPU_MODEL) ? groupable(report) : defaultGroupBy(report);
    }
    if (groupBy.isEmpty()) {
      return defaultGroupBy(report);
    }
    return groupable(report).stream().filter(groupBy::contains).toList();
  }

  static Column column(Dimension dimension) {
    return DIMENSION_COLUMNS.get(dimension);
  }

  static List<Column> columns(Report report, List<Dimension> groupBy) {
    List<Column> columns = new ArrayList<>();
    if (bucketed(report)) {
      columns.add(WINDOW_START);
    }
    grouping(report, groupBy).forEach(d -> columns.add(column(d)));
    columns.addAll(switch (report) {
      case GPU_METRICS -> GPU_MEASURES;
      case NETWORK_DEMAND -> DEMAND_MEASURES;
      case SLA_COMPLIANCE -> SLA_MEASURES;
      case ORCHESTRATORS -> ORCHESTRATOR_MEASURES;
      case ORCHESTRATOR_SCORES ->
          Stream.concat(SCORE_MEASURES.stream(), SCORE_PRICE_MEASURES.stream()).toList();
      case RELIABILITY -> RELIABILITY_MEASURES;
      case NETWORK_ECONOMICS -> ECONOMICS_MEASURES;
      case NETWORK_PRICES -> PRICE_MEASURES;
      case NETWORK_CAPACITY -> CAPACITY_MEASURES;
    });
    return List.copyOf(columns);
  }
}
