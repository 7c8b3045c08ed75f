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
 * Discovery (docs/API.md, "Discovery"): the nodes gateways saw advertise the capabilities asked for,
 * each with its signer's score for those pipelines ({@link Report#ORCHESTRATOR_SCORES}), filtered and
 * ranked. The node list and the scores are two statements; joining and ranking a few thousand
 * nodes is done here.
 */
final class Discovery {

  /** A node is listed when a capabilities snapshot named it at most this long before the end. */
  static final Duration SEEN_WITHIN = Duration.ofHours(1);

  private static final List<Column> NODE = List.of(
      new Column("signer", Column.Type.STRING, "", ""), new Column("address", Column.Type.STRING, "", ""),
      new Column("capabilities", Column.Type.STRING, "", ""), new Column("gpu_models", Column.Type.STRING, "", ""),
      new Column("last_seen_ms", Column.Type.INTEGER, "", ""), new Column("region", Column.Type.STRING, "", ""),
      new Column("vram_bytes", Column.Type.INTEGER, "", ""));

  private final Store store;
  private final MetricsQueries queries;
  private final String nodesSql = SqlTemplate.load("discover_nodes.sql").fill(Map.of());

  Discovery(Store store, MetricsQueries queries) {
    this.store = store;
    this.queries = queries;
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
    params.put("min_vram_bytes", q.minVramGb() == null ? 0L : (long) Math.ceil(q.minVramGb() * 1e9));
    List<List<Object>> nodes = TabSeparated.rows(store.queryText(nodesSql, params), NODE);
    if (nodes.isEmpty()) {
      return new Page(DiscoveryQuery.COLUMNS, List.of(), false);
    }
    Map<String, Map<String, Object>> scores = scores(q, nodes);
    Set<String> models = new LinkedHashSet<>(q.caps().stream().map(DiscoveryQuery::model).toList());
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
      if ((q.minScore() != null && (score == null || score < q.minScore()))
          || (q.minFps() != null && (fps == null || fps < q.minFps()))
          || (q.maxStartupMs() != null && (startup == null || startup > q.maxStartupMs()))) {
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
      ranked.add(new Ranked(row, score));
    }
    ranked.sort(Comparator.comparing(Ranked::score, Comparator.nullsLast(Comparator.reverseOrder()))
        .thenComparing(r -> (String) r.row().get(0)));
    if (q.shuffleSeed() != null) {
      shuffleWithinTiers(ranked, new Random(q.shuffleSeed()));
    }
    boolean more = ranked.size() > q.limit();
    return new Page(DiscoveryQuery.COLUMNS, ranked.stream().limit(q.limit()).map(Ranked::row).toList(), more);
  }

  /** The tier of a score: its band of {@link DiscoveryQuery#TIER_POINTS} points; null scores last. */
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
      Page page = queries.run(Report.ORCHESTRATOR_SCORES, new MetricsQuery(q.start(), q.end(), Granularity.HOUR,
          Map.of(Dimension.ORCHESTRATOR, signers, Dimension.PIPELINE, models), List.of(), null, pageSize, offset,
          q.includeTestLoad()));
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
