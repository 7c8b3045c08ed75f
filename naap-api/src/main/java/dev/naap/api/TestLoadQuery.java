package dev.naap.api;

import dev.naap.metrics.query.TestLoadResults;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A validated request to a test-load route: the range, the filters, the page and the format, and
 * the normal form of its parameters (defaults filled in) that cursors are signed with and the
 * response cache is keyed by.
 *
 * @param range the resolved range; from the cursor when there is one, so a window does not slide
 * @param filter the tests asked for
 * @param limit the page size
 * @param offset the first row of the page
 * @param format the response format
 * @param normalised the path and the parameters in normal form, without cursor and format, before
 *     time resolution
 */
record TestLoadQuery(
    TimeRange range,
    TestLoadResults.Filter filter,
    int limit,
    int offset,
    Format format,
    String normalised) {

  /** Checks {@code q} against {@code specs}; the first fault is a 400 naming the parameter. */
  static TestLoadQuery parse(
      String path,
      QueryString q,
      String accept,
      List<ParamSpec> specs,
      Signer signer,
      Duration maxRange,
      Instant now) {
    QueryParser.rejectUnknown(q, specs);
    Format format = Format.choose(q, accept);
    TimeRange range = TimeRange.resolve(q, now, maxRange);
    var filter = new TestLoadResults.Filter(values(q, Params.ORCHESTRATOR),
        values(q, Params.PIPELINE), outcomes(q));
    int limit = QueryParser.limit(q);

    StringBuilder n = new StringBuilder(path).append('?');
    if (q.has(Params.START)) {
      n.append("start=").append(range.start());
    } else {
      n.append("window=").append(q.single(Params.WINDOW) == null ? "24h" : q.single(Params.WINDOW));
    }
    if (q.has(Params.END)) {
      n.append("&end=").append(range.end());
    }
    // Length-prefixed, so that no value can imitate a separator.
    filters(filter).forEach((name, values) -> {
      n.append('&').append(name).append('=');
      values.forEach(v -> n.append(v.length()).append(':').append(v));
    });
    n.append("&limit=").append(limit);
    String normalised = n.toString();

    int offset = 0;
    String cursorText = q.single(Params.CURSOR);
    if (cursorText != null) {
      Cursor cursor = Cursor.decode(cursorText, signer, normalised);
      // Signed by this server, so at most one page past a row count the store could hold.
      offset = Math.toIntExact(cursor.offset());
      range = new TimeRange(cursor.start(), cursor.end());
    }
    return new TestLoadQuery(range, filter, limit, offset, format, normalised);
  }

  /** The response cache key: the normal form plus what it resolved to. */
  String cacheKey() {
    return normalised + "|" + range.start() + "/" + range.end() + "|" + offset + "|" + format;
  }

  /** The cursor of the page after this one, which ends after {@code rows} rows. */
  String nextCursor(Signer signer, int rows) {
    return new Cursor((long) offset + rows, range.start(), range.end()).encode(signer, normalised);
  }

  /** The scope {@code meta} describes: the range and the filters given. */
  Meta.Scope scope(List<String> groupBy) {
    return new Meta.Scope(range.start(), range.end(), null, filters(filter), groupBy, null);
  }

  /** The filters given, by parameter name in a fixed order, each with its values sorted. */
  private static Map<String, List<String>> filters(TestLoadResults.Filter filter) {
    Map<String, List<String>> given = new LinkedHashMap<>();
    put(given, Params.ORCHESTRATOR, filter.orchestrators());
    put(given, Params.PIPELINE, filter.pipelines());
    put(given, Params.OUTCOME, filter.outcomes());
    return given;
  }

  private static void put(Map<String, List<String>> given, String name, Set<String> values) {
    if (!values.isEmpty()) {
      given.put(name, List.copyOf(new TreeSet<>(values)));
    }
  }

  /**
   * The values of a repeatable filter, bounded as on the metric routes: none empty, at most {@link
   * QueryParser#MAX_FILTER_VALUES}.
   */
  private static Set<String> values(QueryString q, String name) {
    List<String> values = q.all(name);
    if (values.size() > QueryParser.MAX_FILTER_VALUES) {
      throw ApiProblem.badParameter(name, "at most " + QueryParser.MAX_FILTER_VALUES + " values");
    }
    for (String v : values) {
      if (v.isBlank()) {
        throw ApiProblem.badParameter(name, "empty value");
      }
    }
    return new TreeSet<>(values);
  }

  private static Set<String> outcomes(QueryString q) {
    Set<String> values = values(q, Params.OUTCOME);
    for (String v : values) {
      if (!TestLoadResults.OUTCOMES.contains(v)) {
        throw ApiProblem.badParameter(Params.OUTCOME,
            "expected one of " + TestLoadResults.OUTCOMES);
      }
    }
    return values;
  }
}
