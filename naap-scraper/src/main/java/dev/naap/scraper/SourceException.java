package dev.naap.scraper;

/**
 * Why one source could not be scraped: a {@link Kind} that metrics and the run log group by, and a
 * message naming the source and what went wrong. Thrown inside the scraper only; callers see it
 * recorded in {@code scrape_sources}.
 */
final class SourceException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The failure classes recorded in {@code scrape_sources.error_kind} and the metrics. */
  enum Kind {
    /** No complete answer within the attempt timeout (never answers, trickles bytes). */
    TIMEOUT(true),
    /** TCP connect refused or unreachable, or the connection broke. */
    CONNECT(true),
    /** TLS handshake failed. */
    TLS(true),
    /** The answer had a status other than 200 (and not a followed redirect). */
    HTTP_STATUS(true),
    /** More redirects than allowed, or a redirect loop. */
    REDIRECT(false),
    /** The body exceeded the size limit. */
    TOO_LARGE(false),
    /** The body is not JSON. */
    INVALID_JSON(false),
    /** JSON, but not the expected shape or types. */
    INVALID_SHAPE(false),
    /**
     * The answer was good but could not be written to the store: the write is retried, and the
     * source, which answered, is not backed off.
     */
    STORE(true),
    /** Anything else: a bug or an unexpected I/O error. */
    OTHER(true);

    final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    /** The lower-case label used in tables and metrics. */
    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Kind kind;
  private final Integer httpStatus;

  SourceException(Kind kind, String message, Integer httpStatus, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.httpStatus = httpStatus;
  }

  SourceException(Kind kind, String message) {
    this(kind, message, null, null);
  }

  Kind kind() {
    return kind;
  }

  /** The HTTP status of the answer, or null when there was none. */
  Integer httpStatus() {
    return httpStatus;
  }
}
