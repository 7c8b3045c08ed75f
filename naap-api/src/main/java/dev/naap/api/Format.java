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

  /**
   * {@code format=} wins; otherwise the {@code Accept} header decides: CSV when {@code text/csv}
   * has a higher quality than {@code application/json}, or an equal one and comes first; a type
   * with {@code q=0} is not acceptable. JSON when neither is acceptable.
   */
  static Format choose(QueryString q, String accept) {
    String explicit = q.single(Params.FORMAT);
    if (explicit != null) {
      return switch (explicit) {
        case "json" -> JSON;
        case "csv" -> CSV;
        default -> throw ApiProblem.badParameter(Params.FORMAT, "expected json or csv");
      };
    }
    if (accept == null) {
      return JSON;
    }
    Format best = JSON;
    double bestQuality = -1;
    for (String range : accept.toLowerCase(java.util.Locale.ROOT).split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].strip();
      Format f = type.equals("text/csv") ? CSV : type.equals("application/json") ? JSON : null;
      double quality = quality(parts);
      // q=0 means "not acceptable" (RFC 9110, 12.4.2); a q that is no number counts as 0.
      if (f != null && quality > 0 && quality > bestQuality) {
        best = f;
        bestQuality = quality;
      }
    }
    return best;
  }

  private static double quality(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].strip();
      if (p.startsWith("q=")) {
        try {
          return Double.parseDouble(p.substring(2));
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1;
  }
}
