package dev.naap.api;

import dev.naap.metrics.query.Dimension;
import dev.naap.metrics.query.Granularity;
import dev.naap.metrics.query.InvalidQueryException;
import dev.naap.metrics.query.MetricsQueries;
import dev.naap.metrics.query.MetricsQuery;
import dev.naap.metrics.query.Report;
import dev.naap.metrics.query.Sort;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a request's parameters into an {@link ApiQuery}, checking every parameter against the
 * route's {@link ParamSpec}s; the first fault is a 400 that names the parameter. Thread-safe.
 */
final class QueryParser {

  static final int MAX_FILTER_VALUES = 50;

  private final MetricsQueries queries;
  private final Signer signer;
  private final Duration maxRange;

  QueryParser(MetricsQueries queries, Signer signer, Duration maxRange) {
    this.queries = queries;
    this.signer = signer;
    this.maxRange = maxRange;
  }

  /**
   * Parses the query of {@code path}; {@code report} is the report whose columns and groupings
   * {@code group_by} and {@code sort} refer to, null when the route has neither.
   */
  ApiQuery parse(
      String path,
      QueryString q,
      String accept,
      List<ParamSpec> specs,
      Report report,
      Instant now) {
    rejectUnknown(q, specs);
    Format format = Format.choose(q, accept);
    TimeRange range = TimeRange.resolve(q, now, maxRange);
    Map<Dimension, Set<String>> filters;
    List<Dimension> groupBy;
    Sort sort;
    try {
      // The query layer checks the shape against the report; its errors name the parameter.
      filters = filters(q, report);
      groupBy = report == null ? List.of() : queries.groupBy(report, groupByNames(q));
      sort = report == null ? null : queries.sort(report, groupBy, q.single(Params.SORT));
    } catch (InvalidQueryException e) {
      throw ApiProblem.invalid(e);
    }
    int limit = limit(q);
    boolean testLoad = bool(q, Params.INCLUDE_TEST_LOAD);
    String granularityText = q.single(Params.GRANULARITY);

    StringBuilder n = new StringBuilder(path).append('?');
    if (q.has(Params.START)) {
      n.append("start=").append(range.start()).append('&');
    } else {
      n.append("window=")
          .append(q.single(Params.WINDOW) == null ? "24h" : q.single(Params.WINDOW))
          .append('&');
    }
    if (q.has(Params.END)) {
      n.append("end=").append(range.end()).append('&');
    }
    n.append("granularity=").append(granularityText == null ? "auto" : granularityText);
    filters.forEach((d, values) -> {
      n.append('&').append(d.parameter()).append('=');
      // Length-prefixed, so that no value can imitate a separator.
      values.stream().sorted().forEach(v -> n.append(v.length()).append(':').append(v));
    });
    n.append("&group_by=")
        .append(String.join(",", groupBy.stream().map(Dimension::parameter).toList()));
    n.append("&sort=").append(sort == null ? "" : (sort.descending() ? "-" : "") + sort.column());
    n.append("&limit=").append(limit).append("&include_test_load=").append(testLoad);
    String normalised = n.toString();

    long offset = 0;
    String cursorText = q.single(Params.CURSOR);
    if (cursorText != null) {
      Cursor cursor = Cursor.decode(cursorText, signer, normalised);
      offset = cursor.offset();
      range = new TimeRange(cursor.start(), cursor.end());
    }
    Granularity granularity = GranularityPolicy.choose(granularityText, range);
    var query =
        new MetricsQuery(
            range.start(),
            range.end(),
            granularity,
            filters,
            groupBy,
            sort,
            limit,
            offset,
            testLoad);
    return new ApiQuery(query, format, normalised);
  }

  /** A 400 naming the first parameter of {@code q} that none of {@code specs} describes. */
  static void rejectUnknown(QueryString q, List<ParamSpec> specs) {
    for (String name : q.names()) {
      boolean known = specs.stream().anyMatch(s -> !s.inPath() && s.name().equals(name));
      if (!known) {
        throw ApiProblem.badParameter(name, "unknown parameter; this route takes "
            + specs.stream().filter(s -> !s.inPath()).map(ParamSpec::name).toList());
      }
    }
  }

  /** The filters of {@code q}; {@code report} null: a route over the sessions, not a report. */
  private Map<Dimension, Set<String>> filters(QueryString q, Report report) {
    Map<Dimension, Set<String>> filters = new EnumMap<>(Dimension.class);
    for (Dimension d : Dimension.values()) {
      List<String> values = q.all(d.parameter());
      if (values.isEmpty()) {
        continue;
      }
      if (report != null) {
        queries.checkFilter(report, d);
      } else if (!Params.SESSION_DIMENSIONS.contains(d)) {
        throw ApiProblem.badParameter(d.parameter(), "this route cannot be filtered by "
            + d.parameter() + "; it can by "
            + Params.SESSION_DIMENSIONS.stream().map(Dimension::parameter).toList());
      }
      if (values.size() > MAX_FILTER_VALUES) {
        throw ApiProblem.badParameter(d.parameter(), "at most " + MAX_FILTER_VALUES + " values");
      }
      Set<String> set = new TreeSet<>();
      for (String v : values) {
        if (v.isBlank()) {
          throw ApiProblem.badParameter(d.parameter(), "empty value");
        }
        // Addresses are stored lower-cased.
        set.add(d == Dimension.ORCHESTRATOR ? v.toLowerCase(Locale.ROOT) : v);
      }
      filters.put(d, set);
    }
    return filters;
  }

  /** The dimension names {@code group_by} gives, comma-separated or repeated. */
  private static List<String> groupByNames(QueryString q) {
    List<String> names = new ArrayList<>();
    for (String value : q.all(Params.GROUP_BY)) {
      names.addAll(List.of(value.split(",", -1)));
    }
    return names;
  }

  /** The page size asked for, {@link Params#DEFAULT_LIMIT} when absent. */
  static int limit(QueryString q) {
    String text = q.single(Params.LIMIT);
    if (text == null) {
      return Params.DEFAULT_LIMIT;
    }
    if (!text.matches("[0-9]{1,4}")
        || Integer.parseInt(text) < 1
        || Integer.parseInt(text) > Params.MAX_LIMIT) {
      throw ApiProblem.badParameter(
          Params.LIMIT, "expected an integer from 1 to " + Params.MAX_LIMIT);
    }
    return Integer.parseInt(text);
  }

  private static boolean bool(QueryString q, String name) {
    String text = q.single(name);
    if (text == null) {
      return false;
    }
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ApiProblem.badParameter(name, "expected true or false");
    };
  }
}
