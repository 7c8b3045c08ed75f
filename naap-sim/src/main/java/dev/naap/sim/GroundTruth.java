package dev.naap.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What really happened in a simulation run, for comparison with what NaaP measures. Immutable;
 * written as JSON with {@link #writeJson(Path)} (format in docs/SIMULATOR.md).
 *
 * @param config every knob of the run (seed, network size, demand, delivery rates)
 * @param seed the run's seed
 * @param startMs first virtual time simulated (unix ms)
 * @param endMs end of the simulated span (unix ms)
 * @param gateways each gateway's envelope {@code gateway} value and sender address
 * @param orchestrators each orchestrator node's (URL's) true parameters and its sessions; nodes of
 *     one operator share a signer address
 * @param gpus each GPU's model, pipeline and true frame rates
 * @param nodePipelines per node (URL) × pipeline: segments, failures, output FPS and how NaaP
 *     should resolve each segment's GPU
 * @param demand session counts per gateway × pipeline × client region
 * @param delivery per family (and subtype) counts of generated, lost, duplicated and late events
 * @param malformed injected malformed messages by kind
 * @param promptChanges every {@code /update} to a stream started over the gateway HTTP surface, in
 *     the order they happened
 * @param fees per orchestrator signer, the payments and signed tickets that were delivered (a lost
 *     event is in neither NaaP's figures nor these)
 * @param sessionTimes per gateway, the time of the sessions whose events were delivered, as
 *     docs/METRICS.md defines it ("Network demand": first to last event, but for the errors a
 *     gateway sends after the close)
 */
public record GroundTruth(
    SimConfig config,
    long seed,
    long startMs,
    long endMs,
    List<GatewayTruth> gateways,
    List<OrchestratorTruth> orchestrators,
    List<GpuTruth> gpus,
    List<NodePipelineTruth> nodePipelines,
    List<DemandCell> demand,
    Map<String, DeliveryCount> delivery,
    Map<String, Long> malformed,
    List<PromptChange> promptChanges,
    List<FeeTruth> fees,
    List<SessionTime> sessionTimes) {

  /** A capability snapshot older than this at a segment's start does not attribute a GPU. */
  public static final long STALE_SNAPSHOT_MS = 2 * 3_600_000L;

  /**
   * A gateway: {@code host} is the envelope {@code gateway} field ("" for one of them).
   *
   * @param noOrchestratorForm {@code trace} ({@code gateway_no_orchestrators_available}) or {@code
   *     timeout_error} (only the error "no orchestrators available within 2s timeout")
   * @param integerTimestamps its envelope {@code timestamp} is a JSON integer, not a string
   * @param tester a scheduled tester's gateway: only {@code aiJobTesterStream-} streams, unflagged
   */
  public record GatewayTruth(
      int index,
      String host,
      String senderAddress,
      String region,
      boolean optionalFields,
      String noOrchestratorForm,
      boolean integerTimestamps,
      boolean tester) {}

  /**
   * An orchestrator.
   *
   * @param signerAddress lower-cased {@code orchestrator_info.address}
   * @param onChainAddress the ticket recipient, as printed in payments
   * @param failureProbability probability that an orchestrator session produces no output
   *     (loading only or crashing runner)
   * @param slowProbability probability that a healthy session turns slow and is swapped away
   * @param runnerSkewMs runner host clock minus gateway clock
   * @param sessions orchestrator sessions started on it that emitted an event naming it (a swap
   *     starts a new one elsewhere)
   * @param failedSessions of those, sessions that produced no output
   * @param failedSegments of those, sessions whose emitted events meet the failure definition of
   *     docs/METRICS.md (an ERROR state, a restart, a last_error, or ingest without output): a
   *     healthy session whose runner erred counts, a failing one that ended before ingest does not
   * @param swapsBack of those, sessions that re-selected it right after the stream swapped away
   *     from it ("trickle subscribe stopping, stream not found"): each such return is a segment
   *     of its own, and the attempt before it is a failed one (ingest, no output)
   * @param rarelyListed listed in capability snapshots only every 6 h, so its snapshot goes stale
   * @param darkFromMs start of its outage, or 0
   * @param darkToMs end of its outage, or 0
   */
  public record OrchestratorTruth(String signerAddress, String onChainAddress, String url,
      String region, double failureProbability, double slowProbability, double runnerErrorsPerHour,
      long runnerSkewMs, long sessions, long failedSessions, long failedSegments, long swapsBack,
      boolean rarelyListed, long darkFromMs, long darkToMs) {}

  /**
   * A GPU.
   *
   * @param capabilityFps output fps it sustains when the input is not the limit
   * @param meanOutputFps mean of {@code inference_status.fps} over the status events it produced
   *     with fps &gt; 0 (before delivery losses), or 0 when none
   * @param statusSamples the number of those events
   */
  public record GpuTruth(
      String orchestrator,
      String url,
      String gpuId,
      String model,
      String pipeline,
      int slots,
      double capabilityFps,
      double meanOutputFps,
      long statusSamples) {}

  /**
   * One node (orchestrator URL) and pipeline. Pipeline {@code ""} holds the segments of streams
   * none of whose events named the pipeline (traces carry none): their model, and so their GPU,
   * cannot be known ({@code unknown}).
   *
   * @param gpuIds the distinct GPUs the node advertises for the pipeline (one per runner, each
   *     under the key "0")
   * @param segments its orchestrator sessions that emitted an event naming it
   * @param failedSegments of those, the failed ones by the definition of docs/METRICS.md
   * @param fpsSamples status events with {@code inference_status.fps} &gt; 0
   * @param meanOutputFps their mean, or 0 when none
   * @param gpuResolution segments by how their GPU resolves: {@code reported} (a status carried
   *     the GPU id), {@code stale} (the node's latest snapshot at the segment's start, its first
   *     event, is older than {@link #STALE_SNAPSHOT_MS} and none lists it during the segment),
   *     {@code ambiguous} (several GPUs), {@code capabilities} (the one GPU in {@code gpuIds}),
   *     {@code unknown} (never listed before the segment's end)
   */
  public record NodePipelineTruth(String url, String signerAddress, String pipeline,
      List<String> gpuIds, long segments, long failedSegments, long fpsSamples,
      double meanOutputFps, Map<String, Long> gpuResolution) {}

  /**
   * Sessions (streams) per gateway × pipeline × client region.
   *
   * @param requested streams that sent {@code gateway_receive_stream_request}
   * @param started streams that reached {@code gateway_receive_few_processed_segments}
   * @param noOrchestrator streams that hit {@code gateway_no_orchestrators_available}
   * @param loadingOnly closed streams that got an orchestrator but never had an ONLINE status
   * @param swapped streams with at least one {@code orchestrator_swap}
   * @param open streams still running when the run ended
   * @param flaggedTestLoad streams whose events say {@code is_test_load: true}
   * @param testerStreams a scheduled tester's {@code aiJobTesterStream-<unix ns>} streams: test
   *     load only by an operator's rule (stream-id pattern, gateway name)
   */
  public record DemandCell(String gateway, String pipeline, String region, long requested,
      long started, long noOrchestrator, long loadingOnly, long swapped, long open,
      long flaggedTestLoad, long testerStreams) {}

  /**
   * A client's {@code /update} and when the runner really applied it, both on the gateway clock
   * (the runner's {@code last_params_update_time} minus its skew), so the load tester's
   * prompt-change measurements can be bounded by the truth.
   *
   * @param streamId the stream's id (the load tester's test id)
   * @param orchestrator the URL of the orchestrator it was sent to, {@code ""} when none was
   *     attached (the gateway cached the params)
   * @param updateMs when the gateway handled the {@code /update}
   * @param appliedMs when the runner applied the params, or -1 when no orchestrator was attached
   */
  public record PromptChange(String streamId, String orchestrator, long updateMs, long appliedMs) {}

  /**
   * The fees one orchestrator (signer) was paid, from the delivered payment events.
   *
   * @param payments delivered create_new_payment events
   * @param signedTickets delivered create_signed_ticket events
   * @param tickets tickets in both
   * @param expectedFeesWei sum over the payments of face value x win probability x tickets, exact
   *     (a decimal string)
   * @param computedFeesWei sum of the signed tickets' computed_fee (an integer string)
   * @param billableSeconds sum of the signed tickets' billable_secs
   */
  public record FeeTruth(String signerAddress, long payments, long signedTickets, long tickets,
      String expectedFeesWei, String computedFeesWei, double billableSeconds) {}

  /**
   * The sessions of one gateway: their time summed, and per minute how many overlap it.
   *
   * @param gateway the envelope {@code gateway} value
   * @param streamMs the sum over its sessions of last minus first event time, in ms
   * @param concurrentByMinute per minute (its start, unix ms), the sessions whose time starts
   *     before its end and ends at or after its start
   */
  public record SessionTime(String gateway, long streamMs, Map<Long, Long> concurrentByMinute) {}

  /** Per family (or family/subtype): generated, lost, duplicated (sent twice) and late events. */
  public record DeliveryCount(long generated, long lost, long duplicated, long late) {}

  /** Writes this ground truth as pretty-printed JSON. */
  public void writeJson(Path file) {
    try {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write ground truth to " + file, e);
    }
  }

  /** Reads a ground truth written by {@link #writeJson(Path)}. */
  public static GroundTruth readJson(Path file) {
    try {
      return new ObjectMapper().readValue(file.toFile(), GroundTruth.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ground truth from " + file, e);
    }
  }

  /** The demand cells of one gateway summed: requested sessions. */
  public long requested(String gateway) {
    return demand.stream()
        .filter(d -> d.gateway().equals(gateway))
        .mapToLong(DemandCell::requested)
        .sum();
  }
}
