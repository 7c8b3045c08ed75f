package dev.naap.api;

/** The representations of a response: the JSON envelope or the same rows as CSV. */
enum Format {
  JSON("application/json"),
  CSV("text/csv; charset=utf-8; header=present");

  private final String contentType;

  Format(String contentType) {
    this.contentType = contentType;
  }

  String contentType() {
    return contentType;
  }

  /** {@code format=} wins; otherwise {@code Accept: text/csv} asks for CSV. */
  static Format choose(QueryString q, String accept) {
    String explicit = q.single(Params.FORMAT);
    if (explicit != null) {
      return switch (explicit) {
        case "json" -> JSON;
        case "csv" -> CSV;
        default -> throw ApiProblem.badParameter(Params.FORMAT, "expected json or csv");
      };
    }
    return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/csv") ? CSV : JSON;
  }
}
