package dev.naap.events;

/**
 * One accepted go-livepeer event: the envelope plus the typed {@code data} of its family.
 *
 * <p>The accessors below are the columns every family shares. Strings are never null: they read
 * {@code ""} when the message does not carry the value. Family records add their own typed fields;
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
  String subtype();

  /**
   * When the event happened, in unix ms: {@code data.timestamp} where the payload carries one
   * (gateway or runner clock), else the envelope timestamp (gateway clock at enqueue).
   */
  long eventTimeMs();

  /** {@code data.stream_id}, or {@code ""}. */
  String streamId();

  /** {@code data.request_id} ({@code requestID} for payments), or {@code ""}. */
  String requestId();

  /**
   * {@code data.pipeline}; for {@code create_new_payment} the model part of a {@code
   * "<capability>_<model>"} manifest id; else {@code ""}.
   */
  String pipeline();

  /**
   * The lower-cased orchestrator signer address ({@code orchestrator_info.address} or the family's
   * equivalent, see docs/EVENTS.md), or {@code ""}.
   */
  String orchestratorAddress();

  /** The orchestrator service URL ({@code orchestrator_info.url} or equivalent), or {@code ""}. */
  String orchestratorUrl();

  /** True when {@code data.is_test_load} is {@code true} (synthetic load from the NaaP tester). */
  boolean testLoad();

  /** False for {@link UnsupportedEvent}: a family or subtype this contract does not model. */
  default boolean supported() {
    return true;
  }
}
