package dev.naap.metrics;

import dev.naap.events.EventParser;
import dev.naap.ingest.BatchResult;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.IngestMetrics;
import dev.naap.ingest.Message;
import dev.naap.ingest.Origin;
import dev.naap.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds go-livepeer envelopes in their real shapes (livepeer-data.md §1), with only the fields
 * that matter for metrics, at times given in ms after {@link #T0} (or the start given to the
 * constructor), from gateway {@code gw-1} (or the one set by {@link #onGateway}). Each envelope
 * gets a new id. Not thread-safe.
 */
public final class LiveEvents {

  public static final String A = "0xaaaa000000000000000000000000000000000001";
  public static final String B = "0xbbbb000000000000000000000000000000000002";
  public static final long T0 = 1_767_900_000_000L;
  private static final AtomicInteger ids = new AtomicInteger();
  private final long t0;
  private String gateway = "gw-1";

  public LiveEvents() {
    this(T0);
  }

  /** Events at times in ms after {@code t0} (epoch ms). */
  public LiveEvents(long t0) {
    this.t0 = t0;
  }

  /** The gateway of the envelopes built from now on. */
  public LiveEvents onGateway(String gateway) {
    this.gateway = gateway;
    return this;
  }

  /** {@code event} (a status event) with {@code orchestrator_info.region}. */
  public static String inRegion(String event, String region) {
    return event.replace("\"url\":\"\"}", "\"url\":\"\",\"region\":\"" + region + "\"}");
  }

  /** {@code event} (a status event) flagged {@code is_test_load}. */
  public static String asTestLoad(String event) {
    return event.replace("\"state\"", "\"is_test_load\":true,\"state\"");
  }

  /**
   * Writes {@code events} through the ingest writer, ingested at {@code clock}'s time (keep it near
   * now: session_touches keeps a week).
   */
  public static void write(Store store, List<String> events, Clock clock) {
    List<Message> messages = new ArrayList<>();
    for (String e : events) {
      messages.add(
          new Message(e.getBytes(StandardCharsets.UTF_8), Origin.file("test", messages.size())));
    }
    BatchResult result = new EventWriter(store, new EventParser(), EventWriter.DuplicateCheck.BATCH,
        IngestMetrics.unregistered(), clock).write(messages);
    if (result.rejected() > 0) {
      throw new IllegalArgumentException(result.rejected() + " of the events were rejected");
    }
  }

  public String envelope(String type, long t, String data) {
    return "{\"id\":\"ev-"
        + ids.incrementAndGet()
        + "\",\"type\":\""
        + type
        + "\",\"timestamp\":\""
        + (t0 + t)
        + "\",\"gateway\":\""
        + gateway
        + "\",\"data\":"
        + data
        + "}";
  }

  public String trace(String stream, String subtype, String orch, long t) {
    return envelope(
        "stream_trace",
        t,
        "{\"type\":\""
            + subtype
            + "\",\"timestamp\":"
            + (t0 + t)
            + ",\"stream_id\":\""
            + stream
            + "\",\"request_id\":\"r-"
            + stream
            + "\",\"pipeline_id\":\"\","
            + "\"orchestrator_info\":{\"address\":\""
            + orch
            + "\",\"url\":\""
            + (orch.isEmpty() ? "" : nodeUrl(orch))
            + "\"}}");
  }

  /** The service URL of the one node behind signer {@code orch} in these events. */
  public static String nodeUrl(String orch) {
    return "https://" + orch.substring(2, 6) + ":8935";
  }

  public String request(String stream, long t) {
    return trace(stream, "gateway_receive_stream_request", "", t);
  }

  public String noOrchestrators(String stream, long t) {
    return trace(stream, "gateway_no_orchestrators_available", "", t);
  }

  public String ingest(String stream, String orch, long t) {
    return trace(stream, "gateway_send_first_ingest_segment", orch, t);
  }

  public String processed(String stream, String orch, long t) {
    return trace(stream, "gateway_receive_first_processed_segment", orch, t);
  }

  public String swap(String stream, String orch, long t) {
    // orchestrator_swap carries no data timestamp: its time is the envelope's.
    return envelope(
        "stream_trace",
        t,
        "{\"type\":\"orchestrator_swap\",\"stream_id\":\""
            + stream
            + "\",\"request_id\":\"r-"
            + stream
            + "\",\"pipeline\":\"streamdiffusion\",\"message\":\"slow\","
            + "\"orchestrator_info\":{\"address\":\""
            + orch
            + "\",\"url\":\"\"}}");
  }

  public String status(String stream, String orch, long t, double fps, String state) {
    return envelope(
        "ai_stream_status",
        t,
        "{\"type\":\"status\",\"pipeline\":\"streamdiffusion\",\"state\":\""
            + state
            + "\",\"timestamp\":"
            + (t0 + t)
            + ",\"inference_status\":{\"fps\":"
            + fps
            + ",\"restart_count\":0,\"last_error\":null},\"stream_id\":\""
            + stream
            + "\",\"request_id\":\"r-"
            + stream
            + "\",\"pipeline_id\":\"\",\"orchestrator_info\":{\"address\":\""
            + orch
            + "\",\"url\":\"\"}}");
  }

  /**
   * A status the gateway stamped at {@code t} from a runner whose clock runs {@code aheadMs} ahead
   * of the gateway's: its own {@code timestamp} is {@code t + aheadMs}.
   */
  public String statusFromRunnerAhead(String stream, String orch, long t, long aheadMs,
      double fps) {
    String onTime = status(stream, orch, t, fps, "ONLINE");
    String ahead = onTime.replace("\"timestamp\":" + (t0 + t) + ",",
        "\"timestamp\":" + (t0 + t + aheadMs) + ",");
    if (ahead.equals(onTime)) { // a test of clock skew must never run without it
      throw new IllegalStateException("no runner timestamp to move in " + onTime);
    }
    return ahead;
  }

  public String statusWithError(String stream, String orch, long t, String error) {
    return status(stream, orch, t, 20, "ONLINE")
        .replace("\"last_error\":null", "\"last_error\":\"" + error + "\"");
  }

  public String restart(String stream, String orch, long t) {
    return envelope(
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

  public String ingestMetrics(String stream, long t, long received, long sent) {
    return envelope(
        "stream_ingest_metrics",
        t,
        "{\"timestamp\":"
            + (t0 + t)
            + ",\"stream_id\":\""
            + stream
            + "\",\"pipeline_id\":\"\",\"request_id\":\"r-"
            + stream
            + "\",\"stats\":{\"peer_conn_stats\":{\"ID\":\"iceTransport\","
            + "\"BytesReceived\":"
            + received
            + ",\"BytesSent\":"
            + sent
            + "},\"track_stats\":[{\"type\":\"video\",\"jitter\":4.5,"
            + "\"packets_lost\":0,\"packets_received\":100,\"packet_loss_pct\":0,\"rtt\":0}],\"conn_quality\":\"good\"}}");
  }

  public String capabilities(long t, String localAddress, List<String> gpuIds) {
    return envelope("network_capabilities", t, "[" + orchestrator(localAddress, gpuIds, "") + "]");
  }

  /**
   * What one orchestrator offers in a capabilities snapshot: a GPU and streamdiffusion capacity.
   */
  public record Offer(String localAddress, String gpuId, int idle, int inUse) {}

  /**
   * One network_capabilities snapshot in which each orchestrator of {@code offers} advertises its
   * GPU and, for model streamdiffusion, its idle and busy containers.
   */
  public String capacities(long t, Offer... offers) {
    List<String> orchestrators = new ArrayList<>();
    for (Offer o : offers) {
      orchestrators.add(
          orchestrator(
              o.localAddress(),
              List.of(o.gpuId()),
              ",\"constraints\":{\"PerCapability\":{\"35\":{\"models\":{\"streamdiffusion\":{\"warm\":true,"
                  + "\"capacity\":"
                  + o.idle()
                  + ",\"capacityInUse\":"
                  + o.inUse()
                  + ",\"runnerVersion\":\"v1\"}}}}}"));
    }
    return envelope("network_capabilities", t, "[" + String.join(",", orchestrators) + "]");
  }

  private static String orchestrator(String localAddress, List<String> gpuIds, String constraints) {
    StringBuilder gpus = new StringBuilder();
    for (int i = 0; i < gpuIds.size(); i++) {
      gpus.append(i == 0 ? "" : ",")
          .append("\"")
          .append(i)
          .append("\":{\"id\":\"")
          .append(gpuIds.get(i))
          .append(
              "\",\"name\":\"NVIDIA GeForce RTX"
                  + " 4090\",\"major\":8,\"memory_free\":1,\"memory_total\":25757220864}");
    }
    return "{\"address\":\"0xd000000000000000000000000000000000000000\","
        + "\"local_address\":\""
        + localAddress
        + "\",\"orch_uri\":\""
        + nodeUrl(localAddress)
        + "\",\"capabilities\":{"
        + "\"bitstring\":[1],\"version\":\"0.8.8\""
        + constraints
        + "},\"hardware\":[{\"pipeline\":\"live-video-to-video\","
        + "\"model_id\":\"streamdiffusion\",\"gpu_info\":{"
        + gpus
        + "}}]}";
  }

  /** A session on orchestrator A whose first frame came {@code ptffMs} after the request. */
  public List<String> session(String stream, long ptffMs, double... fps) {
    List<String> events = new ArrayList<>(List.of(request(stream, 0), ingest(stream, A, ptffMs / 2),
        processed(stream, A, ptffMs)));
    for (int i = 0; i < fps.length; i++) {
      events.add(status(stream, A, ptffMs + 10_000L * (i + 1), fps[i], "ONLINE"));
    }
    return events;
  }
}
