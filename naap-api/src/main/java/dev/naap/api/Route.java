package dev.naap.api;

import dev.naap.metrics.query.Report;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One route: its path template, what it is for, the parameters it takes, and its endpoint. The
 * OpenAPI document is generated from these descriptors.
 *
 * @param template the path, with {@code {name}} for a path segment that is a parameter
 * @param operationId the OpenAPI operation id (the method name in generated clients)
 * @param summary one line for the OpenAPI document
 * @param description a paragraph for the OpenAPI document
 * @param params the parameters it accepts; any other is a 400
 * @param body what the 200 answer holds, for the OpenAPI document
 * @param limited whether requests count against the client's quota
 * @param endpoint what it does
 */
record Route(
    String template,
    String operationId,
    String summary,
    String description,
    List<ParamSpec> params,
    Body body,
    boolean limited,
    Endpoint endpoint) {

  Route {
    params = List.copyOf(params);
  }

  /** The shape of a route's 200 answer. */
  sealed interface Body {}

  /** The envelope with one report's rows (JSON or CSV). */
  record ReportRows(Report report) implements Body {}

  /** The envelope with an object or rows whose schema is described by the route itself. */
  record Described(String schemaName, boolean csv) implements Body {}

  /** A non-envelope body: the media type and, for JSON, a schema name (null for free-form). */
  record Raw(String mediaType, String schemaName) implements Body {}

  /** The path parameters (as sent) when {@code path} matches this template, else null. */
  Map<String, String> match(String path) {
    String[] want = template.split("/", -1);
    String[] got = path.split("/", -1);
    if (want.length != got.length) {
      return null;
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < want.length; i++) {
      if (want[i].startsWith("{") && want[i].endsWith("}")) {
        if (got[i].isEmpty()) {
          return null;
        }
        params.put(want[i].substring(1, want[i].length() - 1), got[i]);
      } else if (!want[i].equals(got[i])) {
        return null;
      }
    }
    return params;
  }
}
