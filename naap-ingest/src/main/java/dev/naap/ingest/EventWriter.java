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
 * <p>Not thread-safe: one writer per ingest loop.
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
    if (batch.isEmpty()) {
      return BatchResult.EMPTY;
    }
    long startNanos = System.nanoTime();
    long nowMs = clock.millis();
    List<Accepted> accepted = new ArrayList<>(batch.size());
    ByteArrayOutputStream rejectedRows = new ByteArrayOutputStream();
    long rejected = 0;
    try (JsonGenerator rejectedOut = JSON.createGenerator(rejectedRows)) {
      for (Message message : batch) {
        switch (parser.parse(message.value())) {
          case ParseResult.Accepted(Event event) -> accepted.add(new Accepted(event, message.origin()));
          case ParseResult.Rejected r -> {
            writeRejected(rejectedOut, message, r, nowMs);
            metrics.rejected(r.reason().code());
            rejected++;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    List<Accepted> fresh = withoutDuplicates(accepted);
    if (!fresh.isEmpty()) {
      store.insert(INSERT_RAW, rawRows(fresh, nowMs));
    }
    if (rejected > 0) {
      store.insert(INSERT_REJECTED, rejectedRows.toByteArray());
    }
    Map<String, Long> byFamily = new HashMap<>();
    for (Accepted a : fresh) {
      byFamily.merge(a.event().family(), 1L, Long::sum);
    }
    byFamily.forEach(metrics::accepted);
    metrics.batchWritten(System.nanoTime() - startNanos);
    return new BatchResult(fresh.size(), rejected, accepted.size() - fresh.size());
  }

  private List<Accepted> withoutDuplicates(List<Accepted> accepted) {
    Set<String> seen = new HashSet<>(accepted.size() * 2);
    List<Accepted> unique = new ArrayList<>(accepted.size());
    for (Accepted a : accepted) {
      if (seen.add(a.event().id())) {
        unique.add(a);
      }
    }
    if (duplicateCheck == DuplicateCheck.BATCH || unique.isEmpty()) {
      return unique;
    }
    Set<String> stored = storedIds(seen);
    return stored.isEmpty() ? unique
        : unique.stream().filter(a -> !stored.contains(a.event().id())).toList();
  }

  private Set<String> storedIds(Set<String> ids) {
    // base64 keeps ids with tabs or newlines intact through TabSeparated output.
    String tsv = store.queryText(STORED_IDS, Map.of("ids", List.copyOf(ids)));
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
}
