package dev.naap.events;

import java.util.List;

/**
 * An {@code ai_stream_status} event: the runner's {@code PipelineStatus}, sent every 10 s and
 * relayed by the gateway. All times are unix ms on the runner host's clock; numbers are boxed and
 * null when absent or JSON null.
 *
 * @param timestampMs {@code data.timestamp}: when the runner emitted the status
 * @param state {@code data.state}: LOADING, OFFLINE, ONLINE, DEGRADED_INPUT, DEGRADED_INFERENCE or
 *     ERROR (other values are kept as sent); {@code ""} when absent
 * @param startTimeMs {@code data.start_time}
 * @param lastStateUpdateTimeMs {@code data.last_state_update_time}
 * @param lastStatusTimestampMs {@code data.last_status_timestamp}
 * @param gpuId {@code data.gpu_id}, else {@code data.orchestrator_info.gpu_id}, else {@code ""}
 */
public record AiStreamStatus(
    Envelope envelope,
    Long timestampMs,
    String streamId,
    String requestId,
    String pipelineId,
    String pipeline,
    String state,
    Long startTimeMs,
    Long lastStateUpdateTimeMs,
    Long lastStatusTimestampMs,
    InputStatus inputStatus,
    InferenceStatus inferenceStatus,
    OrchestratorInfo orchestratorInfo,
    String gpuId,
    boolean testLoad)
    implements Event {

  /** The envelope type of this family. */
  public static final String FAMILY = "ai_stream_status";

  /** The only {@code data.type} of this family. */
  public static final String SUBTYPE = "status";

  /**
   * {@code data.input_status}; never null, fields null when absent.
   *
   * @param fps input frames per second over about 10 s
   * @param lastInputTimeMs when the last input frame arrived
   */
  public record InputStatus(Double fps, Long lastInputTimeMs) {}

  /**
   * {@code data.inference_status}; never null, fields null (numbers) or empty when absent.
   *
   * @param fps output frames per second over about 10 s (loading and overlay frames excluded)
   * @param lastParamsJson {@code last_params} as compact JSON; {@code ""} when null (the runner
   *     sends it once, then nulls it)
   * @param lastError {@code last_error}; {@code ""} when null
   * @param lastRestartLogs {@code last_restart_logs}; empty when null
   */
  public record InferenceStatus(
      Double fps,
      Long lastOutputTimeMs,
      Long lastParamsUpdateTimeMs,
      String lastParamsJson,
      String lastParamsHash,
      String lastError,
      Long lastErrorTimeMs,
      Long lastRestartTimeMs,
      List<String> lastRestartLogs,
      Integer restartCount) {

    /** Copies the log list so the record stays immutable. */
    public InferenceStatus {
      lastRestartLogs = List.copyOf(lastRestartLogs);
    }
  }

  @Override
  public String subtype() {
    return SUBTYPE;
  }

  @Override
  public long eventTimeMs() {
    return timestampMs != null ? timestampMs : envelope.timestampMs();
  }

  @Override
  public String orchestratorAddress() {
    return orchestratorInfo.address();
  }

  @Override
  public String orchestratorUrl() {
    return orchestratorInfo.url();
  }
}
