package dev.naap.events;

/**
 * Internal control flow for a rejection: thrown deep in a family reader, caught once by {@link
 * EventParser}. No stack trace, because rejections are expected input, not bugs.
 */
final class RejectException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final RejectReason reason;

  RejectException(RejectReason reason, String detail) {
    super(RejectReason.cut(detail), null, false, false);
    this.reason = reason;
  }

  ParseResult.Rejected toResult() {
    return new ParseResult.Rejected(reason, getMessage());
  }

  RejectReason reason() {
    return reason;
  }
}
