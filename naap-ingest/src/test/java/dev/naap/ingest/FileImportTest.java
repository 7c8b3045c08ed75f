package dev.naap.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.naap.events.EventParser;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileImportTest {

  @TempDir Path dir;
  Store store;
  FileImport fileImport;

  @BeforeEach
  void freshDatabase() {
    store = TestEngine.uniqueStore("file_import");
    fileImport =
        new FileImport(
            new EventWriter(
                store,
                new EventParser(),
                EventWriter.DuplicateCheck.STORE,
                IngestMetrics.unregistered(),
                Clock.systemUTC()),
            1000);
  }

  @Test
  void importFile_realCapture_accepts65AndFillsEveryFamilyTable() {
    BatchResult r = fileImport.importFile(EventFixtures.captureFile());

    assertThat(r).isEqualTo(new BatchResult(65, 0, 0));
    // Per family, as counted in the file: 34 + 17 + 6 + 6 + 1 + 1 = 65.
    assertThat(
            rows(
                "SELECT event_type, count() FROM raw_events FINAL GROUP BY event_type ORDER BY"
                    + " event_type"))
        .isEqualTo(
            """
            ai_stream_status\t17
            create_new_payment\t6
            discovery_results\t1
            network_capabilities\t1
            stream_ingest_metrics\t34
            stream_trace\t6
            """);
    assertThat(rows("SELECT count() FROM stream_trace_events FINAL")).isEqualTo("6\n");
    assertThat(rows("SELECT count() FROM ai_stream_status_events FINAL")).isEqualTo("17\n");
    assertThat(rows("SELECT count() FROM stream_ingest_metrics_events FINAL")).isEqualTo("34\n");
    assertThat(rows("SELECT count() FROM payment_events FINAL")).isEqualTo("6\n");
    // Every family table is typed: a few values checked by hand against the capture file.
    assertThat(
            rows(
                "SELECT subtype, toUnixTimestamp64Milli(event_time) FROM stream_trace_events FINAL "
                    + "WHERE subtype LIKE 'gateway_%' ORDER BY event_time"))
        .isEqualTo(
            """
            gateway_receive_stream_request\t1767908945298
            gateway_send_first_ingest_segment\t1767908947583
            gateway_receive_first_processed_segment\t1767908947953
            gateway_receive_few_processed_segments\t1767908952042
            """);
    assertThat(
            rows(
                "SELECT state, output_fps, orchestrator_address FROM ai_stream_status_events FINAL "
                    + "WHERE toUnixTimestamp64Milli(event_time) = 1767908955609"))
        .isEqualTo("ONLINE\t17.298215447072742\t0x52cf2968b3dc6016778742d3539449a6597d5954\n");
    assertThat(
            rows(
                "SELECT position, orchestrator_address, latency_ms FROM discovery_result_entries"
                    + " FINAL"))
        .isEqualTo("1\t0x52cf2968b3dc6016778742d3539449a6597d5954\t77\n");
    assertThat(
            rows(
                "SELECT local_address, model_id, gpu_id, gpu_name, memory_total_bytes "
                    + "FROM network_capability_gpus FINAL"))
        .isEqualTo(
            "0x52cf2968b3dc6016778742d3539449a6597d5954\t"
                + "streamdiffusion-sdxl-faceid\tGPU-a8d13655-197b-2226-d09f-b4b81e07504b\t"
                + "NVIDIA GeForce RTX 5090\t34190917632\n");
    assertThat(
            rows(
                "SELECT model_id, capacity_in_use, price_per_unit FROM network_capability_models"
                    + " FINAL WHERE capability = 35"))
        .isEqualTo("streamdiffusion-sdxl-faceid\t1\t1618\n");
    assertThat(
            rows(
                "SELECT face_value_wei, price_wei_per_pixel, num_tickets FROM payment_events FINAL "
                    + "WHERE request_id = 'db936fab'"))
        .isEqualTo("2402400000000000\t1635.021\t2\n");
  }

  @Test
  void importFile_sameFileTwice_countsEveryEventAsDuplicateTheSecondTime() {
    fileImport.importFile(EventFixtures.captureFile());

    BatchResult again = fileImport.importFile(EventFixtures.captureFile());

    assertThat(again).isEqualTo(new BatchResult(0, 0, 65));
    assertThat(rows("SELECT count() FROM raw_events")).isEqualTo("65\n");
  }

  @Test
  void importFile_newlineDelimited_quarantinesBadLinesWithTheirExactBytes() throws Exception {
    List<String> envelopes = EventFixtures.captureEnvelopes();
    byte[] invalidUtf8 = EventFixtures.bad(EventFixtures.Bad.INVALID_UTF8.ordinal(), 0);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.write((envelopes.get(0) + "\n").getBytes(StandardCharsets.UTF_8));
    file.write("not json at all\n".getBytes(StandardCharsets.UTF_8));    // line 2
    file.write("\n   \n".getBytes(StandardCharsets.UTF_8)); // lines 3-4: blank, skipped
    file.write(invalidUtf8);                                               // line 5
    file.write('\n');
    file.write((envelopes.get(1) + "\r\n").getBytes(StandardCharsets.UTF_8)); // CRLF is fine
    file.write(
        "{\"id\":\"x\",\"type\":\"stream_trace\""
            .getBytes(StandardCharsets.UTF_8)); // line 7, truncated, no newline
    Path ndjson = dir.resolve("events.ndjson");
    Files.write(ndjson, file.toByteArray());

    BatchResult r = fileImport.importFile(ndjson);

    assertThat(r).isEqualTo(new BatchResult(2, 3, 0));
    assertThat(
            rows("SELECT offset, reason, payload_size FROM rejected_events FINAL ORDER BY offset"))
        .isEqualTo(
            "2\tnot_json\t15\n5\tinvalid_utf8\t" + invalidUtf8.length + "\n7\ttruncated\t31\n");
    assertThat(rows("SELECT hex(payload) FROM rejected_events FINAL WHERE offset = 5"))
        .isEqualTo(HexFormat.of().withUpperCase().formatHex(invalidUtf8) + "\n");
    assertThat(rows("SELECT topic FROM rejected_events FINAL LIMIT 1")).isEqualTo(ndjson + "\n");
  }

  @Test
  void importFile_linesAcrossReadChunks_andAHugeLine_areSplitExactly() throws Exception {
    String envelope = EventFixtures.captureEnvelopes().getFirst();
    String padded =
        envelope.substring(0, envelope.length() - 2) + ",\"pad\":\"" + "x".repeat(200_000) + "\"}}";
    byte[] huge = new byte[FileImport.MAX_KEPT_LINE_BYTES + 1000];
    java.util.Arrays.fill(huge, (byte) 'a');
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.write((padded + "\r\n").getBytes(StandardCharsets.UTF_8)); // 200 kB: spans read chunks
    file.write(huge);                                                  // longer than what is kept
    file.write('\n');
    file.write((EventFixtures.captureEnvelopes().get(1) + "\n").getBytes(StandardCharsets.UTF_8));
    Path ndjson = dir.resolve("big.ndjson");
    Files.write(ndjson, file.toByteArray());

    BatchResult r = fileImport.importFile(ndjson);

    assertThat(r).isEqualTo(new BatchResult(2, 1, 0));
    assertThat(rows("SELECT offset, reason, payload_size FROM rejected_events FINAL"))
        .isEqualTo("2\toversized\t" + FileImport.MAX_KEPT_LINE_BYTES + "\n");
    assertThat(rows("SELECT max(length(payload)) FROM raw_events"))
        .isEqualTo(padded.length() + "\n");
  }

  /**
   * A batch is bounded in bytes as well as in messages: 40 messages of a megabyte each, with room
   * for 20 000 in a batch, are written as 34 (past 32 MiB) and then 6. Each batch takes its
   * ingestion time from one reading of the clock, and this clock moves a second per reading.
   */
  @Test
  void importFile_largeMessages_areWrittenInBatchesBoundedInBytes() throws Exception {
    AtomicLong seconds = new AtomicLong(1_800_000_000L);
    Clock ticking = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochSecond(seconds.incrementAndGet());
      }
    };
    FileImport bounded = new FileImport(new EventWriter(store, new EventParser(),
        EventWriter.DuplicateCheck.STORE, IngestMetrics.unregistered(), ticking));
    StringBuilder file = new StringBuilder();
    for (int n = 0; n < 40; n++) {
      String envelope = withId("large-" + n);
      String pad = "x".repeat(1_000_000 - envelope.length() - 10);
      file.append(envelope, 0, envelope.length() - 2).append(",\"pad\":\"").append(pad)
          .append("\"}}\n");
    }
    Path ndjson = dir.resolve("large.ndjson");
    Files.writeString(ndjson, file);

    assertThat(bounded.importFile(ndjson)).isEqualTo(new BatchResult(40, 0, 0));
    assertThat(rows("SELECT count() FROM raw_events FINAL GROUP BY ingested_at ORDER BY"
        + " ingested_at")).isEqualTo("34\n6\n");
  }

  @Test
  void importFile_missingFile_isAClearError() {
    Path missing = dir.resolve("nope.json");

    assertThatThrownBy(() -> fileImport.importFile(missing))
        .isInstanceOf(FileImport.ImportException.class)
        .hasMessage(missing + ": no such file");
  }

  @Test
  void importFile_arrayCutShort_importsNothingAndSaysWhere() throws Exception {
    List<String> envelopes = EventFixtures.captureEnvelopes();
    Path cut = dir.resolve("cut.json");
    Files.writeString(
        cut,
        "["
            + envelopes.get(0)
            + ",\n"
            + envelopes.get(1)
            + ",\n"
            + envelopes.get(2).substring(0, 40));

    assertThatThrownBy(() -> fileImport.importFile(cut))
        .isInstanceOf(FileImport.ImportException.class)
        .hasMessageContaining(cut + ":3: not a valid JSON array of messages")
        .hasMessageContaining("nothing of it was imported");
    assertThat(rows("SELECT count() FROM raw_events")).isEqualTo("0\n");
  }

  @Test
  void importFile_multiLineArrayWithTrailingContent_isAnErrorNamingTheLine() throws Exception {
    Path file = dir.resolve("trailing.json");
    Files.writeString(file, "[\n" + good(1) + ",\n" + good(2) + "\n]\n" + good(3) + "\n");

    assertThatThrownBy(() -> fileImport.importFile(file))
        .isInstanceOf(FileImport.ImportException.class)
        .hasMessageContaining(file + ":5: content after the JSON array that ends at line 4");
    assertThat(rows("SELECT count() FROM raw_events")).isEqualTo("0\n");
  }

  @Test
  void importFile_wholeArrayWithBom_importsEveryElement() throws Exception {
    Path file = dir.resolve("array.json");
    StringBuilder b = new StringBuilder("\uFEFF[\n");
    for (int i = 0; i < 100; i++) {
      b.append(i == 0 ? "" : ",\n").append(good(i));
    }
    Files.writeString(file, b.append("\n]\n").toString());

    assertThat(fileImport.importFile(file)).isEqualTo(new BatchResult(100, 0, 0));
  }

  /**
   * An element with a repeated key is rejected as on Kafka and in a file of lines, inside an
   * array and inside a capture record's value: the element is passed on as it came, not through
   * a tree that keeps one of the two values. Numbers keep their exact text.
   */
  @Test
  void importFile_arrayElementsWithARepeatedKey_areRejected_andNumbersKeepTheirText()
      throws Exception {
    String repeated = withId("twice").replaceFirst("\\{", "{\"gateway\":\"a\",");
    String exact = withId("exact").replace("\"data\":{", "\"data\":{\"x\":1.50000000000000000001,");
    Path file = dir.resolve("array.json");
    Files.writeString(file, "[" + repeated + ",{\"topic\":\"t\",\"value\":" + repeated
        .replace("twice", "twice-in-record") + "}," + exact + "]");

    assertThat(fileImport.importFile(file)).isEqualTo(new BatchResult(1, 2, 0));
    assertThat(rows("SELECT reason, count() FROM rejected_events GROUP BY reason"))
        .isEqualTo("invalid_value\t2\n");
    assertThat(rows("SELECT position(payload, 'x\":1.50000000000000000001,') > 0"
        + " FROM raw_events WHERE event_id = 'exact'")).isEqualTo("1\n");
  }

  /** Hostile first lines before 100 good events: all 100 are imported, the bad line reported. */
  @Test
  void importFile_hostileFirstLine_neverLosesTheGoodEvents() throws Exception {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    Map<String, String> firstLines = Map.of(
        "array", "[1,2]",
        "deep", deep,
        "deep-object", "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000),
        "bom", "\uFEFF" + good(1000));
    for (var first : firstLines.entrySet()) {
      store = TestEngine.uniqueStore("file_import");
      List<String> problems = new java.util.ArrayList<>();
      FileImport reporting = new FileImport(new EventWriter(store, new EventParser(),
          EventWriter.DuplicateCheck.STORE, IngestMetrics.unregistered(), Clock.systemUTC()), 1000,
          problems::add);
      Path file = dir.resolve(first.getKey() + ".ndjson");
      StringBuilder b = new StringBuilder(first.getValue()).append('\n');
      for (int i = 0; i < 100; i++) {
        b.append(good(i)).append('\n');
      }
      Files.writeString(file, b.toString());

      BatchResult r = reporting.importFile(file);

      boolean bom = first.getKey().equals("bom");
      assertThat(r).as(first.getKey()).isEqualTo(new BatchResult(bom ? 101 : 100, bom ? 0 : 1, 0));
      if (!bom) {
        assertThat(problems)
            .as(first.getKey())
            .singleElement()
            .asString()
            .startsWith(file + ":1: rejected, ");
      }
    }
  }

  @Test
  void importFile_idsWithLoneSurrogates_areRejectedWithFileAndLine_neverCollide() throws Exception {
    List<String> problems = new java.util.ArrayList<>();
    FileImport reporting = new FileImport(new EventWriter(store, new EventParser(),
        EventWriter.DuplicateCheck.STORE, IngestMetrics.unregistered(), Clock.systemUTC()), 1000,
        problems::add);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      b.append(good(i)).append('\n');
    }
    for (int i = 0; i < 60; i++) {
      b.append(withId("x" + i + "\\ud800")).append('\n');
    }
    Path file = dir.resolve("surrogates.ndjson");
    Files.writeString(file, b.toString());

    assertThat(reporting.importFile(file)).isEqualTo(new BatchResult(100, 60, 0));
    assertThat(problems).hasSize(60).first().asString()
        .startsWith(file + ":101: rejected, invalid_value: id: holds an unpaired surrogate");
  }

  /** A valid capture envelope with the id {@code good-<n>}. */
  private static String good(int n) {
    return withId("good-" + n);
  }

  private static String withId(String idJson) {
    return EventFixtures.captureEnvelopes()
        .getFirst()
        .replaceFirst(
            "\"id\":\"[^\"]*\"",
            "\"id\":\"" + java.util.regex.Matcher.quoteReplacement(idJson) + "\"");
  }

  private String rows(String sql) {
    return store.queryText(sql, Map.of());
  }
}
