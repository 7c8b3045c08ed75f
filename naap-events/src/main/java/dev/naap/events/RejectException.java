package dev.naap.events;

/**
 * Internal control flow for a rejection: thrown deep in a family reader, caught once by {@link
 * EventParser}. No stack trace, because rejections are expected input, not bugs.
 */
final class RejectException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_DETAIL_CHARS = 300;

  private final RejectReason reason;

  RejectException(RejectReason reason, String detail) {
    super(cut(detail), null, false, false);
    this.reason = reason;
  }

  private static String cut(String detail) {
    return detail.length() <= MAX_DETAIL_CHARS
        ? detail
        : detail.substring(0, MAX_DETAIL_CHARS) + "…";
  }

  ParseResult.Rejected toResult() {
    return new ParseResult.Rejected(reason, getMessage());
  }

  RejectReason reason() {
    return reason;
  }
}
