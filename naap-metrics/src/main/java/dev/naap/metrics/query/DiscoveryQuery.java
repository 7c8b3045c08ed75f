package dev.naap.metrics.query;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What a gateway asks of discovery: the nodes advertising every one of {@code caps} ({@code
 * pipeline/model}) in the hour before {@code end}, scored over [{@code start}, {@code end}), kept
 * when they pass every hard filter (a null bound or an empty set is no filter; {@code minVramGb} in
 * 10^9 bytes, on the node's largest GPU), best first, at most {@code limit}. {@code exclude} holds
 * signer addresses or service URLs, lower-case, without a trailing slash. With a {@code
 * shuffleSeed}, the rows of each tier ({@link #TIER_POINTS} points of score; null scores are the
 * last tier) are shuffled among themselves, so load spreads among near-equals while a better tier
 * still comes first. {@code maxPrice} bounds the node's latest advertised price (wei per pixel; a
 * node without one fails it). The score is 100 × ({@code reliabilityWeight} · reliability + {@code
 * qualityWeight} · quality); the weights are non-negative and add up to 1.
 */
public record DiscoveryQuery(
    Instant start,
    Instant end,
    List<String> caps,
    Double minScore,
    Double minFps,
    Double maxStartupMs,
    Double maxPrice,
    Double minVramGb,
    Set<String> gpuModels,
    Set<String> regions,
    Set<String> exclude,
    int limit,
    boolean includeTestLoad,
    Long shuffleSeed,
    double reliabilityWeight,
    double qualityWeight) {

  /** Scores within the same band of this many points are a tier, shuffled together when asked. */
  public static final double TIER_POINTS = 5;

  /** The columns of a discovery row. */
  public static final List<Column> COLUMNS =
      List.of(
          new Column(
              "address", Column.Type.STRING, "", "service URL of the node, as it advertises it"),
          new Column("signer", Column.Type.STRING, "", "orchestrator signer address, lower-case"),
          new Column(
              "score",
              Column.Type.DECIMAL,
              "",
              "the signer's score (0-100) for the capabilities asked for: the "
                  + "lowest over their pipelines; null with score_null_reason"),
          new Column("score_low", Column.Type.DECIMAL, "", "lower end of the score's 95 % band"),
          new Column("score_high", Column.Type.DECIMAL, "", "upper end of the score's 95 % band"),
          new Column(
              "score_null_reason",
              Column.Type.STRING,
              "",
              "no_segments (no segment in the range), "
                  + "no_cohort_quality; null when there is a score"),
          new Column("segments", Column.Type.INTEGER, "", "segments the score rests on"),
          new Column("reliability", Column.Type.DECIMAL, "", "shrunk non-failure rate"),
          new Column(
              "quality",
              Column.Type.DECIMAL,
              "",
              "FPS and startup against the pipeline's network (0.5 = as it)"),
          new Column(
              "output_fps_mean", Column.Type.DECIMAL, "frames/s", "mean output FPS over the range"),
          new Column(
              "orchestrator_startup_ms_mean",
              Column.Type.DECIMAL,
              "ms",
              "mean orchestrator startup over the range"),
          new Column(
              "capabilities",
              Column.Type.STRING,
              "",
              "every pipeline/model it advertised, comma-separated"),
          new Column(
              "gpu_models", Column.Type.STRING, "", "GPU models it advertised, comma-separated"),
          new Column(
              "vram_gb_max",
              Column.Type.DECIMAL,
              "GB",
              "memory of its largest GPU, 10^9 bytes; null when unknown"),
          new Column(
              "region",
              Column.Type.STRING,
              "",
              "region of the signer's scraped metadata; empty when unknown"),
          new Column(
              "last_seen", Column.Type.TIMESTAMP, "", "latest capabilities snapshot that named it"),
          new Column(
              "price",
              Column.Type.DECIMAL,
              "wei/pixel",
              "latest price it advertised for the capabilities asked for (pricePerUnit /"
                  + " pixelsPerUnit; the highest of them); null when it advertised none"),
          new Column(
              "recent_work",
              Column.Type.INTEGER,
              "",
              "segments its signer served of those models in the "
                  + "hour before the range's end"));

  /** A query with the score's own weights and no price bound. */
  public DiscoveryQuery(
      Instant start,
      Instant end,
      List<String> caps,
      Double minScore,
      Double minFps,
      Double maxStartupMs,
      Double minVramGb,
      Set<String> gpuModels,
      Set<String> regions,
      Set<String> exclude,
      int limit,
      boolean includeTestLoad,
      Long shuffleSeed) {
    this(
        start,
        end,
        caps,
        minScore,
        minFps,
        maxStartupMs,
        null,
        minVramGb,
        gpuModels,
        regions,
        exclude,
        limit,
        includeTestLoad,
        shuffleSeed,
        ClickHouseMetricsQueries.SCORE_RELIABILITY_WEIGHT,
        ClickHouseMetricsQueries.SCORE_QUALITY_WEIGHT);
  }

  public DiscoveryQuery {
    caps = List.copyOf(caps);
    gpuModels = Set.copyOf(gpuModels);
    regions = Set.copyOf(regions);
    exclude = Set.copyOf(exclude);
    if (caps.isEmpty() || !start.isBefore(end) || limit < 1) {
      throw new IllegalArgumentException(
          "caps must not be empty, start must be before end, limit positive");
    }
    if (!(reliabilityWeight >= 0 && qualityWeight >= 0)
        || Math.abs(reliabilityWeight + qualityWeight - 1) > 1e-9) {
      throw new IllegalArgumentException("the weights must be non-negative and add up to 1");
    }
  }

  /** The model of a {@code pipeline/model} capability: NaaP's pipeline dimension. */
  static String model(String cap) {
    return cap.substring(cap.indexOf('/') + 1);
  }
}
