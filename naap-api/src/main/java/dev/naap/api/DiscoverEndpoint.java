package dev.naap.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.naap.metrics.query.ClickHouseMetricsQueries;
import dev.naap.metrics.query.DiscoveryQuery;
import dev.naap.metrics.query.Page;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /v1/discover/orchestrators}: the nodes able to serve the {@code caps} asked for, ranked by
 * score after hard filters (docs/API.md, "Discovery"). {@code format=webhook} answers what
 * go-livepeer's {@code -orchWebhookUrl} reads: a JSON array of {@code {"address": "<service
 * URL>"}}.
 */
final class DiscoverEndpoint implements Endpoint {

  static final String PATH = "/v1/discover/orchestrators";
  static final String CAPS = "caps";
  static final String MIN_SCORE = "min_score";
  static final String MIN_FPS = "min_fps";
  static final String MAX_STARTUP_MS = "max_startup_ms";
  static final String MAX_PRICE = "max_price";
  static final String RELIABILITY_WEIGHT = "reliability_weight";
  static final String QUALITY_WEIGHT = "quality_weight";
  static final String MIN_VRAM_GB = "min_vram_gb";
  static final String GPU_MODEL = "gpu_model";
  static final String REGION = "region";
  static final String EXCLUDE = "exclude";
  static final String SHUFFLE = "shuffle";
  static final String SEED = "seed";
  static final List<String> FORMATS = List.of("json", "csv", "webhook");

  /** Gateways refresh their webhook list about once a minute. */
  static final Duration TTL = Duration.ofSeconds(30);
  static final Duration MAX_RANGE = Duration.ofDays(30);

  /** Last good answers kept, one per request shape; a gateway asks for a handful. */
  static final int LAST_GOOD_ENTRIES = 1_000;

  private static final JsonFactory JSON = new JsonFactory();

  private final Services s;

  /** The last good answer per request shape (parameters without the resolved times). */
  private final Cache<String, Good> lastGood =
      Caffeine.newBuilder().maximumSize(LAST_GOOD_ENTRIES).build();

  private volatile List<String> fallback = List.of();

  private record Good(Page page, Instant dataAsOf, Instant at) {}

  DiscoverEndpoint(Services services) {
    this.s = services;
  }

  /**
   * Service URLs to answer when the store fails and no good answer was kept yet; empty (the
   * default) answers the store's 503.
   */
  void fallback(List<String> urls) {
    for (String url : urls) {
      URI uri = URI.create(url);
      if (!uri.isAbsolute() || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "a discovery fallback must be an absolute URL, such as https://host:8935");
      }
    }
    this.fallback = List.copyOf(urls);
  }

  static List<ParamSpec> params() {
    return List.of(
        ParamSpec.repeatable(
                CAPS,
                "Capability as pipeline/model (live-video-to-video/streamdiffusion), repeatable; a"
                    + " node must advertise every one.")
            .asRequired(),
        ParamSpec.query(
            MIN_SCORE,
            "number",
            null,
            "Keep nodes whose score is at least this (0-100); a null score fails."),
        ParamSpec.query(
            MIN_FPS,
            "number",
            null,
            "Keep nodes whose mean output FPS over the range is at least this."),
        ParamSpec.query(
            MAX_STARTUP_MS,
            "number",
            null,
            "Keep nodes whose mean orchestrator startup over the range is at most this (ms)."),
        ParamSpec.query(
            MAX_PRICE,
            "number",
            null,
            "Keep nodes whose latest advertised price for the capabilities is at most this (wei per"
                + " pixel); a node without a price fails."),
        ParamSpec.query(
            RELIABILITY_WEIGHT,
            "number",
            null,
            "Weight of reliability in the score (default 0.7); alone, 0 to 1 and quality weighs the"
                + " rest; with quality_weight, both are divided by their sum."),
        ParamSpec.query(
            QUALITY_WEIGHT,
            "number",
            null,
            "Weight of quality in the score (default 0.3); as reliability_weight."),
        ParamSpec.query(
            MIN_VRAM_GB,
            "number",
            null,
            "Keep nodes with a GPU of at least this memory, in GB of 10^9 bytes (an RTX 4090 has"
                + " 25.8)."),
        ParamSpec.repeatable(
            GPU_MODEL, "Keep nodes advertising one of these GPU models (repeatable)."),
        ParamSpec.repeatable(
            REGION, "Keep nodes whose signer's region is one of these (repeatable)."),
        ParamSpec.repeatable(
            EXCLUDE, "Leave out these signer addresses or service URLs (repeatable)."),
        ParamSpec.query(
            SHUFFLE,
            "boolean",
            "false",
            "Shuffle the nodes within each tier of "
                + (int) DiscoveryQuery.TIER_POINTS
                + " score points, so "
                + "load spreads among near-equals; a better tier still comes first."),
        ParamSpec.query(
            SEED,
            "integer",
            null,
            "The shuffle's seed, for an order of your own (default: the minute of `end`)."),
        ParamSpec.query(
            Params.START,
            "string",
            null,
            "Start of the range the score covers, RFC 3339. Not with `window`."),
        ParamSpec.query(
            Params.END,
            "string",
            null,
            "End of the range, RFC 3339. Default: now (rounded up to the minute)."),
        ParamSpec.choice(
            Params.WINDOW, TimeRange.WINDOWS, "24h", "Length of the range ending at `end`."),
        Params.limit("Rows, 1 to " + Params.MAX_LIMIT + ", best first."),
        ParamSpec.query(
            Params.INCLUDE_TEST_LOAD,
            "boolean",
            "false",
            "Score on the load tester's streams too."),
        ParamSpec.choice(
            Params.FORMAT,
            FORMATS,
            "json",
            "`json` (the envelope), `csv`, or `webhook`: a bare JSON array of {\"address\": URL}"
                + " for go-livepeer's -orchWebhookUrl."));
  }

  @Override
  public Prepared prepare(ApiRequest request) {
    QueryString q = request.query();
    QueryParser.rejectUnknown(q, params());
    String formatText = q.single(Params.FORMAT);
    if (formatText != null && !FORMATS.contains(formatText)) {
      throw ApiProblem.badParameter(Params.FORMAT, "expected json, csv or webhook");
    }
    boolean webhook = "webhook".equals(formatText);
    // The webhook answer is always JSON; otherwise format and Accept choose as on every route.
    Format format = webhook ? Format.JSON : Format.choose(q, request.accept());
    TimeRange range = TimeRange.resolve(q, request.now(), MAX_RANGE);
    List<String> caps = new ArrayList<>(new TreeSet<>(values(q, CAPS, false)));
    if (caps.isEmpty()) {
      throw ApiProblem.badParameter(CAPS, "give at least one capability as pipeline/model");
    }
    for (String cap : caps) {
      int slash = cap.indexOf('/');
      if (slash < 1 || slash == cap.length() - 1 || cap.indexOf('/', slash + 1) >= 0) {
        throw ApiProblem.badParameter(
            CAPS, "expected pipeline/model, such as live-video-to-video/streamdiffusion");
      }
    }
    Set<String> excluded = new TreeSet<>();
    values(q, EXCLUDE, false)
        .forEach(v -> excluded.add(v.toLowerCase(Locale.ROOT).replaceAll("/+$", "")));
    double[] weights = weights(q);
    DiscoveryQuery dq = new DiscoveryQuery(range.start(), range.end(), caps, number(q, MIN_SCORE),
        number(q, MIN_FPS), number(q, MAX_STARTUP_MS), number(q, MAX_PRICE), number(q, MIN_VRAM_GB),
        new TreeSet<>(values(q, GPU_MODEL, false)),
        new TreeSet<>(values(q, REGION, false)), excluded, QueryParser.limit(q),
        bool(q, Params.INCLUDE_TEST_LOAD),
        shuffleSeed(q, range.end()), weights[0], weights[1]);
    // Every value length-prefixed, so that exclude=a%2C%20b (one value) and exclude=a&exclude=b
    // (two) are two shapes: the cache and the last good answers must not mix them up.
    String shape =
        new Shape()
            .add(PATH)
            .addAll(caps)
            .add(dq.minScore())
            .add(dq.minFps())
            .add(dq.maxStartupMs())
            .add(dq.maxPrice())
            .add(dq.reliabilityWeight())
            .add(dq.minVramGb())
            .addAll(dq.gpuModels())
            .addAll(dq.regions())
            .addAll(excluded)
            .add(dq.limit())
            .add(dq.includeTestLoad())
            .add(q.single(SHUFFLE))
            .add(q.single(SEED))
            .add(q.single(Params.START))
            .add(q.single(Params.END))
            .add(q.single(Params.WINDOW))
            .add(webhook ? "webhook" : format)
            .toString();
    String key = shape + "|" + dq.start() + "/" + dq.end() + "|" + dq.shuffleSeed();
    return new Endpoint.Prepared(
        key,
        () -> {
          Good good;
          Map<String, Object> extra;
          try {
            record Result(Page page, Instant dataAsOf) {}
            Result r =
                s.runner().run(() -> {
                  var both = Beside.run(() -> s.queries().discover(dq), s.queries()::dataAsOf);
                  return new Result(both.main(), both.side());
                });
            good = new Good(r.page(), r.dataAsOf(), request.now());
            lastGood.put(shape, good);
            extra = Map.of("stale", false);
          } catch (ApiProblem p) {
            if (p.status() != 503) {
              throw p;
            }
            // The store failed: a gateway is better served by the last good list than by none.
            good = lastGood.getIfPresent(shape);
            if (good == null && fallback.isEmpty()) {
              throw p;
            }
            if (good == null) {
              good = new Good(fallbackPage(), null, null);
              extra = Map.of("stale", true, "fallback", true);
            } else {
              extra =
                  Map.of(
                      "stale",
                      true,
                      "stale_age_seconds",
                      Duration.between(good.at(), request.now()).toSeconds());
            }
          }
          // A stale answer is not cached: the next request tries the store again.
          Duration ttl = Boolean.TRUE.equals(extra.get("stale")) ? Duration.ZERO : TTL;
          Map<String, String> headers =
              Boolean.TRUE.equals(extra.get("stale"))
                  ? Map.of(
                      "X-Naap-Stale",
                      extra.containsKey("fallback")
                          ? "fallback"
                          : "age=" + extra.get("stale_age_seconds"))
                  : Map.of();
          if (webhook) {
            return new Response(
                200, "application/json", webhookBody(good.page()), good.dataAsOf(), ttl, headers);
          }
          Meta meta =
              new Meta(
                  new Meta.Scope(
                      dq.start(),
                      dq.end(),
                      null,
                      Map.of(CAPS, caps),
                      List.of(),
                      dq.includeTestLoad()),
                  request.now(),
                  good.dataAsOf(),
                  good.page().columns(),
                  extra);
          Response r =
              Pages.response(
                  format,
                  ttl,
                  request,
                  meta,
                  Bodies.rows(good.page().columns(), good.page().rows()),
                  good.page().columns(),
                  good.page().rows(),
                  null);
          return headers.isEmpty()
              ? r
              : new Response(
                  r.status(), r.contentType(), r.body(), r.lastModified(), r.maxAge(), headers);
        });
  }

  /** The configured fallback URLs as rows with nothing but their address. */
  private Page fallbackPage() {
    List<List<Object>> rows = new ArrayList<>();
    for (String url : fallback) {
      List<Object> row =
          new ArrayList<>(java.util.Collections.nCopies(DiscoveryQuery.COLUMNS.size(), null));
      row.set(0, url);
      row.set(5, "fallback");
      rows.add(row);
    }
    return new Page(DiscoveryQuery.COLUMNS, rows, false);
  }

  /**
   * Exactly what go-livepeer's webhook discovery unmarshals: [{"address": "https://host:port"}, …].
   */
  static byte[] webhookBody(Page page) {
    int address =
        page.columns()
            .indexOf(
                page.columns().stream()
                    .filter(c -> c.name().equals("address"))
                    .findFirst()
                    .orElseThrow());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      for (List<Object> row : page.rows()) {
        g.writeStartObject();
        g.writeStringField("address", (String) row.get(address));
        g.writeEndObject();
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * A request shape as a key no value can forge: each value as its length, ':' and itself, null
   * as '-', each set as its size, '#' and its sorted values.
   */
  static final class Shape {
    private final StringBuilder b = new StringBuilder();

    Shape add(Object value) {
      if (value == null) {
        b.append('-');
      } else {
        String text = value.toString();
        b.append(text.length()).append(':').append(text);
      }
      return this;
    }

    Shape addAll(Collection<String> values) {
      b.append(values.size()).append('#');
      new TreeSet<>(values).forEach(this::add);
      return this;
    }

    @Override
    public String toString() {
      return b.toString();
    }
  }

  private static List<String> values(QueryString q, String name, boolean allowEmpty) {
    List<String> values = q.all(name);
    if (values.size() > QueryParser.MAX_FILTER_VALUES) {
      throw ApiProblem.badParameter(name, "at most " + QueryParser.MAX_FILTER_VALUES + " values");
    }
    for (String v : values) {
      if (!allowEmpty && v.isBlank()) {
        throw ApiProblem.badParameter(name, "empty value");
      }
    }
    return values;
  }

  /**
   * The score's weights (reliability, quality), adding up to 1; the defaults when neither is given.
   */
  private static double[] weights(QueryString q) {
    Double r = number(q, RELIABILITY_WEIGHT);
    Double w = number(q, QUALITY_WEIGHT);
    if (r == null && w == null) {
      return new double[] {ClickHouseMetricsQueries.SCORE_RELIABILITY_WEIGHT,
          ClickHouseMetricsQueries.SCORE_QUALITY_WEIGHT};
    }
    if (r == null || w == null) {
      double given = r != null ? r : w;
      if (given > 1) {
        throw ApiProblem.badParameter(r != null ? RELIABILITY_WEIGHT : QUALITY_WEIGHT,
            "alone, a weight is 0 to 1 (the other weighs the rest)");
      }
      return r != null ? new double[] {r, 1 - r} : new double[] {1 - w, w};
    }
    if (r + w == 0) {
      throw ApiProblem.badParameter(RELIABILITY_WEIGHT, "the two weights must not both be 0");
    }
    if (!Double.isFinite(r + w)) {
      // 1e308 twice: the sum overflows, and the weights divided by it are not a score's weights.
      throw ApiProblem.badParameter(r >= w ? RELIABILITY_WEIGHT : QUALITY_WEIGHT,
          "the two weights' sum must be a finite number; only their ratio counts");
    }
    return new double[] {r / (r + w), w / (r + w)};
  }

  private static Double number(QueryString q, String name) {
    String text = q.single(name);
    if (text == null) {
      return null;
    }
    try {
      double v = Double.parseDouble(text);
      if (!Double.isFinite(v) || v < 0 || text.length() > 32) {
        throw ApiProblem.badParameter(name, "expected a finite number, 0 or more");
      }
      return v;
    } catch (NumberFormatException e) {
      throw ApiProblem.badParameter(name, "expected a number");
    }
  }

  private static boolean bool(QueryString q, String name) {
    String text = q.single(name);
    if (text == null || text.equals("false")) {
      return false;
    }
    if (text.equals("true")) {
      return true;
    }
    throw ApiProblem.badParameter(name, "expected true or false");
  }

  /**
   * Null without {@code shuffle=true}; the seed given, else the minute of {@code end}: the order
   * changes every minute and equal requests still share the response cache.
   */
  private static Long shuffleSeed(QueryString q, Instant end) {
    String seed = q.single(SEED);
    if (!bool(q, SHUFFLE)) {
      if (seed != null) {
        throw ApiProblem.badParameter(SEED, "only with shuffle=true");
      }
      return null;
    }
    if (seed == null) {
      return end.getEpochSecond() / 60;
    }
    if (!seed.matches("-?[0-9]{1,18}")) {
      throw ApiProblem.badParameter(SEED, "expected an integer of at most 18 digits");
    }
    return Long.parseLong(seed);
  }
}
