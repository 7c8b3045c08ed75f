package dev.naap.events;

import java.util.Set;

/**
 * A {@code stream_trace} event: one milestone of a live video session. Emitted by the gateway, or
 * by the runner and relayed by the gateway (subtypes starting with {@code runner_}, runner clock).
 *
 * @param subtype {@code data.type}, one of {@link #SUBTYPES}
 * @param timestampMs {@code data.timestamp} in unix ms; null when absent ({@code
 *     orchestrator_swap}) or 0
 * @param pipelineId {@code data.pipeline_id} ({@code ""} unless an auth webhook sets it)
 * @param pipeline {@code data.pipeline}: sent only by {@code orchestrator_swap}
 * @param message {@code data.message}: the swap reason on {@code orchestrator_swap}
 * @param orchestratorInfo the orchestrator; on {@code orchestrator_swap} the <em>old</em> one
 */
public record StreamTrace(
    Envelope envelope,
    String subtype,
    Long timestampMs,
    String streamId,
    String requestId,
    String pipelineId,
    String pipeline,
    String message,
    OrchestratorInfo orchestratorInfo,
    boolean testLoad)
    implements Event {

  /** The envelope type of this family. */
  public static final String FAMILY = "stream_trace";

  /** The subtypes this record models; any other {@code data.type} becomes an UnsupportedEvent. */
  public static final Set<String> SUBTYPES =
      Set.of(
          "gateway_receive_stream_request",
          "gateway_no_orchestrators_available",
          "gateway_send_first_ingest_segment",
          "runner_receive_stream_request",
          "runner_receive_first_ingest_segment",
          "runner_send_first_processed_segment",
          "gateway_receive_first_processed_segment",
          "gateway_receive_few_processed_segments",
          "gateway_receive_first_data_segment",
          "orchestrator_swap",
          "gateway_ingest_stream_closed");

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
