package dev.naap.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchRuntimeException;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.naap.events.EventParser;
import dev.naap.events.RejectReason;
import dev.naap.store.Store;
import dev.naap.store.StoreException;
import dev.naap.store.TestEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Writing a refused batch by halves, on the real engine: a materialized view over {@code
 * raw_events} made for the test throws for the rows it names, as a view that runs out of memory
 * on one message does.
 */
class BisectionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** 100 messages split 7 deep: at most 4 × 8 writes. */
  private static final int MAX_WRITES = 32;

  @Test
  void isolate_oneMessageTheStoreRefuses_quarantinesItAndStoresEveryOther() {
    Store store = TestEngine.uniqueStore("bisect_one");
    List<Message> batch = batch(EventFixtures.freshEvents(100, 31));
    refuse(store, "event_id = '" + id(batch.get(37)) + "'");
    PrometheusRegistry registry = new PrometheusRegistry();
    CountingStore counting = new CountingStore(store);
    EventWriter writer = writer(counting, new IngestMetrics(registry));
    RuntimeException first = catchRuntimeException(() -> writer.write(batch));
    assertThat(first).isInstanceOf(StoreException.class);
    assertThat(((StoreException) first).code()).isEqualTo(395); // throwIf's

    Bisection.Outcome outcome = new Bisection(writer, () -> false).isolate(batch, first);

    assertThat(outcome.failure()).isNull();
    assertThat(outcome.done().cardinality()).isEqualTo(100);
    assertThat(outcome.written()).isEqualTo(new BatchResult(99, 1, 0));
    assertThat(counting.rawInserts.get()).isLessThanOrEqualTo(1 + MAX_WRITES);
    assertThat(store.queryText("SELECT offset, reason, payload_size,"
            + " startsWith(detail, 'Code: 395. DB::Exception: test: refused'), lengthUTF8(detail)"
            + " FROM rejected_events FINAL", Map.of()))
        .isEqualTo("37\tstore_error\t" + batch.get(37).value().length + "\t1\t301\n");
    assertThat(storedIdsBut(store, batch, 37)).isEqualTo(idsBut(batch, 37));
    assertThat(rejected(registry, "store_error")).isEqualTo(1.0);
    // Inserts are not atomic across views: the refused ones left its row (docs/STORE.md).
    assertThat(store.queryText("SELECT count() > 0 FROM raw_events WHERE event_id = {id:String}",
        Map.of("id", id(batch.get(37))))).isEqualTo("1\n");
  }

  @Test
  void isolate_refusedMessagesInBothHalvesAndSideBySide_quarantinesEachOfThem() {
    Store store = TestEngine.uniqueStore("bisect_three");
    List<Message> batch = batch(EventFixtures.freshEvents(100, 32));
    refuse(store, "event_id IN ('" + id(batch.get(10)) + "', '" + id(batch.get(11)) + "', '"
        + id(batch.get(80)) + "')");
    EventWriter writer = writer(store, IngestMetrics.unregistered());

    Bisection.Outcome outcome =
        new Bisection(writer, () -> false).isolate(batch, failure(writer, batch));

    assertThat(outcome.failure()).isNull();
    assertThat(outcome.written()).isEqualTo(new BatchResult(97, 3, 0));
    assertThat(store.queryText(
            "SELECT offset, reason FROM rejected_events FINAL ORDER BY offset", Map.of()))
        .isEqualTo("10\tstore_error\n11\tstore_error\n80\tstore_error\n");
    assertThat(storedIdsBut(store, batch, 10, 11, 80)).isEqualTo(idsBut(batch, 10, 11, 80));
  }

  @Test
  void isolate_aStoreThatRefusesEveryEvent_quarantinesNothingAndGivesUpSoon() {
    Store store = TestEngine.uniqueStore("bisect_all");
    // Bad messages among the events: pieces of only those are written, which proves nothing
    // about the store's taking events.
    List<byte[]> messages = new ArrayList<>(EventFixtures.freshEvents(100, 33));
    for (int i = 0; i < 100; i += 10) {
      messages.add(i, EventFixtures.bad(0, 0)); // not JSON
    }
    List<Message> batch = batch(messages);
    refuse(store, "1");
    CountingStore counting = new CountingStore(store);
    EventWriter writer = writer(counting, IngestMetrics.unregistered());
    RuntimeException first = failure(writer, batch);

    Bisection.Outcome outcome = new Bisection(writer, () -> false).isolate(batch, first);

    assertThat(outcome.failure()).isInstanceOf(StoreException.class);
    assertThat(outcome.written().accepted()).isZero();
    assertThat(counting.rawInserts.get()).isLessThanOrEqualTo(1 + MAX_WRITES);
    assertThat(store.queryText(
            "SELECT count() FROM rejected_events FINAL WHERE reason = 'store_error'", Map.of()))
        .isEqualTo("0\n");
  }

  @Test
  void isolate_aMessageRefusedForAMoment_isStoredNotQuarantined() {
    Store real = TestEngine.uniqueStore("bisect_moment");
    List<Message> batch = batch(EventFixtures.freshEvents(100, 34));
    String flaky = id(batch.get(50));
    // Refuses what holds the message until it has been refused on its own once.
    AtomicInteger refusedAlone = new AtomicInteger();
    Store store = new DelegatingStore(real) {
      @Override
      public void insert(String insertStatement, byte[] data) {
        String rows = new String(data, StandardCharsets.UTF_8);
        if (insertStatement.startsWith("INSERT INTO raw_events") && rows.contains(flaky)
            && refusedAlone.get() == 0) {
          if (rows.indexOf('\n') == rows.length() - 1) {
            refusedAlone.incrementAndGet();
          }
          throw new StoreException(241, "Code: 241. DB::Exception: Memory limit (total)"
              + " exceeded (simulated)", insertStatement);
        }
        delegate.insert(insertStatement, data);
      }
    };
    EventWriter writer = writer(store, IngestMetrics.unregistered());

    Bisection.Outcome outcome =
        new Bisection(writer, () -> false).isolate(batch, failure(writer, batch));

    assertThat(refusedAlone.get()).isEqualTo(1);
    assertThat(outcome.failure()).isNull();
    assertThat(outcome.written()).isEqualTo(new BatchResult(100, 0, 0));
    assertThat(real.queryText("SELECT count() FROM rejected_events FINAL", Map.of()))
        .isEqualTo("0\n");
    assertThat(storedIdsBut(real, batch)).isEqualTo(idsBut(batch));
  }

  @Test
  void isolate_theLastMessageRefused_isQuarantinedOnceAProbeProvesTheStoreTakesWrites() {
    Store store = TestEngine.uniqueStore("bisect_last");
    List<Message> batch = batch(EventFixtures.freshEvents(100, 35));
    refuse(store, "event_id = '" + id(batch.get(99)) + "'");
    PrometheusRegistry registry = new PrometheusRegistry();
    CountingStore counting = new CountingStore(store);
    EventWriter writer = writer(counting, new IngestMetrics(registry));
    RuntimeException first = failure(writer, batch);
    long start = System.nanoTime();

    // Nothing of the batch is written after it: a stored event, written again, proves the store
    // takes writes, so the message refused once more is the message's fault.
    Bisection.Outcome outcome = new Bisection(writer, () -> false).isolate(batch, first);

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(outcome.failure()).isNull();
    assertThat(outcome.done().cardinality()).isEqualTo(100);
    assertThat(outcome.written()).isEqualTo(new BatchResult(99, 1, 0));
    assertThat(took).isBetween(Bisection.PROBE_DELAY, Duration.ofSeconds(30));
    assertThat(store.queryText("SELECT offset, reason FROM rejected_events FINAL", Map.of()))
        .isEqualTo("99\tstore_error\n");
    // The probe wrote the last event stored again, exactly as stored (so the copies collapse into
    // what was there): no new event, and no metric counts it.
    assertThat(storedIdsBut(store, batch, 99)).isEqualTo(idsBut(batch, 99));
    List<String> raw = counting.rawRows;
    // ... the halves down to 98 alone (stored), 99 alone (refused), the probe, 99 alone again.
    String stored = raw.get(raw.size() - 4);
    String storedAt = stored.substring(stored.lastIndexOf('\t') + 1).strip();
    assertThat(stored).startsWith(id(batch.get(98)) + "\t");
    assertThat(raw.get(raw.size() - 3)).startsWith(id(batch.get(99)) + "\t");
    assertThat(raw.get(raw.size() - 2)).startsWith(id(batch.get(98)) + "\t")
        .endsWith("\t98\t" + storedAt + "\n");
    assertThat(raw.getLast()).startsWith(id(batch.get(99)) + "\t");
    assertThat(store.queryText("SELECT toString(ingested_at), offset, payload = {p:String}"
            + " FROM raw_events FINAL WHERE event_id = {id:String}", Map.of("id",
            id(batch.get(98)), "p", new String(batch.get(98).value(), StandardCharsets.UTF_8))))
        .isEqualTo(storedAt + "\t98\t1\n");
    assertThat(counter(registry, "naap_ingest_events", null)).isEqualTo(99.0);
  }

  @Test
  void isolate_aMessageRefusedAloneByAFreshWriter_isProvenByAnEventStoredBefore() {
    Store store = TestEngine.uniqueStore("bisect_fresh");
    List<byte[]> events = EventFixtures.freshEvents(21, 38);
    writer(store, IngestMetrics.unregistered()).write(batch(events.subList(0, 20)));
    List<Message> alone = List.of(new Message(events.get(20), Origin.kafka("t", 0, 20)));
    refuse(store, "event_id = '" + id(alone.getFirst()) + "'");
    String stored = "SELECT count(), sum(cityHash64(*)) FROM raw_events FINAL"
        + " WHERE event_id != {id:String}";
    Map<String, String> notRefused = Map.of("id", id(alone.getFirst()));
    String before = store.queryText(stored, notRefused);
    CountingStore counting = new CountingStore(store);
    EventWriter fresh = writer(counting, IngestMetrics.unregistered());

    Bisection.Outcome outcome =
        new Bisection(fresh, () -> false).isolate(alone, failure(fresh, alone));

    assertThat(outcome.failure()).isNull();
    assertThat(outcome.written()).isEqualTo(new BatchResult(0, 1, 0));
    assertThat(store.queryText("SELECT offset, reason FROM rejected_events FINAL", Map.of()))
        .isEqualTo("20\tstore_error\n");
    // The message, the probe (one of the 20, written again as stored), the message again: the
    // stored events are as they were.
    assertThat(counting.rawInserts.get()).isEqualTo(3);
    assertThat(before).startsWith("20\t");
    assertThat(store.queryText(stored, notRefused)).isEqualTo(before);
  }

  @Test
  void isolate_aMessageRefusedAloneWhileTheStoreRefusesEveryEvent_isNotQuarantined() {
    Store store = TestEngine.uniqueStore("bisect_alone_all");
    List<byte[]> events = EventFixtures.freshEvents(21, 39);
    EventWriter writer = writer(store, IngestMetrics.unregistered());
    writer.write(batch(events.subList(0, 20))); // the probe has an event to write again
    refuse(store, "1");
    List<Message> alone = List.of(new Message(events.get(20), Origin.kafka("t", 0, 20)));
    RuntimeException first = failure(writer, alone);

    Bisection.Outcome outcome = new Bisection(writer, () -> false).isolate(alone, first);
    // On a new writer, the probe writes again whatever event the store holds: refused as well.
    EventWriter fresh = writer(store, IngestMetrics.unregistered());
    Bisection.Outcome onFresh =
        new Bisection(fresh, () -> false).isolate(alone, failure(fresh, alone));

    for (Bisection.Outcome o : List.of(outcome, onFresh)) {
      assertThat(o.failure()).isInstanceOf(StoreException.class);
      assertThat(o.done().isEmpty()).isTrue();
      assertThat(o.written()).isEqualTo(BatchResult.EMPTY);
    }
    assertThat(store.queryText("SELECT count() FROM rejected_events", Map.of())).isEqualTo("0\n");
  }

  @Test
  void isolate_aMessageRefusedAloneWithNoEventStored_waitsForALaterWrite() {
    Store real = TestEngine.uniqueStore("bisect_empty");
    List<Message> alone = batch(EventFixtures.freshEvents(1, 40));
    String refused = id(alone.getFirst());
    // Refuses the message before it reaches the table: the store holds no event at all.
    Store store = new DelegatingStore(real) {
      @Override
      public void insert(String insertStatement, byte[] data) {
        if (new String(data, StandardCharsets.UTF_8).contains(refused)) {
          throw new StoreException(241, "Code: 241. DB::Exception: Memory limit (total)"
              + " exceeded (simulated)", insertStatement);
        }
        delegate.insert(insertStatement, data);
      }
    };
    EventWriter writer = writer(store, IngestMetrics.unregistered());

    Bisection.Outcome outcome =
        new Bisection(writer, () -> false).isolate(alone, failure(writer, alone));

    assertThat(outcome.failure()).isInstanceOf(StoreException.class);
    assertThat(outcome.done().isEmpty()).isTrue();
    assertThat(real.queryText("SELECT count() FROM raw_events", Map.of())).isEqualTo("0\n");
    assertThat(real.queryText("SELECT count() FROM rejected_events", Map.of()))
        .isEqualTo("0\n");
  }

  @Test
  void isolate_aFreshWriter_neverProbesWithTheRowOfARefusedMessage() {
    Store store = TestEngine.uniqueStore("bisect_leftovers");
    List<Message> two = batch(EventFixtures.freshEvents(2, 42));
    refuse(store, "1");
    // A message quarantined before, and the one refused now: their refused inserts left their
    // rows, the only ones the store holds.
    EventWriter writer = writer(store, IngestMetrics.unregistered());
    failure(writer, two.subList(0, 1));
    writer.quarantine(two.getFirst(), RejectReason.STORE_ERROR, "refused before");
    List<Message> alone = two.subList(1, 2);
    CountingStore counting = new CountingStore(store);
    EventWriter fresh = writer(counting, IngestMetrics.unregistered());
    RuntimeException first = failure(fresh, alone);
    assertThat(store.queryText("SELECT uniqExact(event_id) FROM raw_events", Map.of()))
        .isEqualTo("2\n");

    Bisection.Outcome outcome = new Bisection(fresh, () -> false).isolate(alone, first);

    assertThat(outcome.failure()).isInstanceOf(StoreException.class);
    assertThat(outcome.done().isEmpty()).isTrue();
    assertThat(counting.rawInserts.get()).isEqualTo(1); // the message's own write: no probe
    assertThat(store.queryText("SELECT offset FROM rejected_events", Map.of())).isEqualTo("0\n");
  }

  @Test
  void isolate_aStopWhileWaitingToProbe_endsTheRunAtOnceWithoutAProbe() {
    Store real = TestEngine.uniqueStore("bisect_stop_probe");
    List<Message> batch = batch(EventFixtures.freshEvents(10, 41));
    refuse(real, "event_id = '" + id(batch.get(9)) + "'");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong stopNanos = new AtomicLong();
    AtomicInteger inserts = new AtomicInteger();
    // Asks for a stop once the refused message was refused on its own.
    Store store = new DelegatingStore(real) {
      @Override
      public void insert(String insertStatement, byte[] data) {
        inserts.incrementAndGet();
        try {
          delegate.insert(insertStatement, data);
        } catch (StoreException e) {
          String rows = new String(data, StandardCharsets.UTF_8);
          stop.set(rows.indexOf('\n') == rows.length() - 1);
          stopNanos.set(System.nanoTime());
          throw e;
        }
      }
    };
    EventWriter writer = writer(store, IngestMetrics.unregistered());
    RuntimeException first = failure(writer, batch);

    Bisection.Outcome outcome = new Bisection(writer, stop::get).isolate(batch, first);

    assertThat(stop.get()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - stopNanos.get()))
        .isLessThan(Bisection.PROBE_DELAY.dividedBy(2));
    assertThat(outcome.failure()).isInstanceOf(StoreException.class);
    assertThat(outcome.done().cardinality()).isEqualTo(9);
    assertThat(outcome.done().get(9)).isFalse();
    assertThat(inserts.get()).isEqualTo(9); // the batch, 8 halves, no probe
    assertThat(real.queryText("SELECT count() FROM rejected_events", Map.of())).isEqualTo("0\n");
  }

  @Test
  void isolate_aFailureThatBlamesTheStore_isNotSplit() {
    Store real = TestEngine.uniqueStore("bisect_disk");
    AtomicInteger inserts = new AtomicInteger();
    Store store = new DelegatingStore(real) {
      @Override
      public void insert(String insertStatement, byte[] data) {
        inserts.incrementAndGet();
        throw new StoreException(243, "Code: 243. DB::Exception: Cannot reserve 1.00 MiB,"
            + " not enough space (simulated)", insertStatement);
      }
    };
    List<Message> batch = batch(EventFixtures.freshEvents(100, 37));
    EventWriter writer = writer(store, IngestMetrics.unregistered());
    RuntimeException first = failure(writer, batch);
    RuntimeException down = new StoreException(0, "cannot reach ClickHouse server", null);

    Bisection bisection = new Bisection(writer, () -> false);
    Bisection.Outcome full = bisection.isolate(batch, first);
    Bisection.Outcome unreachable = bisection.isolate(batch, down);
    Bisection.Outcome stopping = new Bisection(writer, () -> true)
        .isolate(batch, new StoreException(395, "Code: 395. refused", null));

    assertThat(full.failure()).isSameAs(first);
    assertThat(unreachable.failure()).isSameAs(down);
    assertThat(stopping.failure()).hasMessageContaining("stopping");
    assertThat(inserts.get()).isEqualTo(1); // the batch's own write only
    for (Bisection.Outcome o : List.of(full, unreachable, stopping)) {
      assertThat(o.done().isEmpty()).isTrue();
      assertThat(o.written()).isEqualTo(BatchResult.EMPTY);
    }
  }

  /** Creates a view that throws for the {@code raw_events} rows that match {@code condition}. */
  private static void refuse(Store store, String condition) {
    store.execute("CREATE TABLE refused_sink (x UInt8) ENGINE = Null");
    store.execute("CREATE MATERIALIZED VIEW refuse TO refused_sink AS SELECT throwIf("
        + condition + ", 'test: refused" + ".".repeat(400) + "') AS x FROM raw_events");
  }

  private static EventWriter writer(Store store, IngestMetrics metrics) {
    return new EventWriter(
        store, new EventParser(), EventWriter.DuplicateCheck.BATCH, metrics, Clock.systemUTC());
  }

  private static RuntimeException failure(EventWriter writer, List<Message> batch) {
    RuntimeException e = catchRuntimeException(() -> writer.write(batch));
    assertThat(e).isNotNull();
    return e;
  }

  private static List<Message> batch(List<byte[]> values) {
    List<Message> batch = new ArrayList<>();
    for (byte[] v : values) {
      batch.add(new Message(v, Origin.kafka("t", 0, batch.size())));
    }
    return batch;
  }

  private static String id(Message m) {
    try {
      return JSON.readTree(m.value()).get("id").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ids of the batch's messages but those at {@code refused}. */
  private static Set<String> idsBut(List<Message> batch, int... refused) {
    Set<Integer> skip = Arrays.stream(refused).boxed().collect(Collectors.toSet());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < batch.size(); i++) {
      if (!skip.contains(i)) {
        ids.add(id(batch.get(i)));
      }
    }
    return ids;
  }

  /**
   * The ids in {@code raw_events} but those of the messages at {@code refused}: a refused insert
   * may have left their rows there (inserts are not atomic across views).
   */
  private static Set<String> storedIdsBut(Store store, List<Message> batch, int... refused) {
    Set<String> ids = new HashSet<>(List.of(
        store.queryText("SELECT event_id FROM raw_events FINAL", Map.of()).split("\n")));
    for (int i : refused) {
      ids.remove(id(batch.get(i)));
    }
    return ids;
  }

  private static double rejected(PrometheusRegistry registry, String reason) {
    return counter(registry, "naap_ingest_rejected", reason);
  }

  private static double counter(PrometheusRegistry registry, String name, String reason) {
    return registry.scrape().stream()
        .filter(m -> m.getMetadata().getName().equals(name))
        .flatMap(m -> ((CounterSnapshot) m).getDataPoints().stream())
        .filter(p -> reason == null || reason.equals(p.getLabels().get("reason")))
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
        .sum();
  }

  /** Counts the inserts into {@code raw_events}, and keeps their rows. */
  private static final class CountingStore extends DelegatingStore {
    final AtomicInteger rawInserts = new AtomicInteger();
    final List<String> rawRows = new CopyOnWriteArrayList<>();

    CountingStore(Store delegate) {
      super(delegate);
    }

    @Override
    public void insert(String insertStatement, byte[] data) {
      if (insertStatement.startsWith("INSERT INTO raw_events")) {
        rawInserts.incrementAndGet();
        rawRows.add(new String(data, StandardCharsets.UTF_8));
      }
      delegate.insert(insertStatement, data);
    }
  }
}
