package dev.naap.dashboard;

import dev.naap.events.EventParser;
import dev.naap.ingest.BatchResult;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.IngestMetrics;
import dev.naap.ingest.Message;
import dev.naap.ingest.Origin;
import dev.naap.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 22's cases as a reader meets them, written as go-livepeer events into one hour with nothing
 * before it (so the overview's previous period is 0 or unmeasured), through the real ingest; the
 * caller's refresh rolls them up:
 *
 * <ul>
 *   <li>{@link #STEADY}, a GPU of model {@link #STEADY_MODEL}, runs two streams at 21.6–22.4 FPS:
 *       every sample at 20+, so it sustains 20+ FPS ("yes", 100 %);
 *   <li>{@link #SPREAD}, a GPU of model {@link #SPREAD_MODEL}, runs two streams whose samples have
 *       a median of 22 FPS but 2 of 11 below 20 ("mostly", 9 / 11); one of its two streams
 *       restarts, so its SLA compliance is 50 % against an objective of 99 %: the error budget is
 *       exhausted, by 4 900 % of itself (1 − 0.5 / 0.01 = −49).
 * </ul>
 */
final class ReaderCases {

  static final String STEADY = "0xc22c000000000000000000000000000000000022";
  static final String SPREAD = "0xd22d000000000000000000000000000000000022";
  static final String STEADY_MODEL = "NVIDIA RTX A6000";
  static final String SPREAD_MODEL = "NVIDIA RTX A5000";
  static final double SPREAD_SHARE = 9.0 / 11;

  private final long t0;
  private final List<String> events = new ArrayList<>();
  private int ids;

  private ReaderCases(Instant hour) {
    this.t0 = hour.toEpochMilli();
  }

  /** Writes the cases into {@code hour} (an hour with no other events, nor in the hour before). */
  static void write(Store store, Instant hour) {
    ReaderCases c = new ReaderCases(hour);
    c.capabilities(0);
    c.session("steady-1", STEADY, 60_000, 22.0, 21.6, 22.4, 21.8, 22.2, 22.0, 21.9, 22.1);
    c.session("steady-2", STEADY, 900_000, 22.1, 21.7, 22.3, 22.0);
    c.session("spread-1", SPREAD, 120_000, 14, 18, 21, 22, 22, 23, 25, 26);
    c.session("spread-2", SPREAD, 1_200_000, 22, 22, 22);
    c.restart("spread-2", SPREAD, 1_200_000 + 35_000);
    List<Message> messages = new ArrayList<>();
    for (String e : c.events) {
      messages.add(
          new Message(
              e.getBytes(StandardCharsets.UTF_8), Origin.file("reader-cases", messages.size())));
    }
    BatchResult result = new EventWriter(store, new EventParser(), EventWriter.DuplicateCheck.STORE,
        IngestMetrics.unregistered(), Clock.systemUTC()).write(messages);
    if (result.rejected() > 0) {
      throw new IllegalStateException(
          result.rejected() + " of the reader cases' events were rejected");
    }
  }

  /** The hour of the cases: four days before {@code now}, clear of the simulated day. */
  static Instant hourBefore(Instant now) {
    return now.minus(Duration.ofDays(4)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
  }

  /**
   * A stream on {@code orch}: request, first ingest, first frame 2.5 s later, a status every 10 s.
   */
  private void session(String stream, String orch, long t, double... fps) {
    trace(stream, "gateway_receive_stream_request", "", t);
    trace(stream, "gateway_send_first_ingest_segment", orch, t + 1_000);
    trace(stream, "gateway_receive_first_processed_segment", orch, t + 2_500);
    for (int i = 0; i < fps.length; i++) {
      long at = t + 2_500 + 10_000L * (i + 1);
      envelope(
          "ai_stream_status",
          at,
          "{\"type\":\"status\",\"pipeline\":\"streamdiffusion\",\"state\":\"ONLINE\","
              + "\"timestamp\":"
              + (t0 + at)
              + ",\"inference_status\":{\"fps\":"
              + fps[i]
              + ",\"restart_count\":0,"
              + "\"last_error\":null},\"stream_id\":\""
              + stream
              + "\",\"request_id\":\"r-"
              + stream
              + "\","
              + "\"pipeline_id\":\"\",\"orchestrator_info\":{\"address\":\""
              + orch
              + "\",\"url\":\"\"}}");
    }
  }

  private void restart(String stream, String orch, long t) {
    envelope(
        "ai_stream_events",
        t,
        "{\"type\":\"restart\",\"pipeline\":\"streamdiffusion\",\"restart_count\":1,"
            + "\"restart_time\":"
            + ((t0 + t) / 1000.0)
            + ",\"timestamp\":"
            + (t0 + t)
            + ",\"stream_id\":\""
            + stream
            + "\",\"request_id\":\"r-"
            + stream
            + "\",\"pipeline_id\":\"\",\"orchestrator_info\":{\"address\":\""
            + orch
            + "\",\"url\":\"\"}}");
  }

  private void trace(String stream, String type, String orch, long t) {
    envelope(
        "stream_trace",
        t,
        "{\"type\":\""
            + type
            + "\",\"timestamp\":"
            + (t0 + t)
            + ",\"stream_id\":\""
            + stream
            + "\",\"request_id\":\"r-"
            + stream
            + "\",\"pipeline_id\":\"\",\"orchestrator_info\":{\"address\":\""
            + orch
            + "\",\"url\":\"\"}}");
  }

  /** One network_capabilities snapshot: each orchestrator's one GPU for streamdiffusion, named. */
  private void capabilities(long t) {
    envelope("network_capabilities", t, "[" + offer(STEADY, "GPU-c22c-steady", STEADY_MODEL) + ","
        + offer(SPREAD, "GPU-d22d-spread", SPREAD_MODEL) + "]");
  }

  private static String offer(String address, String gpuId, String model) {
    return "{\"address\":\""
        + address
        + "\",\"local_address\":\""
        + address
        + "\",\"orch_uri\":\"https://"
        + address.substring(2, 6)
        + ".example:8935\",\"capabilities\":{\"bitstring\":[1],\"version\":\"0.8.8\"},"
        + "\"hardware\":[{\"pipeline\":\"live-video-to-video\",\"model_id\":\"streamdiffusion\",\"gpu_info\":{\"0\":"
        + "{\"id\":\""
        + gpuId
        + "\",\"name\":\""
        + model
        + "\",\"major\":8,\"memory_free\":1,"
        + "\"memory_total\":51527024640}}}]}";
  }

  private void envelope(String type, long t, String data) {
    events.add(
        "{\"id\":\"reader-case-"
            + ++ids
            + "\",\"type\":\""
            + type
            + "\",\"timestamp\":\""
            + (t0 + t)
            + "\",\"gateway\":\"gw-cases\",\"data\":"
            + data
            + "}");
  }
}
