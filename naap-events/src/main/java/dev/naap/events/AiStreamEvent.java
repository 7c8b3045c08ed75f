package dev.naap.events;

import java.util.List;

/**
 * An {@code ai_stream_events} event, one record per modelled {@code data.type}. Subtypes other
 * than these four (runner events the gateway relays as they come) are accepted as {@link
 * UnsupportedEvent}.
 */
public sealed interface AiStreamEvent extends Event
    permits AiStreamEvent.ParamsUpdate,
        AiStreamEvent.GatewayError,
        AiStreamEvent.RunnerError,
        AiStreamEvent.Restart {

  /** The envelope type of this family. */
  String FAMILY = "ai_stream_events";

  /** The orchestrator the gateway attached; {@link OrchestratorInfo#EMPTY} when absent. */
  OrchestratorInfo orchestratorInfo();

  @Override
  default String orchestratorAddress() {
    return orchestratorInfo().address();
  }

  @Override
  default String orchestratorUrl() {
    return orchestratorInfo().url();
  }

  /**
   * {@code params_update}: the gateway wrote stream params to the orchestrator's control channel
   * (from {@code /update}, or replayed to a new orchestrator). No data timestamp: the event time
   * is the envelope's.
   *
   * @param paramsJson {@code data.params} (the client's raw JSON) as compact JSON, or {@code ""}
   */
  record ParamsUpdate(
      Envelope envelope,
      String streamId,
      String requestId,
      String pipelineId,
      String pipeline,
      String paramsJson,
      OrchestratorInfo orchestratorInfo,
      boolean testLoad)
      implements AiStreamEvent {

    /** The {@code data.type} of this record. */
    public static final String SUBTYPE = "params_update";

    @Override
    public String subtype() {
      return SUBTYPE;
    }

    @Override
    public long eventTimeMs() {
      return envelope.timestampMs();
    }
  }

  /**
   * {@code error} sent by the gateway ({@code LiveErrorEventSender}): every value is a string and
   * a {@code capability} key is present. No data timestamp: the event time is the envelope's.
   *
   * @param message the error text, e.g. "whip disconnected"
   */
  record GatewayError(
      Envelope envelope,
      String streamId,
      String requestId,
      String pipelineId,
      String pipeline,
      String capability,
      String message,
      OrchestratorInfo orchestratorInfo,
      boolean testLoad)
      implements AiStreamEvent {

    /** The {@code data.type} of this record (shared with {@link RunnerError}). */
    public static final String SUBTYPE = "error";

    @Override
    public String subtype() {
      return SUBTYPE;
    }

    @Override
    public long eventTimeMs() {
      return envelope.timestampMs();
    }
  }

  /**
   * {@code error} sent by the runner's process guardian and relayed by the gateway: it has no
   * {@code capability} key.
   *
   * @param timestampMs {@code data.timestamp} (runner clock), or null
   * @param timeSeconds {@code data.time}: unix time in float seconds (runner clock), or null
   */
  record RunnerError(
      Envelope envelope,
      Long timestampMs,
      Double timeSeconds,
      String streamId,
      String requestId,
      String pipelineId,
      String pipeline,
      String message,
      OrchestratorInfo orchestratorInfo,
      boolean testLoad)
      implements AiStreamEvent {

    @Override
    public String subtype() {
      return GatewayError.SUBTYPE;
    }

    @Override
    public long eventTimeMs() {
      return timestampMs != null ? timestampMs : envelope.timestampMs();
    }
  }

  /**
   * {@code restart}: the runner restarted its pipeline process.
   *
   * @param timestampMs {@code data.timestamp} (runner clock), or null
   * @param restartCount {@code data.restart_count}, or null
   * @param restartTimeSeconds {@code data.restart_time}: unix time in float seconds, or null
   * @param restartLogs {@code data.restart_logs}; empty when absent
   */
  record Restart(
      Envelope envelope,
      Long timestampMs,
      String streamId,
      String requestId,
      String pipelineId,
      String pipeline,
      Integer restartCount,
      Double restartTimeSeconds,
      List<String> restartLogs,
      OrchestratorInfo orchestratorInfo,
      boolean testLoad)
      implements AiStreamEvent {

    /** The {@code data.type} of this record. */
    public static final String SUBTYPE = "restart";

    /** Copies the log list so the record stays immutable. */
    public Restart {
      restartLogs = List.copyOf(restartLogs);
    }

    @Override
    public String subtype() {
      return SUBTYPE;
    }

    @Override
    public long eventTimeMs() {
      return timestampMs != null ? timestampMs : envelope.timestampMs();
    }
  }
}
