package dev.naap.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The fast path of a valid message: reads the envelope, and the data of the two largest families
 * ({@code stream_ingest_metrics} and {@code ai_stream_status}, about four events in five), token
 * by token from the bytes, without a tree. Other families' data is read as a tree and handed to
 * their readers.
 *
 * <p>It only ever accepts, and then with exactly the event the tree path builds. At anything it
 * cannot judge as the tree path would (any rejection, a repeated key, a subtype it does not
 * model, the envelope's fields after its data) it gives up, and {@link EventParser} runs the tree
 * path, which names the reason. A repeated key is refused in every object, as the tree builder
 * does: the known names of an object by a bit each, others in a set, values it skips through the
 * tree builder's own check.
 */
final class StreamingReader {
  private final JsonParser parser;
  private final boolean escapes; // false: no string can hold an unpaired surrogate
  private JsonToken token; // the first token of the value being read

  private StreamingReader(JsonParser parser, boolean escapes) {
    this.parser = parser;
    this.escapes = escapes;
  }

  /** The event the tree path would accept {@code message} as, or null to let that path judge. */
  static Event read(byte[] message) {
    int scan = JsonInput.scan(message);
    if (scan == JsonInput.NOT_FAST) {
      return null;
    }
    try (JsonParser parser = JsonInput.FAST_MAPPER.createParser(message)) {
      StreamingReader in = new StreamingReader(parser, scan == JsonInput.ESCAPES);
      Event event = in.envelope(message);
      return parser.nextToken() == null ? event : null;
    } catch (IOException | RuntimeException e) { // GiveUp, a rejection, bad JSON: the tree judges
      return null;
    }
  }

  // ---- envelope (EnvelopeReader) ---------------------------------------------------------------

  private Event envelope(byte[] message) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw GiveUp.INSTANCE;
    }
    String id = null;
    String type = null;
    long timestampMs = 0;
    boolean hasTimestamp = false;
    String gateway = "";
    JsonNode dataTree = null;
    Event streamed = null; // built as soon as the data is read, so no envelope field may follow
    Keys keys = new Keys();
    for (String name = nextName(); name != null; name = nextName()) {
      switch (name) {
        case "id" -> {
          keys.once(0, null);
          afterData(streamed);
          id = str();
          if (token == JsonToken.VALUE_NULL || id.isEmpty()
              || id.length() > EnvelopeReader.MAX_ID_CHARS) {
            throw GiveUp.INSTANCE;
          }
        }
        case "type" -> {
          keys.once(1, null);
          afterData(streamed);
          if (token != JsonToken.VALUE_STRING) {
            throw GiveUp.INSTANCE;
          }
          type = parser.getText();
          if (!EnvelopeReader.isFamilyName(type)) {
            throw GiveUp.INSTANCE;
          }
        }
        case "timestamp" -> {
          keys.once(2, null);
          afterData(streamed);
          timestampMs = envelopeTimestamp();
          hasTimestamp = true;
        }
        case "gateway" -> {
          keys.once(3, null);
          afterData(streamed);
          gateway = str();
          if (EnvelopeReader.isEthAddress(gateway)) {
            gateway = gateway.toLowerCase(Locale.ROOT);
          }
        }
        case "data" -> {
          keys.once(4, null);
          if (token == JsonToken.VALUE_NULL) {
            throw GiveUp.INSTANCE; // missing: the tree path names it
          }
          if (id != null && hasTimestamp && token == JsonToken.START_OBJECT
              && (StreamIngestMetrics.FAMILY.equals(type) || AiStreamStatus.FAMILY.equals(type))) {
            Envelope env = new Envelope(id, type, timestampMs, gateway, message);
            streamed = type.equals(AiStreamStatus.FAMILY) ? aiStreamStatus(env)
                : streamIngestMetrics(env);
          } else {
            dataTree = JsonInput.FAST_MAPPER.readTree(parser);
          }
        }
        default -> keys.other(name, this);
      }
    }
    if (streamed != null) {
      return streamed;
    }
    if (id == null || type == null || !hasTimestamp || dataTree == null) {
      throw GiveUp.INSTANCE;
    }
    return EventParser.family(new Envelope(id, type, timestampMs, gateway, message), dataTree);
  }

  /** An envelope field after the data it would have changed: left to the tree path. */
  private static void afterData(Event streamed) {
    if (streamed != null) {
      throw GiveUp.INSTANCE;
    }
  }

  /** The envelope {@code timestamp}: a string of digits or an integral number, plausible. */
  private long envelopeTimestamp() throws IOException {
    long ms;
    if (token == JsonToken.VALUE_STRING) {
      String s = parser.getText();
      if (s.isEmpty() || s.length() > 18) {
        throw GiveUp.INSTANCE;
      }
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) < '0' || s.charAt(i) > '9') {
          throw GiveUp.INSTANCE;
        }
      }
      ms = Long.parseLong(s);
    } else {
      ms = toLong();
    }
    if (!Payloads.plausible(ms)) {
      throw GiveUp.INSTANCE;
    }
    return ms;
  }

  // ---- stream_ingest_metrics (LiveVideoReader.streamIngestMetrics) -----------------------------

  private Event streamIngestMetrics(Envelope env) throws IOException {
    Long timestampMs = null;
    String streamId = "";
    String requestId = "";
    String pipelineId = "";
    StreamIngestMetrics.MediaStats stats = null;
    OrchestratorInfo info = OrchestratorInfo.EMPTY;
    boolean testLoad = false;
    Keys keys = new Keys();
    for (String name = nextName(); name != null; name = nextName()) {
      switch (name) {
        case "timestamp" -> timestampMs = keys.once(0, timestampMs());
        case "stream_id" -> streamId = keys.once(1, str());
        case "request_id" -> requestId = keys.once(2, str());
        case "pipeline_id" -> pipelineId = keys.once(3, str());
        case "stats" -> stats = keys.once(4, mediaStats());
        case "orchestrator_info" -> info = keys.once(5, orchestratorInfo());
        case "is_test_load" -> testLoad = keys.once(6, bool());
        default -> keys.other(name, this);
      }
    }
    if (stats == null) {
      stats = new StreamIngestMetrics.MediaStats(
          new StreamIngestMetrics.PeerConnStats("", 0, 0), List.of(), "");
    }
    return new StreamIngestMetrics(
        env, timestampMs, streamId, requestId, pipelineId, stats, info, testLoad);
  }

  /** {@code data.stats}; null when absent or null. */
  private StreamIngestMetrics.MediaStats mediaStats() throws IOException {
    if (!object()) {
      return null;
    }
    StreamIngestMetrics.PeerConnStats peer = new StreamIngestMetrics.PeerConnStats("", 0, 0);
    List<StreamIngestMetrics.TrackStats> tracks = List.of();
    String connQuality = "";
    Keys keys = new Keys();
    for (String name = nextName(); name != null; name = nextName()) {
      switch (name) {
        case "peer_conn_stats" -> peer = keys.once(0, peerConnStats(peer));
        case "track_stats" -> tracks = keys.once(1, trackStatsList());
        case "conn_quality" -> connQuality = keys.once(2, str());
        default -> keys.other(name, this);
      }
    }
    return new StreamIngestMetrics.MediaStats(peer, tracks, connQuality);
  }

  private StreamIngestMetrics.PeerConnStats peerConnStats(
      StreamIngestMetrics.PeerConnStats absent) throws IOException {
    if (!object()) {
      return absent;
    }
    String id = "";
    long received = 0;
    long sent = 0;
    Keys keys = new Keys();
    for (String name = nextName(); name != null; name = nextName()) {
      switch (name) {
        case "ID" -> id = keys.once(0, str());
        case "BytesReceived" -> received = keys.once(1, lng());
        case "BytesSent" -> sent = keys.once(2, lng());
        default -> keys.other(name, this);
      }
    }
    return new StreamIngestMetrics.PeerConnStats(id, received, sent);
  }

  private List<StreamIngestMetrics.TrackStats> trackStatsList() throws IOException {
    if (token == JsonToken.VALUE_NULL) {
      return List.of();
    }
    if (token != JsonToken.START_ARRAY) {
      throw GiveUp.INSTANCE;
    }
    List<StreamIngestMetrics.TrackStats> out = new ArrayList<>(2);
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token != JsonToken.START_OBJECT) {
        throw GiveUp.INSTANCE;
      }
      out.add(trackStats());
    }
    return out;
  }

  private StreamIngestMetrics.TrackStats trackStats() throws IOException {
    String type = "";
    double jitter = 0;
    long lost = 0;
    long received = 0;
    double lossPct = 0;
    long rtt = 0;
    double lastInput = 0;
    double lastOutput = 0;
    double latency = 0;
    List<String> warnings = List.of();
    Keys keys = new Keys();
    for (String name = nextName(); name != null; name = nextName()) {
      switch (name) {
        case "type" -> type = keys.once(0, str());
        case "jitter" -> jitter = keys.once(1, dbl());
        case "packets_lost" -> lost = keys.once(2, lng());
        case "packets_received" -> received = keys.once(3, lng());
        case "packet_loss_pct" -> lossPct = keys.once(4, dbl());
        case "rtt" -> rtt = keys.once(5, lng());
        case "last_input_ts" -> lastInput = keys.once(6, dbl());
        case "last_output_ts" -> lastOutput = keys.once(7, dbl());
        case "latency" -> latency = keys.once(8, dbl());
        case "warnings" -> warnings = keys.once(9, strList());
        default -> keys.other(name, this);
      }
    }
    return new StreamIngestMetrics.TrackStats(
        type, jitter, lost, received, lossPct, rtt, lastInput, lastOutput, latency, warnings);
  }

  // ---- ai_stream_status (LiveVideoReader.aiStreamStatus) ---------------------------------------

  private Event aiStreamStatus(Envelope env) throws IOException {
    Long timestampMs = null;
    String streamId = "";
    String requestId = "";
    String pipelineId = "";
    String pipeline = "";
    String state = "";
    Long startTime = null;
    Long lastStateUpdate = null;
    Long lastStatus = null;
    AiStreamStatus.InputStatus input = new AiStreamStatus.InputStatus(null, null);
    AiStreamStatus.InferenceStatus inference = null;
    OrchestratorInfo info = OrchestratorInfo.EMPTY;
    String gpuId = "";
    boolean testLoad = false;
    Keys keys = new Keys();
    for (String name = nextName(); name != null; name = nextName()) {
      switch (name) {
        case "type" -> {
          String subtype = keys.once(0, str());
          if (!subtype.isEmpty() && !subtype.equals(AiStreamStatus.SUBTYPE)) {
            throw GiveUp.INSTANCE; // read as unsupported, from the tree
          }
        }
        case "timestamp" -> timestampMs = keys.once(1, timestampMs());
        case "stream_id" -> streamId = keys.once(2, str());
        case "request_id" -> requestId = keys.once(3, str());
        case "pipeline_id" -> pipelineId = keys.once(4, str());
        case "pipeline" -> pipeline = keys.once(5, str());
        case "state" -> state = keys.once(6, str());
        case "start_time" -> startTime = keys.once(7, optLong());
        case "last_state_update_time" -> lastStateUpdate = keys.once(8, optLong());
        case "last_status_timestamp" -> lastStatus = keys.once(9, optLong());
        case "input_status" -> input = keys.once(10, inputStatus(input));
        case "inference_status" -> inference = keys.once(11, inferenceStatus());
        case "orchestrator_info" -> info = keys.once(12, orchestratorInfo());
        case "gpu_id" -> gpuId = keys.once(13, str());
        case "is_test_load" -> testLoad = keys.once(14, bool());
        default -> keys.other(name, this);
      }
    }
    if (inference == null) {
      inference = new AiStreamStatus.InferenceStatus(
          null, null, null, "", "", "", null, null, List.of(), null);
    }
    return new AiStreamStatus(env, timestampMs, streamId, requestId, pipelineId, pipeline, state,
        startTime, lastStateUpdate, lastStatus, input, inference, info,
        gpuId.isEmpty() ? info.gpuId() : gpuId, testLoad);
  }

  private AiStreamStatus.InputStatus inputStatus(AiStreamStatus.InputStatus absent)
      throws IOException {
    if (!object()) {
      return absent;
    }
    Double fps = null;
    Long lastInput = null;
    Keys keys = new Keys();
    for (String name = nextName(); name != null; name = nextName()) {
      switch (name) {
        case "fps" -> fps = keys.once(0, optDouble());
        case "last_input_time" -> lastInput = keys.once(1, optLong());
        default -> keys.other(name, this);
      }
    }
    return new AiStreamStatus.InputStatus(fps, lastInput);
  }

  /** {@code data.inference_status}; null when absent or null. */
  private AiStreamStatus.InferenceStatus inferenceStatus() throws IOException {
    if (!object()) {
      return null;
    }
    Double fps = null;
    Long lastOutput = null;
    Long lastParamsUpdate = null;
    String lastParams = "";
    String lastParamsHash = "";
    String lastError = "";
    Long lastErrorTime = null;
    Double lastRestart = null;
    List<String> restartLogs = List.of();
    Integer restartCount = null;
    Keys keys = new Keys();
    for (String name = nextName(); name != null; name = nextName()) {
      switch (name) {
        case "fps" -> fps = keys.once(0, optDouble());
        case "last_output_time" -> lastOutput = keys.once(1, optLong());
        case "last_params_update_time" -> lastParamsUpdate = keys.once(2, optLong());
        case "last_params" -> lastParams = keys.once(3, rawJson());
        case "last_params_hash" -> lastParamsHash = keys.once(4, str());
        case "last_error" -> lastError = keys.once(5, str());
        case "last_error_time" -> lastErrorTime = keys.once(6, optLong());
        case "last_restart_time" -> lastRestart = keys.once(7, optDouble());
        case "last_restart_logs" -> restartLogs = keys.once(8, strList());
        case "restart_count" -> restartCount = keys.once(9, optInt());
        default -> keys.other(name, this);
      }
    }
    return new AiStreamStatus.InferenceStatus(fps, lastOutput, lastParamsUpdate, lastParams,
        lastParamsHash, lastError, lastErrorTime, Payloads.runnerTimeMs(lastRestart), restartLogs,
        restartCount);
  }

  // ---- shared payload reads (Payloads) ---------------------------------------------------------

  /** {@code data.timestamp}: null when absent, null or 0; else a plausible unix-ms time. */
  private Long timestampMs() throws IOException {
    Long ts = optLong();
    if (ts == null || ts == 0) {
      return null;
    }
    if (!Payloads.plausible(ts)) {
      throw GiveUp.INSTANCE;
    }
    return ts;
  }

  private OrchestratorInfo orchestratorInfo() throws IOException {
    if (!object()) {
      return OrchestratorInfo.EMPTY;
    }
    String address = "";
    String url = "";
    String gpuId = "";
    String region = "";
    Keys keys = new Keys();
    for (String name = nextName(); name != null; name = nextName()) {
      switch (name) {
        case "address" -> address = keys.once(0, str()).toLowerCase(Locale.ROOT);
        case "url" -> url = keys.once(1, str());
        case "gpu_id" -> gpuId = keys.once(2, str());
        case "region" -> region = keys.once(3, str());
        default -> keys.other(name, this);
      }
    }
    return new OrchestratorInfo(address, url, gpuId, region);
  }

  // ---- values (Fields), each read from the current token --------------------------------------

  /** The next member's name with its value's first token in {@link #token}; null at the end. */
  private String nextName() throws IOException {
    String name = parser.nextFieldName();
    if (name != null) {
      token = parser.nextToken();
    }
    return name;
  }

  /** True at an object's start, false at null; gives up at anything else. */
  private boolean object() {
    if (token == JsonToken.START_OBJECT) {
      return true;
    }
    if (token == JsonToken.VALUE_NULL) {
      return false;
    }
    throw GiveUp.INSTANCE;
  }

  private String str() throws IOException {
    if (token == JsonToken.VALUE_NULL) {
      return "";
    }
    if (token != JsonToken.VALUE_STRING) {
      throw GiveUp.INSTANCE;
    }
    String s = parser.getText();
    if (escapes && Fields.unpairedSurrogate(s) >= 0) {
      throw GiveUp.INSTANCE;
    }
    return s;
  }

  private List<String> strList() throws IOException {
    if (token == JsonToken.VALUE_NULL) {
      return List.of();
    }
    if (token != JsonToken.START_ARRAY) {
      throw GiveUp.INSTANCE;
    }
    List<String> out = new ArrayList<>();
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token != JsonToken.VALUE_STRING) {
        throw GiveUp.INSTANCE;
      }
      out.add(str());
    }
    return List.copyOf(out);
  }

  /** A nested value as the tree path's compact JSON text; {@code ""} when null. */
  private String rawJson() throws IOException {
    if (token == JsonToken.VALUE_NULL) {
      return "";
    }
    return JsonInput.FAST_MAPPER.readTree(parser).toString();
  }

  private boolean bool() {
    return switch (token) {
      case VALUE_NULL, VALUE_FALSE -> false;
      case VALUE_TRUE -> true;
      default -> throw GiveUp.INSTANCE;
    };
  }

  private Long optLong() throws IOException {
    return token == JsonToken.VALUE_NULL ? null : toLong();
  }

  private long lng() throws IOException {
    return token == JsonToken.VALUE_NULL ? 0L : toLong();
  }

  private Integer optInt() throws IOException {
    Long v = optLong();
    if (v != null && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
      throw GiveUp.INSTANCE;
    }
    return v == null ? null : v.intValue();
  }

  private Double optDouble() throws IOException {
    return token == JsonToken.VALUE_NULL ? null : toDouble();
  }

  private double dbl() throws IOException {
    return token == JsonToken.VALUE_NULL ? 0.0 : toDouble();
  }

  /**
   * An integer as the tree's number nodes give it: an int or long token as it is (one beyond a
   * long is rejected there), a float only when finite, integral and within a long.
   */
  private long toLong() throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT) {
      if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw GiveUp.INSTANCE;
      }
      return parser.getLongValue();
    }
    if (token == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = parser.getDoubleValue();
      if (!Double.isFinite(d) || d != Math.rint(d) || d < -0x1p63 || d >= 0x1p63) {
        throw GiveUp.INSTANCE;
      }
      return (long) d;
    }
    throw GiveUp.INSTANCE;
  }

  /** A finite number; an integer token converts as the tree's int and long nodes do. */
  private double toDouble() throws IOException {
    double d;
    if (token == JsonToken.VALUE_NUMBER_INT) {
      if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw GiveUp.INSTANCE; // rare enough for the tree path
      }
      d = parser.getLongValue();
    } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
      d = parser.getDoubleValue();
    } else {
      throw GiveUp.INSTANCE;
    }
    if (!Double.isFinite(d)) {
      throw GiveUp.INSTANCE;
    }
    return d;
  }

  /** The member names one object has shown: a repeated key is refused, as the tree does. */
  private static final class Keys {
    private long known;
    private Set<String> others;

    /** Marks known member {@code bit} as read; returns {@code value}. */
    <T> T once(int bit, T value) {
      if ((known & (1L << bit)) != 0) {
        throw GiveUp.INSTANCE;
      }
      known |= 1L << bit;
      return value;
    }

    long once(int bit, long value) {
      once(bit, null);
      return value;
    }

    double once(int bit, double value) {
      once(bit, null);
      return value;
    }

    boolean once(int bit, boolean value) {
      once(bit, null);
      return value;
    }

    /** Any other member: remembered and skipped, a structure through the tree's own checks. */
    void other(String name, StreamingReader in) throws IOException {
      if (others == null) {
        others = new HashSet<>();
      }
      if (!others.add(name)) {
        throw GiveUp.INSTANCE;
      }
      if (in.token == JsonToken.START_OBJECT || in.token == JsonToken.START_ARRAY) {
        JsonInput.FAST_MAPPER.readTree(in.parser);
      }
    }
  }

  /** Not a rejection: only that the tree path must judge. No stack trace, one instance. */
  private static final class GiveUp extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final GiveUp INSTANCE = new GiveUp();

    private GiveUp() {
      super("not for the streaming path", null, false, false);
    }
  }
}
