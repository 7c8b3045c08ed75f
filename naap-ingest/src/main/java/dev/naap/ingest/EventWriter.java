package dev.naap.ingest;

import dev.naap.events.Event;
import dev.naap.events.EventParser;
import dev.naap.events.ParseResult;
import dev.naap.events.RejectReason;
import dev.naap.store.Rows;
import dev.naap.store.Sql;
import dev.naap.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

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
 * <p>Thread-safe, and stateless but for spare encoding buffers: {@link #prepare} (CPU) of one batch
 * may run while {@link #write(Prepared)} (I/O) of another is under way. {@link #prepare} parses and
 * encodes on the common fork-join pool as well as the calling thread, so that a batch uses every
 * core.
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
      + "event_subtype, event_time, envelope_time, gateway, stream_id, request_id, pipeline, "
      + "orchestrator_address, orchestrator_url, is_test_load, supported, payload, source, topic, "
      + "partition, offset, ingested_at) FORMAT TabSeparated";
  private static final String INSERT_REJECTED = "INSERT INTO rejected_events (source, topic, "
      + "partition, offset, reason, detail, payload_size, payload, rejected_at) "
      + "FORMAT TabSeparated";
  private static final String STORED_IDS = Sql.load(EventWriter.class, "stored_ids.sql");
  private static final String STORED_ROW = Sql.load(EventWriter.class, "stored_row.sql");
  private static final String ANY_STORED_ROW =
      Sql.load(EventWriter.class, "any_stored_row.sql");

  /** Rows one task encodes: large enough to outweigh the hand-off, small enough to share out. */
  private static final int ROWS_PER_SLICE = 2_000;
  /**
   * Slice buffers kept for the next batch (about 2 MB each): a batch of 20 000 events needs 10,
   * and allocating them afresh each time was a fifth of the ingest's garbage. One grown by a
   * batch of unusually large messages is not kept, so that the spares stay under 48 MiB.
   */
  private static final int MAX_SPARE_SLICES = 12;
  private static final int MAX_SPARE_SLICE_BYTES = 4 << 20;

  private final Store store;
  private final EventParser parser;
  private final DuplicateCheck duplicateCheck;
  private final IngestMetrics metrics;
  private final Clock clock;
  private final Queue<TabSeparated> spareSlices = new ConcurrentLinkedQueue<>();
  /** Writes so far that stored valid events, on any thread. */
  private final AtomicLong storedWrites = new AtomicLong();
  /** The id of the last event stored: what {@link #writeAgain} writes again. */
  private volatile String lastStoredId;

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
    TabSeparated rejectedRows = new TabSeparated(256);
    List<Rejection> rejections = new ArrayList<>();
    long rejected = 0;
    // Parsing is most of the work and each message stands alone: it runs on every core.
    List<ParseResult> parsed = batch.parallelStream().map(m -> parser.parse(m.value())).toList();
    for (int i = 0; i < batch.size(); i++) {
      Message message = batch.get(i);
      switch (parsed.get(i)) {
        case ParseResult.Accepted(Event event) -> {
          if (seen.add(event.id())) {
            unique.add(new Accepted(event, message));
          }
        }
        case ParseResult.Rejected r -> {
          writeRejected(rejectedRows, message, r, nowMs);
          rejectedByReason.merge(r.reason().code(), 1L, Long::sum);
          rejections.add(new Rejection(message.origin(), r.reason().code(), r.detail()));
          rejected++;
        }
      }
    }
    int validCount = batch.size() - (int) rejected;
    // Rows are encoded now unless the ids already stored must be looked up first; once encoded,
    // the parsed events are not kept (they are most of a batch's heap).
    if (duplicateCheck == DuplicateCheck.BATCH) {
      return new Prepared(List.of(), unique.isEmpty() ? null : unique.getLast().event().id(),
          familyCounts(unique), validCount, rawRows(unique, nowMs), rejectedRows.toByteArray(),
          rejections, rejectedByReason, nowMs, System.nanoTime() - startNanos);
    }
    return new Prepared(unique, null, null, validCount, null, rejectedRows.toByteArray(),
        rejections, rejectedByReason, nowMs, System.nanoTime() - startNanos);
  }

  /**
   * The I/O half: writes a prepared batch; returns when it is durable. A batch is written once:
   * its encoding buffers go back to the spares afterwards, whether the write succeeded or not.
   *
   * @throws IllegalStateException if {@code batch} was written before
   */
  public BatchResult write(Prepared batch) {
    if (!batch.written.compareAndSet(false, true)) {
      throw new IllegalStateException("a prepared batch is written once");
    }
    long startNanos = System.nanoTime();
    List<TabSeparated> rows = batch.rawRows;
    Map<String, Long> byFamily = batch.familyCounts;
    String lastId = batch.lastId;
    try {
      if (rows == null) {
        Set<String> stored = batch.unique.isEmpty() ? Set.of()
            : storedIds(batch.unique.stream().map(a -> a.event().id()).toList());
        List<Accepted> fresh =
            batch.unique.stream().filter(a -> !stored.contains(a.event().id())).toList();
        rows = rawRows(fresh, batch.nowMs);
        byFamily = familyCounts(fresh);
        lastId = fresh.isEmpty() ? null : fresh.getLast().event().id();
      }
      long written = byFamily.values().stream().mapToLong(Long::longValue).sum();
      if (written > 0) {
        // The slices go to the store as they are: joining them was another copy of the batch.
        store.insert(INSERT_RAW, rows.stream().map(TabSeparated::view).toList());
      }
      if (batch.rejected > 0) {
        store.insert(INSERT_REJECTED, batch.rejectedRows);
      }
      if (written > 0) {
        lastStoredId = lastId;
        storedWrites.incrementAndGet();
      }
      byFamily.forEach(metrics::accepted);
      batch.rejectedByReason.forEach(metrics::rejected);
      metrics.batchWritten(batch.prepareNanos + System.nanoTime() - startNanos);
      return new BatchResult(written, batch.rejected, batch.validCount - written);
    } finally {
      if (rows != null) {
        keepSpares(rows);
      }
    }
  }

  /**
   * Quarantines one message, valid or not, for {@code reason}: a {@code rejected_events} row with
   * {@code detail} (cut as the parser's are) and the bytes; returns when it is durable. For what
   * the parser does not see, such as a message the store refuses ({@link Bisection}).
   */
  public void quarantine(Message message, RejectReason reason, String detail) {
    TabSeparated row = new TabSeparated(256);
    writeRejected(row, message, new ParseResult.Rejected(reason, RejectReason.cut(detail)),
        clock.millis());
    store.insert(INSERT_REJECTED, row.toByteArray());
    metrics.rejected(reason.code(), 1);
  }

  /** How many writes have stored valid events so far, on any thread; only ever grows. */
  long storedWrites() {
    return storedWrites.get();
  }

  /**
   * Writes again, to {@code raw_events}, an event the store already holds, exactly as its readers
   * see it (the last one this writer stored, else any stored one but {@code refused} and the
   * messages quarantined as {@code store_error}): a write of valid events through the table and
   * all of its views that leaves no trace, since they collapse the copies of an event as they do
   * a redelivered one (docs/ARCHITECTURE.md, "Delivery"). Counts in no metric. A proof that the
   * store takes writes ({@link Bisection}).
   *
   * @param refused messages the store just refused, whose rows a refused insert may have left
   * @return false when the store holds no such event, so nothing was written
   * @throws RuntimeException when the store refuses the write
   */
  boolean writeAgain(List<Message> refused) {
    String id = lastStoredId;
    byte[] row = id == null ? new byte[0]
        : store.query(STORED_ROW, Map.of("id", id), "TabSeparated");
    if (row.length == 0) { // none stored by this writer yet, or dropped since
      List<String> ids = new ArrayList<>();
      for (Message m : refused) {
        if (parser.parse(m.value()) instanceof ParseResult.Accepted(Event e)) {
          ids.add(e.id());
        }
      }
      row = store.query(ANY_STORED_ROW, Map.of("refused", ids), "TabSeparated");
      if (row.length == 0) {
        return false;
      }
    }
    store.insert(INSERT_RAW, row);
    return true;
  }

  private static Map<String, Long> familyCounts(List<Accepted> events) {
    Map<String, Long> byFamily = new HashMap<>();
    for (Accepted a : events) {
      byFamily.merge(a.event().family(), 1L, Long::sum);
    }
    return byFamily;
  }

  private Set<String> storedIds(List<String> ids) {
    Set<String> stored = new HashSet<>();
    for (Rows.Row r : Rows.query(store, STORED_IDS, Map.of("ids", ids),
        List.of("event_id_base64"))) {
      stored.add(new String(Base64.getDecoder().decode(r.string("event_id_base64")),
          StandardCharsets.UTF_8));
    }
    return stored;
  }

  /** Rows in the column order of {@link #INSERT_RAW}, encoded in slices on every core. */
  private List<TabSeparated> rawRows(List<Accepted> events, long nowMs) {
    int slices = (events.size() + ROWS_PER_SLICE - 1) / ROWS_PER_SLICE;
    return IntStream.range(0, slices).parallel()
        .mapToObj(s -> rawRowSlice(events.subList(s * ROWS_PER_SLICE,
            Math.min(events.size(), (s + 1) * ROWS_PER_SLICE)), nowMs))
        .toList();
  }

  /** Keeps written slices for the next batches, unless there are enough or one grew large. */
  private void keepSpares(List<TabSeparated> parts) {
    for (TabSeparated part : parts) {
      if (part.capacity() <= MAX_SPARE_SLICE_BYTES && spareSlices.size() < MAX_SPARE_SLICES) {
        spareSlices.add(part);
      }
    }
  }

  private TabSeparated rawRowSlice(List<Accepted> events, long nowMs) {
    TabSeparated out = spareSlices.poll();
    if (out == null) {
      out = new TabSeparated(ROWS_PER_SLICE * 1024);
    }
    out.clear();
    for (Accepted a : events) {
      Event e = a.event();
      out.string(e.id()).string(e.family()).string(e.subtype())
          .millis(e.eventTimeMs()).millis(e.envelope().timestampMs())
          .string(e.envelope().gateway()).string(e.streamId()).string(e.requestId())
          .string(e.pipeline()).string(e.orchestratorAddress()).string(e.orchestratorUrl())
          .bool(e.testLoad()).bool(e.supported())
          .bytes(a.message().value());
      origin(out, a.message().origin()).millis(nowMs).end();
    }
    return out;
  }

  /** A row in the column order of {@link #INSERT_REJECTED}: the bytes exactly as received. */
  private static void writeRejected(
      TabSeparated out, Message m, ParseResult.Rejected r, long nowMs) {
    byte[] value = m.value() == null ? new byte[0] : m.value();
    origin(out, m.origin()).string(r.reason().code()).string(r.detail())
        .int64(value.length).bytes(value).millis(nowMs).end();
  }

  private static TabSeparated origin(TabSeparated out, Origin o) {
    return out.string(o.source()).string(o.topic()).int32(o.partition()).int64(o.offset());
  }

  private record Accepted(Event event, Message message) {}

  /** A message that was quarantined: where it came from, the reason code and the detail. */
  public record Rejection(Origin origin, String reason, String detail) {}

  /** A validated, encoded batch, ready for {@link #write(Prepared)}. Immutable. */
  public static final class Prepared {
    private final List<Accepted> unique; // kept only while rows wait for the stored-id lookup
    private final String lastId; // of the last row encoded, if any: stored, it is lastStoredId
    private final Map<String, Long> familyCounts; // set once rows are encoded
    private final int validCount;
    private final List<TabSeparated> rawRows; // set once encoded; lent to the store once
    private final AtomicBoolean written = new AtomicBoolean();
    private final byte[] rejectedRows;
    private final List<Rejection> rejections;
    private final long rejected;
    private final Map<String, Long> rejectedByReason;
    private final long nowMs;
    private final long prepareNanos;

    private Prepared(List<Accepted> unique, String lastId, Map<String, Long> familyCounts,
        int validCount, List<TabSeparated> rawRows, byte[] rejectedRows,
        List<Rejection> rejections, Map<String, Long> rejectedByReason, long nowMs,
        long prepareNanos) {
      this.unique = unique;
      this.lastId = lastId;
      this.familyCounts = familyCounts;
      this.validCount = validCount;
      this.rawRows = rawRows;
      this.rejectedRows = rejectedRows;
      this.rejections = List.copyOf(rejections);
      this.rejected = rejections.size();
      this.rejectedByReason = rejectedByReason;
      this.nowMs = nowMs;
      this.prepareNanos = prepareNanos;
    }

    /** The messages of the batch that are quarantined, in batch order. */
    public List<Rejection> rejections() {
      return rejections;
    }
  }
}
