package dev.naap.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.naap.events.Event;
import dev.naap.events.EventParser;
import dev.naap.events.ParseResult;
import dev.naap.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a batch of messages and writes it to the store: valid events to {@code raw_events}
 * (from which materialized views fill the typed family tables), invalid ones to
 * {@code rejected_events} with the reason and the original bytes.
 *
 * <p>When {@link #write} returns, the batch is durable in the store; only then may the caller
 * acknowledge it (commit Kafka offsets). A failure throws and writes may have happened in part:
 * writing the same batch again is safe, because both tables collapse rows with the same key (the
 * event id; the message coordinates) and readers use FINAL.
 *
 * <p>Thread-safe and stateless: {@link #prepare} (CPU) of one batch may run while {@link
 * #write(Prepared)} (I/O) of another is under way.
 */
public final class EventWriter {

  /** How duplicates of already stored events are found. */
  public enum DuplicateCheck {
    /** Only within the batch; the tables' keys collapse the rest (the Kafka path). */
    BATCH,
    /** Within the batch and against the ids already stored, so they are counted and skipped. */
    STORE
  }

  private static final String INSERT_RAW = "INSERT INTO raw_events (event_id, event_type, "
      + "event_subtype, event_time_ms, envelope_time_ms, gateway, stream_id, request_id, pipeline, "
      + "orchestrator_address, orchestrator_url, is_test_load, supported, payload, source, topic, "
      + "partition, offset, ingested_at_ms) FORMAT JSONEachRow";
  private static final String INSERT_REJECTED = "INSERT INTO rejected_events (source, topic, "
      + "partition, offset, reason, detail, payload_size, payload_base64, rejected_at_ms) "
      + "FORMAT JSONEachRow";
  private static final String STORED_IDS =
      "SELECT base64Encode(event_id) FROM raw_events WHERE event_id IN {ids:Array(String)}";
  private static final JsonFactory JSON = new JsonFactory();

  private final Store store;
  private final EventParser parser;
  private final DuplicateCheck duplicateCheck;
  private final IngestMetrics metrics;
  private final Clock clock;

  public EventWriter(Store store, EventParser parser, DuplicateCheck duplicateCheck,
      IngestMetrics metrics, Clock clock) {
    this.store = store;
    this.parser = parser;
    this.duplicateCheck = duplicateCheck;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Validates and writes {@code batch}; returns when it is durable. */
  public BatchResult write(List<Message> batch) {
    return write(prepare(batch));
  }

  /**
   * The CPU half of a write, which touches no store: validates every message, drops repeated ids
   * within the batch and encodes the rows. Safe to run while another batch is being written.
   */
  public Prepared prepare(List<Message> batch) {
    long startNanos = System.nanoTime();
    long nowMs = clock.millis();
    Set<String> seen = new HashSet<>(batch.size() * 2);
    List<Accepted> unique = new ArrayList<>(batch.size());
    Map<String, Long> rejectedByReason = new HashMap<>();
    ByteArrayOutputStream rejectedRows = new ByteArrayOutputStream();
    long rejected = 0;
    try (JsonGenerator rejectedOut = JSON.createGenerator(rejectedRows)) {
      for (Message message : batch) {
        switch (parser.parse(message.value())) {
          case ParseResult.Accepted(Event event) -> {
            if (seen.add(event.id())) {
              unique.add(new Accepted(event, message.origin()));
            }
          }
          case ParseResult.Rejected r -> {
            writeRejected(rejectedOut, message, r, nowMs);
            rejectedByReason.merge(r.reason().code(), 1L, Long::sum);
            rejected++;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int validCount = batch.size() - (int) rejected;
    // Rows are encoded now unless the ids already stored must be looked up first.
    byte[] rawRows = duplicateCheck == DuplicateCheck.BATCH ? rawRows(unique, nowMs) : null;
    return new Prepared(unique, validCount, rawRows, rejectedRows.toByteArray(), rejected,
        rejectedByReason, nowMs, System.nanoTime() - startNanos);
  }

  /** The I/O half: writes a prepared batch; returns when it is durable. */
  public BatchResult write(Prepared batch) {
    long startNanos = System.nanoTime();
    List<Accepted> fresh = batch.unique;
    byte[] rows = batch.rawRows;
    if (rows == null) {
      Set<String> stored = fresh.isEmpty() ? Set.of()
          : storedIds(fresh.stream().map(a -> a.event().id()).toList());
      fresh = fresh.stream().filter(a -> !stored.contains(a.event().id())).toList();
      rows = rawRows(fresh, batch.nowMs);
    }
    if (!fresh.isEmpty()) {
      store.insert(INSERT_RAW, rows);
    }
    if (batch.rejected > 0) {
      store.insert(INSERT_REJECTED, batch.rejectedRows);
    }
    Map<String, Long> byFamily = new HashMap<>();
    for (Accepted a : fresh) {
      byFamily.merge(a.event().family(), 1L, Long::sum);
    }
    byFamily.forEach(metrics::accepted);
    batch.rejectedByReason.forEach(metrics::rejected);
    metrics.batchWritten(batch.prepareNanos + System.nanoTime() - startNanos);
    return new BatchResult(fresh.size(), batch.rejected, batch.validCount - fresh.size());
  }

  private Set<String> storedIds(List<String> ids) {
    // base64 keeps ids with tabs or newlines intact through TabSeparated output.
    String tsv = store.queryText(STORED_IDS, Map.of("ids", ids));
    Set<String> stored = new HashSet<>();
    for (String line : tsv.split("\n")) {
      if (!line.isEmpty()) {
        stored.add(new String(Base64.getDecoder().decode(line), StandardCharsets.UTF_8));
      }
    }
    return stored;
  }

  private static byte[] rawRows(List<Accepted> events, long nowMs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(events.size() * 1024);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.setRootValueSeparator(null);
      for (Accepted a : events) {
        Event e = a.event();
        g.writeStartObject();
        g.writeStringField("event_id", e.id());
        g.writeStringField("event_type", e.family());
        g.writeStringField("event_subtype", e.subtype());
        g.writeNumberField("event_time_ms", e.eventTimeMs());
        g.writeNumberField("envelope_time_ms", e.envelope().timestampMs());
        g.writeStringField("gateway", e.envelope().gateway());
        g.writeStringField("stream_id", e.streamId());
        g.writeStringField("request_id", e.requestId());
        g.writeStringField("pipeline", e.pipeline());
        g.writeStringField("orchestrator_address", e.orchestratorAddress());
        g.writeStringField("orchestrator_url", e.orchestratorUrl());
        g.writeBooleanField("is_test_load", e.testLoad());
        g.writeBooleanField("supported", e.supported());
        g.writeStringField("payload", e.envelope().json());
        writeOrigin(g, a.origin());
        g.writeNumberField("ingested_at_ms", nowMs);
        g.writeEndObject();
        g.writeRaw('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeRejected(JsonGenerator g, Message m, ParseResult.Rejected r, long nowMs)
      throws IOException {
    byte[] value = m.value() == null ? new byte[0] : m.value();
    g.writeStartObject();
    writeOrigin(g, m.origin());
    g.writeStringField("reason", r.reason().code());
    g.writeStringField("detail", r.detail());
    g.writeNumberField("payload_size", value.length);
    g.writeStringField("payload_base64", Base64.getEncoder().encodeToString(value));
    g.writeNumberField("rejected_at_ms", nowMs);
    g.writeEndObject();
    g.writeRaw('\n');
  }

  private static void writeOrigin(JsonGenerator g, Origin o) throws IOException {
    g.writeStringField("source", o.source());
    g.writeStringField("topic", o.topic());
    g.writeNumberField("partition", o.partition());
    g.writeNumberField("offset", o.offset());
  }

  private record Accepted(Event event, Origin origin) {}

  /** A validated, encoded batch, ready for {@link #write(Prepared)}. Immutable. */
  public static final class Prepared {
    private final List<Accepted> unique;
    private final int validCount;
    private final byte[] rawRows;
    private final byte[] rejectedRows;
    private final long rejected;
    private final Map<String, Long> rejectedByReason;
    private final long nowMs;
    private final long prepareNanos;

    private Prepared(List<Accepted> unique, int validCount, byte[] rawRows, byte[] rejectedRows,
        long rejected, Map<String, Long> rejectedByReason, long nowMs, long prepareNanos) {
      this.unique = unique;
      this.validCount = validCount;
      this.rawRows = rawRows;
      this.rejectedRows = rejectedRows;
      this.rejected = rejected;
      this.rejectedByReason = rejectedByReason;
      this.nowMs = nowMs;
      this.prepareNanos = prepareNanos;
    }
  }
}
