package dev.naap.api;

import dev.naap.metrics.query.InvalidQueryException;

/**
 * A request the API answers with an RFC 9457 problem: the status, a short title, a detail written
 * for the caller and, for a bad parameter, its name. Messages never carry internals (SQL, stack
 * traces, store errors): they are written here, for the caller.
 */
final class ApiProblem extends RuntimeException {

  private final int status;
  private final String title;
  private final String parameter;

  ApiProblem(int status, String title, String detail, String parameter) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.parameter = parameter;
  }

  /** A 400 naming the parameter at fault. */
  static ApiProblem badParameter(String parameter, String detail) {
    return new ApiProblem(400, "Invalid parameter", detail, parameter);
  }

  /** A 400 for a query the query layer refused, naming the parameter it names. */
  static ApiProblem invalid(InvalidQueryException e) {
    return badParameter(e.parameter(), e.getMessage());
  }

  static ApiProblem notFound(String detail) {
    return new ApiProblem(404, "Not found", detail, null);
  }

  int status() {
    return status;
  }

  String title() {
    return title;
  }

  /** The offending parameter, or null when the problem is not about one. */
  String parameter() {
    return parameter;
  }

  String detail() {
    return getMessage();
  }
}
