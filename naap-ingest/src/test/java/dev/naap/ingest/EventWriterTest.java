package dev.naap.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.events.EventParser;
import dev.naap.store.Rows;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rows {@link EventWriter} sends keep every byte of a message as received, whatever the
 * bytes, and its times to the millisecond: the TabSeparated rows escape what they must.
 */
class EventWriterTest {

  @Test
  void write_storesPayloadBytesAndTimesExactly() {
    Store store = TestEngine.uniqueStore("event_writer");
    Clock clock = Clock.fixed(Instant.parse("2026-12-05T04:30:01.007Z"), ZoneOffset.UTC);
    EventWriter writer = new EventWriter(store, new EventParser(),
        EventWriter.DuplicateCheck.BATCH, IngestMetrics.unregistered(), clock);
    byte[] everyByte = new byte[512];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = (byte) i; // twice over: 00 0A 0A … and a lone \, tab, CR
    }
    String envelope = EventFixtures.captureEnvelopes().getFirst();
    // A valid event whose payload holds a tab, a backslash escape and a line break between fields.
    byte[] valid = envelope.replaceFirst("\\{", "{\t\n\r\n").replaceFirst("\"type\"",
        "\"x\":\"a\\\\\\\\b\\\\n\", \"type\"").getBytes(StandardCharsets.UTF_8);

    BatchResult r = writer.write(List.of(
        new Message(everyByte, Origin.kafka("t\\opic", 3, 2570)),
        new Message(valid, Origin.kafka("t\\opic", 3, 2571))));

    assertThat(r).isEqualTo(new BatchResult(1, 1, 0));
    Rows rejected = Rows.query(store, "SELECT hex(payload) AS p, topic, offset,"
        + " toUnixTimestamp64Milli(rejected_at) AS at FROM rejected_events",
        Map.of(), List.of("p", "topic", "offset", "at"));
    assertThat(rejected.single().string("p"))
        .isEqualTo(HexFormat.of().withUpperCase().formatHex(everyByte));
    assertThat(rejected.single().string("topic")).isEqualTo("t\\opic");
    assertThat(rejected.single().integer("offset")).isEqualTo(2570L);
    assertThat(rejected.single().integer("at")).isEqualTo(clock.millis());
    Rows raw = Rows.query(store, "SELECT hex(payload) AS p, toUnixTimestamp64Milli(ingested_at)"
        + " AS at FROM raw_events", Map.of(), List.of("p", "at"));
    assertThat(raw.single().string("p")).isEqualTo(HexFormat.of().withUpperCase().formatHex(valid));
    assertThat(raw.single().integer("at")).isEqualTo(clock.millis());
  }

  @Test
  void writeAgain_writesTheCopyReadersSee_soThatTheyStillSeeItExactly() {
    Store store = TestEngine.uniqueStore("write_again");
    String envelope = EventFixtures.captureEnvelopes().getFirst();
    byte[] valid = envelope.replaceFirst("\\{", "{\t\n\r\n").replaceFirst("\"type\"",
        "\"x\":\"a\\\\\\\\b\\\\n\", \"type\"").getBytes(StandardCharsets.UTF_8);
    EventWriter first = new EventWriter(store, new EventParser(),
        EventWriter.DuplicateCheck.BATCH, IngestMetrics.unregistered(),
        Clock.fixed(Instant.parse("2026-12-05T04:30:01.007Z"), ZoneOffset.UTC));
    EventWriter later = new EventWriter(store, new EventParser(),
        EventWriter.DuplicateCheck.BATCH, IngestMetrics.unregistered(),
        Clock.fixed(Instant.parse("2026-12-05T05:00:00.001Z"), ZoneOffset.UTC));
    first.write(List.of(new Message(valid, Origin.kafka("t\\opic", 3, 7))));
    // Delivered again and stored again later: readers see the later copy.
    later.write(List.of(new Message(valid, Origin.kafka("t\\opic", 3, 9))));
    String seen = "SELECT hex(payload), topic, offset, toUnixTimestamp64Milli(ingested_at),"
        + " cityHash64(*) FROM raw_events FINAL";
    String before = store.queryText(seen, Map.of());
    assertThat(before).contains("\tt\\\\opic\t9\t" + Instant.parse("2026-12-05T05:00:00.001Z")
        .toEpochMilli() + "\t");

    assertThat(first.writeAgain(List.of())).isTrue();

    assertThat(store.queryText(seen, Map.of())).isEqualTo(before);
    assertThat(store.queryText("SELECT hex(payload) FROM raw_events FINAL", Map.of()))
        .isEqualTo(HexFormat.of().withUpperCase().formatHex(valid) + "\n");
  }

  @Test
  void write_keepsOrderAndFirstOfRepeatedIdsAcrossSlicesAndBatches() {
    Store store = TestEngine.uniqueStore("event_writer_slices");
    EventWriter writer = new EventWriter(store, new EventParser(),
        EventWriter.DuplicateCheck.BATCH, IngestMetrics.unregistered(), Clock.systemUTC());
    List<byte[]> events = EventFixtures.freshEvents(9_000, 7);
    String id = "d\u00e9j\u00e0\\vu"; // not ASCII, and a backslash to escape
    String first = EventFixtures.captureEnvelopes().getFirst();
    String firstId = first.substring(first.indexOf("\"id\":\"") + 6, first.indexOf('"',
        first.indexOf("\"id\":\"") + 6));
    byte[] repeated = first.replace(firstId, id.replace("\\", "\\\\"))
        .getBytes(StandardCharsets.UTF_8);
    events.set(10, repeated); // in the first slice of rows
    events.set(4_444, repeated); // in the third: a repeat, not written
    List<Message> batch = new ArrayList<>();
    for (int i = 0; i < 4_500; i++) {
      batch.add(new Message(events.get(i), Origin.kafka("t", 0, i)));
    }
    List<Message> next = new ArrayList<>(); // smaller, so reused buffers must not leak old rows
    for (int i = 4_500; i < 5_000; i++) {
      next.add(new Message(events.get(i), Origin.kafka("t", 0, i)));
    }

    assertThat(writer.write(batch)).isEqualTo(new BatchResult(4_499, 0, 1));
    assertThat(writer.write(next)).isEqualTo(new BatchResult(500, 0, 0));

    Rows raw = Rows.query(store, "SELECT offset, event_id, hex(payload) AS p FROM raw_events"
        + " ORDER BY offset", Map.of(), List.of("offset", "event_id", "p"));
    assertThat(raw.size()).isEqualTo(4_999);
    int row = 0;
    for (int i = 0; i < 5_000; i++) {
      if (i == 4_444) {
        continue;
      }
      Rows.Row r = raw.list().get(row++);
      assertThat(r.integer("offset")).isEqualTo((long) i);
      assertThat(r.string("p")).isEqualTo(HexFormat.of().withUpperCase().formatHex(events.get(i)));
    }
    assertThat(raw.list().get(10).string("event_id")).isEqualTo(id);
  }
}
