package dev.naap.metrics.query;

import dev.naap.store.Rows;
import dev.naap.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link MetricsQueries} over a NaaP store: every report is one SQL statement from this package's
 * {@code .sql} resources, reading the rollups ({@code rollup_minute}, {@code rollup_hour}, {@code
 * rollup_day}, {@code demand_minute}, {@code demand_hour}), the capabilities snapshots and the
 * scraped metadata, never raw events. Each bucket is read in its latest
 * computed version only. Values are bound as query parameters; identifiers come from the {@link
 * Catalogue}. Definitions: docs/METRICS.md. Thread-safe (stateless over a thread-safe store).
 */
public final class ClickHouseMetricsQueries implements MetricsQueries {

  /** The overview's active streams: the most streams in one minute of the period's last minutes. */
  public static final int ACTIVE_MINUTES = Overview.ACTIVE_MINUTES;

  /**
   * How long a network_capabilities snapshot stays the supply of later buckets when no newer one
   * comes: a gateway that published nothing for a day before the range says nothing about it.
   */
  public static final Duration SUPPLY_LOOKBACK = Duration.ofDays(1);

  /** The score's prior: pseudo-segments at the network's rates added to every orchestrator's. */
  public static final double SCORE_PRIOR_SEGMENTS = 10;
  /** The score's weights of reliability and quality (they add up to 1). */
  public static final double SCORE_RELIABILITY_WEIGHT = 0.7;
  public static final double SCORE_QUALITY_WEIGHT = 0.3;

  /**
   * The score's cohort: the pipeline over this long before the range's end (the range if longer).
   */
  public static final Duration SCORE_COHORT = Duration.ofDays(7);

  /** How long an advertised price stays in force when no newer snapshot repeats it. */
  public static final Duration PRICE_MAX_AGE = SUPPLY_LOOKBACK;

  /**
   * Orchestrator metadata from events (a signer without a current scraped version): how much older
   * than the signer's latest network_capabilities listing a node's latest may be and still count
   * among its nodes. A gateway may list a signer's nodes in different snapshots.
   */
  public static final Duration NODE_LISTING_MAX_AGE = SUPPLY_LOOKBACK;

  /**
   * How old the {@link #dataAsOf()} a request reports may be: concurrent requests share one read
   * of the watermark instead of each adding a statement beside its own.
   */
  public static final Duration DATA_AS_OF_MAX_AGE = Duration.ofSeconds(1);

  private static final Duration HOUR = Duration.ofHours(1);
  /** The one bucket of granularity {@code all}; {@link #run} labels it with the range's start. */
  private static final String WHOLE_RANGE = "toDateTime({from:Int64}, 'UTC')";
  private static final String PAGE = "LIMIT {limit:UInt64} OFFSET {offset:UInt64}";
  /** The group keys of the rollup tables' sort key, in its order, after the bucket. */
  private static final List<Dimension> ROLLUP_KEY = List.of(Dimension.ORCHESTRATOR,
      Dimension.GPU_ID, Dimension.PIPELINE, Dimension.REGION, Dimension.GATEWAY);
  private static final List<String> SLA_TARGET_FIELDS =
      List.of("pipeline", "ptff_ms", "fps", "jitter", "objective", "startup_ms");

  private final Store store;
  private final RollupRows rows = new RollupRows();
  private final SqlTemplate gpuMetrics = SqlTemplate.load("gpu_metrics.sql");
  private final SqlTemplate gpuPagePrefixes = SqlTemplate.load("gpu_page_prefixes.sql");
  private final SqlTemplate slaCompliance = SqlTemplate.load("sla_compliance.sql");
  private final SqlTemplate networkDemand = SqlTemplate.load("network_demand.sql");
  private final SqlTemplate demandMinutes = SqlTemplate.load("demand_minutes.sql");
  private final SqlTemplate demandHours = SqlTemplate.load("demand_hours.sql");
  private final SqlTemplate orchestrators = SqlTemplate.load("orchestrators.sql");
  private final SqlTemplate orchestratorScores = SqlTemplate.load("orchestrator_scores.sql");
  private final String scorePriceColumns =
      SqlTemplate.load("score_price_columns.sql").fill(Map.of());
  private final SqlTemplate reliability = SqlTemplate.load("reliability.sql");
  private final SqlTemplate orchestratorGpus = SqlTemplate.load("orchestrator_gpus.sql");
  private final SqlTemplate networkEconomics = SqlTemplate.load("network_economics.sql");
  private final SqlTemplate networkPrices = SqlTemplate.load("network_prices.sql");
  private final SqlTemplate networkCapacity = SqlTemplate.load("network_capacity.sql");
  private final LiveStreams live;
  private final String slaTargetsSql = SqlTemplate.load("sla_targets.sql").fill(Map.of());
  private final String dataAsOfSql = SqlTemplate.load("data_as_of.sql").fill(Map.of());
  private final String latestMigrationSql = SqlTemplate.load("latest_migration.sql").fill(Map.of());

  private final Overview overview;
  private final Discovery discovery;
  private final Recent<Instant> dataAsOf = new Recent<>(this::readDataAsOf, DATA_AS_OF_MAX_AGE);

  public ClickHouseMetricsQueries(Store store) {
    this.store = store;
    this.overview = new Overview(store, rows);
    this.discovery = new Discovery(store, this, rows);
    this.live = new LiveStreams(store);
  }

  @Override
  public List<Column> columns(Report report, List<Dimension> groupBy) {
    return Catalogue.columns(report, groupBy);
  }

  @Override
  public List<Dimension> groupable(Report report) {
    return Catalogue.groupable(report);
  }

  @Override
  public List<Dimension> defaultGroupBy(Report report) {
    return Catalogue.defaultGroupBy(report);
  }

  @Override
  public List<Dimension> filterable(Report report) {
    return Catalogue.filterable(report);
  }

  /**
   * @throws IllegalArgumentException when a bucketed report's range exceeds its granularity's
   *     {@link Granularity#maxRange()}
   */
  @Override
  public Page run(Report report, MetricsQuery query) {
    QueryParts parts = new QueryParts(report, query);
    if (Catalogue.bucketed(report)
        && Duration.between(query.start(), query.end()).compareTo(query.granularity().maxRange())
            > 0) {
      throw new IllegalArgumentException("a range of at most " + query.granularity().maxRange()
          + " is allowed at granularity " + query.granularity().label());
    }
    Page page =
        switch (report) {
          case GPU_METRICS -> gpuMetrics(parts, query.granularity());
          case NETWORK_DEMAND -> networkDemand(parts, query.granularity());
          case SLA_COMPLIANCE -> rangeReport(parts, slaCompliance);
          case ORCHESTRATORS -> orchestrators(parts, query);
          case ORCHESTRATOR_SCORES ->
              scores(parts, query, SCORE_RELIABILITY_WEIGHT, SCORE_QUALITY_WEIGHT, true);
          case RELIABILITY -> reliability(parts);
          case NETWORK_ECONOMICS -> economics(parts, query.granularity());
          case NETWORK_PRICES -> prices(parts, query.granularity());
          case NETWORK_CAPACITY -> capacity(parts);
        };
    return query.granularity() == Granularity.ALL ? startingAt(page, query.start()) : page;
  }

  /**
   * The page with {@code start} as every row's {@code window_start}: the whole range's one bucket
   * is read from the hours that start in it, and named after the range, not its first hour.
   */
  private static Page startingAt(Page page, Instant start) {
    int column = page.columns().indexOf(Catalogue.WINDOW_START);
    if (column < 0) {
      return page;
    }
    List<List<Object>> rows = new ArrayList<>(page.rows().size());
    for (List<Object> row : page.rows()) {
      List<Object> labelled = new ArrayList<>(row);
      labelled.set(column, start);
      rows.add(labelled);
    }
    return new Page(page.columns(), rows, page.hasMore());
  }

  /**
   * The range's buckets of {@code granularity}; for {@code all}, one bucket of the hours that
   * start in the range, the rows 1h and 1d read (and the range reports): on whole hours, the
   * range exactly.
   */
  private static Map<String, Object> bucketParams(QueryParts parts, Granularity granularity) {
    return granularity == Granularity.ALL ? parts.wholeRange(HOUR)
        : parts.params(granularity.width());
  }

  private static String window(Granularity granularity, String minute, String hour) {
    return switch (granularity) {
      case MINUTE -> minute;
      case FIVE_MINUTES -> "toStartOfFiveMinutes(" + minute + ")";
      case HOUR -> hour;
      case DAY -> "toStartOfDay(" + hour + ")";
      case ALL -> WHOLE_RANGE;
    };
  }

  private Page economics(QueryParts parts, Granularity granularity) {
    boolean minutes = granularity.width().compareTo(HOUR) < 0;
    String rollup = minutes ? rows.buckets("fee_minute", "bucket_minute", parts.filters())
        : rows.buckets("fee_hour", "bucket_hour", parts.filters());
    String sql = networkEconomics.fill(Map.of("rows", rollup,
        "window", window(granularity, "bucket_minute", "bucket_hour"),
        "keys", parts.keys(), "group", parts.group(), "order", parts.order()));
    Map<String, Object> params = bucketParams(parts, granularity);
    // Days are read from whole hours; a range that cuts a day reads only its hours inside.
    return fetch(parts, sql, params);
  }

  /** Prices in force at each bucket's end: for {@code all}, at the range's end. */
  private Page prices(QueryParts parts, Granularity granularity) {
    String sql = networkPrices.fill(Map.of("filters", parts.filters(),
        "keys", parts.keys(), "group", parts.group(), "order", parts.order()));
    Map<String, Object> params = bucketParams(parts, granularity);
    params.put("price_max_age_s", PRICE_MAX_AGE.toSeconds());
    return fetch(parts, sql, params);
  }

  private Page capacity(QueryParts parts) {
    String sql = networkCapacity.fill(Map.of("filters", parts.filters(), "keys", parts.keys(),
        "group", parts.group(), "group_only", parts.groupOnly(), "order", parts.order()));
    Map<String, Object> params = parts.params(Duration.ofSeconds(1));
    return fetch(parts, sql, params);
  }

  @Override
  public Live live(Map<Dimension, Set<String>> filters, boolean includeTestLoad, Instant at) {
    return live.at(filters, includeTestLoad, at);
  }

  /**
   * At {@code all} the quantile states of every row in the range merge into one per group: the
   * quantiles of all the range's samples, as at any other granularity within one bucket.
   */
  private Page gpuMetrics(QueryParts parts, Granularity granularity) {
    String window = switch (granularity) {
      case MINUTE -> "bucket_minute";
      case FIVE_MINUTES -> "toStartOfFiveMinutes(bucket_minute)";
      case HOUR -> "bucket_hour";
      case DAY -> "bucket_day";
      case ALL -> WHOLE_RANGE;
    };
    // Days are cut to the range (whole days from rollup_day, the hours at either end from
    // rollup_hour): a 24 h window ending at 00:10 is two partial days, not ten minutes.
    String rollupRows = switch (granularity) {
      case MINUTE, FIVE_MINUTES -> rows.buckets("rollup_minute", "bucket_minute", parts.filters());
      case HOUR -> rows.buckets("rollup_hour", "bucket_hour", parts.filters());
      case DAY -> rows.days(parts.filters());
      case ALL -> rows.range(parts.filters());
    };
    Map<String, Object> params = switch (granularity) {
      case DAY -> RollupRows.withDays(parts.params(HOUR));
      case ALL -> RollupRows.withDays(parts.wholeRange(HOUR));
      default -> parts.params(granularity.width());
    };
    Map<String, String> fill = new HashMap<>(Map.of(
        "rows", rollupRows, "window", window,
        "keys", parts.keys(), "group", parts.group(), "order", parts.order()));
    List<Dimension> prefix = parts.windowFirstPrefix(ROLLUP_KEY);
    if (!prefix.isEmpty()) {
      // The order follows the tables' sort key: the page's groups are among those of the first
      // leading keys, which a scan in the tables' order finds without grouping the range.
      String keys = prefix.stream().map(d -> ", " + d.column()).collect(Collectors.joining());
      String prefixes = gpuPagePrefixes.fill(
          Map.of("rows", rollupRows, "window", window, "prefix", keys));
      fill.put("page_filter", "AND (" + window + keys + ") IN (" + prefixes + ")");
      fill.put("page", PAGE);
      params.put("prefix_limit", (Long) params.get("offset") + (Long) params.get("limit"));
      return fetch(parts, gpuMetrics.fill(fill), params);
    }
    // Otherwise the inner copy picks the page by grouping every row of the range.
    fill.put("page_filter", "");
    fill.put("page", PAGE);
    String page = gpuMetrics.fill(fill);
    fill.put("page_filter", "AND (toInt64(toUnixTimestamp(" + window + "))" + parts.group()
        + ") IN (SELECT window_start" + parts.group() + " FROM (" + page + "))");
    fill.put("page", "");
    return fetch(parts, gpuMetrics.fill(fill), params);
  }

  /** At {@code all}, supply is the latest snapshot before the range's end. */
  private Page networkDemand(QueryParts parts, Granularity granularity) {
    boolean byGateway = parts.grouping().contains(Dimension.GATEWAY);
    boolean minutes = granularity.width().compareTo(HOUR) < 0;
    String demand = (minutes ? demandMinutes : demandHours).fill(Map.of(
        "window", switch (granularity) {
          case MINUTE -> "bucket_minute";
          case FIVE_MINUTES -> "toStartOfFiveMinutes(bucket_minute)";
          case HOUR -> "bucket_hour";
          case DAY -> "toStartOfDay(bucket_hour)";
          case ALL -> WHOLE_RANGE;
        },
        "filters", parts.filters(), "keys", parts.keys(), "group", parts.group()));
    String sql = networkDemand.fill(Map.of(
        "demand", demand,
        "supply_key", byGateway ? "gateway" : "''",
        "gateway_filter", parts.filter(Dimension.GATEWAY, "gateway"),
        "filters", parts.filters(),
        "keys", parts.keys(), "group", parts.group(), "order", parts.order()));
    Map<String, Object> params = bucketParams(parts, granularity);
    params.put("supply_lookback_s", SUPPLY_LOOKBACK.toSeconds());
    return fetch(parts, sql, params);
  }

  /** A report over the hours that start in the range, with no time buckets. */
  private Page rangeReport(QueryParts parts, SqlTemplate template) {
    String sql = template.fill(Map.of("rows", rows.range(parts.filters()), "keys", parts.keys(),
        "group_only", parts.groupOnly(), "order", parts.order()));
    return fetch(parts, sql, RollupRows.withDays(parts.params(HOUR)));
  }

  private Page orchestrators(QueryParts parts, MetricsQuery query) {
    Map<String, Object> params = parts.params(HOUR);
    Set<Dimension> activityFilters = EnumSet.noneOf(Dimension.class);
    activityFilters.addAll(query.filters().keySet());
    activityFilters.remove(Dimension.ORCHESTRATOR);
    params.put("activity_only", !activityFilters.isEmpty());
    params.put("node_max_age_s", NODE_LISTING_MAX_AGE.toSeconds());
    String sql = orchestrators.fill(Map.of(
        "rows", rows.range(parts.filters()),
        "orchestrator_filter", parts.filter(Dimension.ORCHESTRATOR, "local_address"),
        "order", parts.order()));
    return fetch(parts, sql, RollupRows.withDays(params));
  }

  /**
   * The scores with other weights than the defaults (discovery's user weights; they add up to 1).
   */
  Page scores(MetricsQuery query, double reliabilityWeight, double qualityWeight) {
    return scores(new QueryParts(Report.ORCHESTRATOR_SCORES, query), query, reliabilityWeight,
        qualityWeight, false);
  }

  /** The scores, with the price beside each when {@code withPrice} (discovery prices nodes). */
  private Page scores(QueryParts parts, MetricsQuery query, double reliabilityWeight,
      double qualityWeight, boolean withPrice) {
    Map<String, Object> params = scoreParams(parts, query, reliabilityWeight, qualityWeight);
    params.put("with_price", withPrice);
    String sql =
        orchestratorScores.fill(
            Map.of(
                "rows",
                rows.range(parts.filters()),
                "cohort_rows",
                cohortRows(parts),
                "window",
                "toDateTime(0, 'UTC')",
                "window_key",
                "",
                "gpu_key",
                parts.grouping().contains(Dimension.GPU_MODEL) ? "gpu_model, " : "",
                "price_columns",
                withPrice ? scorePriceColumns : "",
                "order",
                parts.order()));
    if (withPrice) {
      return fetch(parts, sql, params);
    }
    // The price's columns are the last.
    int n = parts.columns().size() - Catalogue.SCORE_PRICE_MEASURES.size();
    List<Column> columns = parts.columns().subList(0, n);
    List<List<Object>> rows =
        Results.read(store, sql, params, columns, parts.fields().subList(0, n));
    boolean more = rows.size() > query.limit();
    return new Page(columns, more ? rows.subList(0, query.limit()) : rows, more);
  }

  /** The breakdown over the range; its degraded hours read the hours from one before the range. */
  private Page reliability(QueryParts parts) {
    Map<String, Object> params = RollupRows.withDays(parts.params(HOUR));
    params.put("h_from", (Long) params.get("from") - HOUR.toSeconds());
    String hourRows =
        rows.buckets("rollup_hour", "bucket_hour", parts.filters()).replace("{from:", "{h_from:");
    String sql =
        reliability.fill(
            Map.of(
                "rows",
                rows.range(parts.filters()),
                "hour_rows",
                hourRows,
                "keys",
                parts.keys(),
                "group",
                parts.group(),
                "group_only",
                parts.groupOnly(),
                "order",
                parts.order()));
    return fetch(parts, sql, params);
  }

  @Override
  public Page scoreHistory(String address, MetricsQuery query) {
    if (Duration.between(query.start(), query.end()).compareTo(Granularity.HOUR.maxRange()) > 0) {
      throw new IllegalArgumentException(
          "a range of at most " + Granularity.HOUR.maxRange() + " is allowed");
    }
    MetricsQuery q =
        new MetricsQuery(
            query.start(),
            query.end(),
            Granularity.HOUR,
            Map.of(Dimension.ORCHESTRATOR, Set.of(address.toLowerCase(Locale.ROOT))),
            query.groupBy(),
            null,
            query.limit(),
            query.offset(),
            query.includeTestLoad());
    QueryParts parts = new QueryParts(Report.ORCHESTRATOR_SCORES, q);
    boolean byGpuModel = parts.grouping().contains(Dimension.GPU_MODEL);
    Map<String, Object> params =
        scoreParams(parts, q, SCORE_RELIABILITY_WEIGHT, SCORE_QUALITY_WEIGHT);
    params.put("with_price", false);
    String sql =
        orchestratorScores.fill(
            Map.of(
                "rows",
                rows.buckets("rollup_hour", "bucket_hour", parts.filters()),
                "cohort_rows",
                cohortRows(parts),
                "window",
                "bucket_hour",
                "window_key",
                "toInt64(toUnixTimestamp(window_start)) AS window_start, ",
                "gpu_key",
                byGpuModel ? "gpu_model, " : "",
                "price_columns",
                "",
                "order",
                "window_start, orchestrator_address, pipeline" + (byGpuModel ? ", gpu_model" : "")));
    List<Column> columns = MetricsQueries.scoreHistoryColumns(q.groupBy());
    List<String> fields = new ArrayList<>(List.of(Catalogue.WINDOW_START.name()));
    fields.addAll(parts.fields().subList(0, columns.size() - 1)); // the price's are last
    List<List<Object>> all = Results.read(store, sql, params, columns, fields);
    boolean more = all.size() > q.limit();
    return new Page(columns, more ? all.subList(0, q.limit()) : all, more);
  }

  /**
   * The parameters of a score query: the range's hours, the cohort's ("c_"), the prior, the
   * weights and the price's age; the caller says whether to price the rows ({@code with_price}).
   */
  private static Map<String, Object> scoreParams(
      QueryParts parts, MetricsQuery query, double reliabilityWeight, double qualityWeight) {
    Map<String, Object> params = RollupRows.withDays(parts.params(HOUR));
    Instant cohortStart = query.end().minus(SCORE_COHORT);
    Map<String, Object> cohort = new HashMap<>();
    cohort.put(
        "from",
        QueryParts.alignUp(
            cohortStart.isBefore(query.start()) ? cohortStart : query.start(), HOUR));
    cohort.put("to", params.get("to"));
    RollupRows.withDays(cohort).forEach((k, v) -> params.put("c_" + k, v));
    params.put("prior", SCORE_PRIOR_SEGMENTS);
    params.put("price_max_age_s", PRICE_MAX_AGE.toSeconds());
    params.put("w_reliability", reliabilityWeight);
    params.put("w_quality", qualityWeight);
    return params;
  }

  /** The cohort: the pipeline's whole network, so only a pipeline filter applies to it. */
  private String cohortRows(QueryParts parts) {
    return rows.range(parts.filter(Dimension.PIPELINE, "pipeline"))
        .replace("{from:", "{c_from:").replace("{to:", "{c_to:")
        .replace("{day_from:", "{c_day_from:").replace("{day_to:", "{c_day_to:");
  }

  private Page fetch(QueryParts parts, String sql, Map<String, Object> params) {
    return parts.page(Results.read(store, sql, params, parts.columns(), parts.fields()));
  }

  @Override
  public Instant dataAsOf() {
    return dataAsOf.get();
  }

  private Instant readDataAsOf() {
    Rows rows = Rows.query(store, dataAsOfSql, Map.of(), List.of("watermark_ms"));
    return rows.isEmpty() ? null : Instant.ofEpochMilli(rows.single().integer("watermark_ms"));
  }

  @Override
  public long latestMigration() {
    return Rows.query(store, latestMigrationSql, Map.of(), List.of("latest_migration")).single()
        .count("latest_migration");
  }

  @Override
  public List<SlaTargets> slaTargets() {
    List<SlaTargets> targets = new ArrayList<>();
    for (Rows.Row r : Rows.query(store, slaTargetsSql, Map.of(), SLA_TARGET_FIELDS)) {
      String pipeline = r.string("pipeline");
      targets.add(new SlaTargets(pipeline.isEmpty() ? "*" : pipeline, r.integer("ptff_ms"),
          r.decimal("fps"), r.decimal("jitter"), r.decimal("objective"), r.integer("startup_ms")));
    }
    return targets;
  }

  @Override
  public Optional<OrchestratorDetail> orchestrator(String address, MetricsQuery query) {
    String orchestrator = address.toLowerCase(Locale.ROOT);
    Map<Dimension, Set<String>> only = Map.of(Dimension.ORCHESTRATOR, Set.of(orchestrator));
    Page metadata = run(Report.ORCHESTRATORS, new MetricsQuery(query.start(), query.end(),
        query.granularity(), only, List.of(), null, 1, 0, query.includeTestLoad()));
    if (metadata.rows().isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> params = new HashMap<>();
    params.put("address", orchestrator);
    params.put("from", QueryParts.alignUp(query.start(), HOUR));
    params.put("to", QueryParts.alignUp(query.end(), HOUR));
    params.put("include_test_load", query.includeTestLoad());
    params.put("node_max_age_s", NODE_LISTING_MAX_AGE.toSeconds());
    String sql = orchestratorGpus.fill(Map.of("rows", rows.range("")));
    Page gpus = new Page(Catalogue.ORCHESTRATOR_GPUS, Results.read(store, sql,
        RollupRows.withDays(params), Catalogue.ORCHESTRATOR_GPUS), false);
    Page history = run(Report.GPU_METRICS, new MetricsQuery(query.start(), query.end(),
        query.granularity(), only, List.of(Dimension.ORCHESTRATOR), query.sort(), query.limit(),
        query.offset(), query.includeTestLoad()));
    return Optional.of(new OrchestratorDetail(metadata, gpus, history));
  }

  @Override
  public Page discover(DiscoveryQuery query) {
    return discovery.discover(query);
  }

  @Override
  public List<Headline> overview(MetricsQuery query) {
    return overview.headlines(query);
  }
}
