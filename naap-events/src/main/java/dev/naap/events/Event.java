package dev.naap.events;

/**
 * One accepted go-livepeer event: the envelope plus the typed {@code data} of its family.
 *
 * <p>The accessors below are the columns every family shares. Strings are never null: they read
 * {@code ""} when the message does not carry the value, which is what the defaults return; a
 * family overrides those it carries. Family records add their own typed fields;
 * use a {@code switch} over this sealed interface to reach them. Every implementation is an
 * immutable record and therefore thread-safe.
 */
public sealed interface Event
    permits StreamTrace,
        AiStreamStatus,
        AiStreamEvent,
        StreamIngestMetrics,
        DiscoveryResults,
        NetworkCapabilities,
        CreateNewPayment,
        CreateSignedTicket,
        UnsupportedEvent {

  /** The envelope, including the original message text. */
  Envelope envelope();

  /** The envelope id (dedupe key). */
  default String id() {
    return envelope().id();
  }

  /** The event family: the envelope {@code type}. */
  default String family() {
    return envelope().type();
  }

  /**
   * {@code data.type} for the families that have one ({@code stream_trace}, {@code
   * ai_stream_events}; always {@code "status"} for {@code ai_stream_status}), else {@code ""}.
   */
  default String subtype() {
    return "";
  }

  /**
   * When the event happened, in unix ms: {@code data.timestamp} where the payload carries one
   * (gateway or runner clock), else the envelope timestamp (gateway clock at enqueue).
   */
  default long eventTimeMs() {
    return envelope().timestampMs();
  }

  /** {@code data.stream_id}, or {@code ""}. */
  default String streamId() {
    return "";
  }

  /** {@code data.request_id} ({@code requestID} for payments), or {@code ""}. */
  default String requestId() {
    return "";
  }

  /**
   * {@code data.pipeline}; for {@code create_new_payment} the model part of a {@code
   * "<capability>_<model>"} manifest id; else {@code ""}.
   */
  default String pipeline() {
    return "";
  }

  /**
   * The lower-cased orchestrator signer address ({@code orchestrator_info.address} or the family's
   * equivalent, see docs/EVENTS.md), or {@code ""}.
   */
  default String orchestratorAddress() {
    return "";
  }

  /** The orchestrator service URL ({@code orchestrator_info.url} or equivalent), or {@code ""}. */
  default String orchestratorUrl() {
    return "";
  }

  /** True when {@code data.is_test_load} is {@code true} (synthetic load from the NaaP tester). */
  default boolean testLoad() {
    return false;
  }

  /** False for {@link UnsupportedEvent}: a family or subtype this contract does not model. */
  default boolean supported() {
    return true;
  }
}
