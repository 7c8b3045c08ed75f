package dev.naap.events;

import java.util.Objects;

/** The outcome of {@link EventParser#parse(byte[])}: an accepted event or a rejection. */
public sealed interface ParseResult {

  /** The message is a valid envelope; {@code event} is never null. */
  record Accepted(Event event) implements ParseResult {
    /** Checks that {@code event} is present. */
    public Accepted {
      Objects.requireNonNull(event, "event");
    }
  }

  /**
   * The message was rejected. {@code detail} is short human text that names the field path, e.g.
   * {@code "data.inference_status.fps: expected number, got string"}.
   */
  record Rejected(RejectReason reason, String detail) implements ParseResult {
    /** Checks that both parts are present. */
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
