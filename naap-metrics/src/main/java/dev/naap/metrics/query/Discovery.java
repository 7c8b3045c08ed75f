package dev.naap.metrics.query;

import dev.naap.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Discovery (docs/API.md, "Discovery"): the nodes gateways saw advertise the capabilities asked
 * for, each with its signer's score for those pipelines ({@link Report#ORCHESTRATOR_SCORES}),
 * filtered and ranked. The node list and the scores are two statements; joining and ranking a few
 * thousand nodes is done here.
 */
final class Discovery {

  /** A node is listed when a capabilities snapshot named it at most this long before the end. */
  static final Duration SEEN_WITHIN = Duration.ofHours(1);

  private static final List<Column> NODE =
      List.of(
          new Column("signer", Column.Type.STRING, "", ""),
          new Column("address", Column.Type.STRING, "", ""),
          new Column("capabilities", Column.Type.STRING, "", ""),
          new Column("gpu_models", Column.Type.STRING, "", ""),
          new Column("last_seen_ms", Column.Type.INTEGER, "", ""),
          new Column("region", Column.Type.STRING, "", ""),
          new Column("vram_bytes", Column.Type.INTEGER, "", ""),
          new Column("node", Column.Type.STRING, "", ""));

  private static final List<Column> PRICE =
      List.of(
          new Column("signer", Column.Type.STRING, "", ""),
          new Column("node", Column.Type.STRING, "", ""),
          new Column("model", Column.Type.STRING, "", ""),
          new Column("price", Column.Type.DECIMAL, "", ""));
  private static final List<Column> WORK =
      List.of(
          new Column("signer", Column.Type.STRING, "", ""),
          new Column("model", Column.Type.STRING, "", ""),
          new Column("recent_segments", Column.Type.INTEGER, "", ""));
  private static final long HOUR_SECONDS = 3600;

  private final Store store;
  private final ClickHouseMetricsQueries queries;
  private final String nodesSql = SqlTemplate.load("discover_nodes.sql").fill(Map.of());
  private final String pricesSql = SqlTemplate.load("discover_prices.sql").fill(Map.of());
  private final String recentWorkSql;

  Discovery(Store store, ClickHouseMetricsQueries queries, RollupRows rows) {
    this.store = store;
    this.queries = queries;
    this.recentWorkSql = SqlTemplate.load("discover_recent_work.sql")
        .fill(Map.of("rows", rows.buckets("rollup_hour", "bucket_hour", "")));
  }

  private record Ranked(List<Object> row, Double score) {}

  Page discover(DiscoveryQuery q) {
    Map<String, Object> params = new HashMap<>();
    params.put("seen_from", q.end().minus(SEEN_WITHIN).toEpochMilli());
    params.put("to_ms", q.end().toEpochMilli());
    params.put("caps", q.caps());
    params.put("gpu_models", List.copyOf(q.gpuModels()));
    params.put("regions", List.copyOf(q.regions()));
    params.put("exclude", List.copyOf(q.exclude()));
    params.put(
        "min_vram_bytes", q.minVramGb() == null ? 0L : (long) Math.ceil(q.minVramGb() * 1e9));
    List<List<Object>> nodes = Results.read(store, nodesSql, params, NODE);
    if (nodes.isEmpty()) {
      return new Page(DiscoveryQuery.COLUMNS, List.of(), false);
    }
    Map<String, Map<String, Object>> scores = scores(q, nodes);
    Set<String> models = new LinkedHashSet<>(q.caps().stream().map(DiscoveryQuery::model).toList());
    Set<String> signers = new LinkedHashSet<>();
    nodes.forEach(n -> signers.add((String) n.get(0)));
    params.put("signers", List.copyOf(signers));
    params.put("models", List.copyOf(models));
    Map<String, Double> prices = new HashMap<>();
    for (List<Object> p : Results.read(store, pricesSql, params, PRICE)) {
      prices.put(p.get(0) + "\t" + p.get(1) + "\t" + p.get(2), (Double) p.get(3));
    }
    long endHour = Math.floorDiv(q.end().getEpochSecond(), HOUR_SECONDS) * HOUR_SECONDS;
    Map<String, Object> workParams =
        new HashMap<>(
            Map.of(
                "from",
                endHour - HOUR_SECONDS,
                "to",
                endHour + HOUR_SECONDS,
                "include_test_load",
                q.includeTestLoad(),
                "signers",
                List.copyOf(signers),
                "models",
                List.copyOf(models)));
    Map<String, Long> work = new HashMap<>();
    for (List<Object> w : Results.read(store, recentWorkSql, workParams, WORK)) {
      work.put(w.get(0) + "\t" + w.get(1), (Long) w.get(2));
    }
    List<Ranked> ranked = new ArrayList<>();
    for (List<Object> node : nodes) {
      String signer = (String) node.get(0);
      Map<String, Object> worst = null;
      String reason = null;
      for (String model : models) {
        Map<String, Object> s = scores.get(signer + "\t" + model);
        if (s == null || s.get("score") == null) {
          reason = s == null ? "no_segments" : (String) s.get("score_null_reason");
          worst = s;
          break;
        }
        if (worst == null || (Double) s.get("score") < (Double) worst.get("score")) {
          worst = s;
        }
      }
      Map<String, Object> w = worst == null ? Map.of() : worst;
      Double score = reason == null ? (Double) w.get("score") : null;
      Double fps = (Double) w.get("output_fps_mean");
      Double startup = (Double) w.get("orchestrator_startup_ms_mean");
      // With several capabilities, the highest price: what the gateway may pay for any of them.
      Double price = null;
      long recent = 0;
      for (String model : models) {
        Double p = prices.get(signer + "\t" + node.get(7) + "\t" + model);
        if (p == null) {
          price = null;
          break;
        }
        price = price == null ? p : Math.max(price, p);
      }
      for (String model : models) {
        recent += work.getOrDefault(signer + "\t" + model, 0L);
      }
      if ((q.minScore() != null && (score == null || score < q.minScore()))
          || (q.minFps() != null && (fps == null || fps < q.minFps()))
          || (q.maxStartupMs() != null && (startup == null || startup > q.maxStartupMs()))
          || (q.maxPrice() != null && (price == null || price > q.maxPrice()))) {
        continue;
      }
      List<Object> row = new ArrayList<>();
      row.add(node.get(1));
      row.add(signer);
      row.add(score);
      row.add(reason == null ? w.get("score_low") : null);
      row.add(reason == null ? w.get("score_high") : null);
      row.add(reason);
      row.add(w.getOrDefault("segments", 0L));
      row.add(w.get("reliability"));
      row.add(w.get("quality"));
      row.add(fps);
      row.add(startup);
      row.add(node.get(2));
      row.add(node.get(3));
      long vram = (Long) node.get(6);
      row.add(vram > 0 ? vram / 1e9 : null);
      row.add(node.get(5));
      row.add(Instant.ofEpochMilli((Long) node.get(4)));
      row.add(price);
      row.add(recent);
      ranked.add(new Ranked(row, score));
    }
    ranked.sort(Comparator.comparing(Ranked::score, Comparator.nullsLast(Comparator.reverseOrder()))
        .thenComparing(r -> (String) r.row().get(0)));
    if (q.shuffleSeed() != null) {
      shuffleWithinTiers(ranked, new Random(q.shuffleSeed()));
    }
    boolean more = ranked.size() > q.limit();
    return new Page(
        DiscoveryQuery.COLUMNS, ranked.stream().limit(q.limit()).map(Ranked::row).toList(), more);
  }

  /**
   * The tier of a score: its band of {@link DiscoveryQuery#TIER_POINTS} points; null scores last.
   */
  static long tier(Double score) {
    return score == null ? Long.MIN_VALUE : (long) Math.floor(score / DiscoveryQuery.TIER_POINTS);
  }

  private static void shuffleWithinTiers(List<Ranked> ranked, Random random) {
    for (int from = 0; from < ranked.size(); ) {
      int to = from;
      while (to < ranked.size() && tier(ranked.get(to).score()) == tier(ranked.get(from).score())) {
        to++;
      }
      Collections.shuffle(ranked.subList(from, to), random);
      from = to;
    }
  }

  /** The score rows of the nodes' signers for the models asked for, keyed by signer and model. */
  private Map<String, Map<String, Object>> scores(DiscoveryQuery q, List<List<Object>> nodes) {
    Set<String> signers = new LinkedHashSet<>();
    nodes.forEach(n -> signers.add((String) n.get(0)));
    Set<String> models = new LinkedHashSet<>(q.caps().stream().map(DiscoveryQuery::model).toList());
    Map<String, Map<String, Object>> byKey = new HashMap<>();
    int pageSize = 1000;
    for (long offset = 0; ; offset += pageSize) {
      Page page =
          queries.scores(
              new MetricsQuery(
                  q.start(),
                  q.end(),
                  Granularity.HOUR,
                  Map.of(Dimension.ORCHESTRATOR, signers, Dimension.PIPELINE, models),
                  List.of(),
                  null,
                  pageSize,
                  offset,
                  q.includeTestLoad()),
              q.reliabilityWeight(),
              q.qualityWeight());
      for (List<Object> r : page.rows()) {
        Map<String, Object> m = new HashMap<>();
        for (int c = 0; c < page.columns().size(); c++) {
          m.put(page.columns().get(c).name(), r.get(c));
        }
        byKey.put(m.get("orchestrator_address") + "\t" + m.get("pipeline"), m);
      }
      if (!page.hasMore()) {
        return byKey;
      }
    }
  }
}
