package dev.naap.events;

import java.util.List;

/**
 * A {@code stream_ingest_metrics} event: WebRTC (WHIP) ingest statistics for the client↔gateway
 * leg, every 5 s. The stats are Go structs without {@code omitempty}, so absent numbers read 0.
 *
 * @param timestampMs {@code data.timestamp} (gateway clock), or null
 * @param orchestratorInfo {@code data.orchestrator_info} when a producer adds one, else EMPTY
 */
public record StreamIngestMetrics(
    Envelope envelope,
    Long timestampMs,
    String streamId,
    String requestId,
    String pipelineId,
    MediaStats stats,
    OrchestratorInfo orchestratorInfo,
    boolean testLoad)
    implements Event {

  /** The envelope type of this family. */
  public static final String FAMILY = "stream_ingest_metrics";

  /**
   * {@code data.stats}; never null.
   *
   * @param connQuality "good" or "bad" (jitter over 50 ms or loss over 2 %); {@code ""} if absent
   */
  public record MediaStats(
      PeerConnStats peerConnStats, List<TrackStats> trackStats, String connQuality) {

    /** Copies the track list so the record stays immutable. */
    public MediaStats {
      trackStats = List.copyOf(trackStats);
    }
  }

  /**
   * {@code stats.peer_conn_stats}, serialised with Go field names ({@code ID}, {@code
   * BytesReceived}, {@code BytesSent}). Byte counts are cumulative for the WebRTC transport;
   * "received" is the user's upload.
   */
  public record PeerConnStats(String id, long bytesReceived, long bytesSent) {}

  /**
   * One entry of {@code stats.track_stats}.
   *
   * @param type "video" or "audio"
   * @param jitterMs RTP interarrival jitter in ms
   * @param packetLossPct packet loss in percent (0–100)
   * @param rttNanos round-trip time: a Go {@code time.Duration}, in nanoseconds
   * @param lastInputTsSeconds stream PTS of the last input, in seconds
   * @param lastOutputTsSeconds stream PTS of the last output, in seconds
   * @param latencySeconds input minus output PTS, in seconds
   * @param warnings e.g. "jitter greater than 50 ms"; empty when absent
   */
  public record TrackStats(
      String type,
      double jitterMs,
      long packetsLost,
      long packetsReceived,
      double packetLossPct,
      long rttNanos,
      double lastInputTsSeconds,
      double lastOutputTsSeconds,
      double latencySeconds,
      List<String> warnings) {

    /** Copies the warning list so the record stays immutable. */
    public TrackStats {
      warnings = List.copyOf(warnings);
    }
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
