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
}
