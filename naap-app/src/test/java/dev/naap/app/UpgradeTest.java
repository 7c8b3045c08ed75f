package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.events.EventParser;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.FileImport;
import dev.naap.ingest.IngestMetrics;
import dev.naap.ingest.KafkaIngest;
import dev.naap.ingest.KafkaIngestConfig;
import dev.naap.kafka.KafkaBroker;
import dev.naap.metrics.Refresher;
import dev.naap.sim.FileSink;
import dev.naap.sim.Pacer;
import dev.naap.sim.SimConfig;
import dev.naap.sim.Simulator;
import dev.naap.store.Migrations;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade with the ingest running: a store built from the previous release's migrations
 * ({@code src/test/resources/releases/30a16ec}, exactly as shipped) ingests half of a simulated
 * network's events from Kafka; the other half is produced while this release's migrations are
 * applied to it; nothing may be lost: its events, quarantine, family tables and rollups equal
 * those of a store that was always on this release and imported the same events.
 */
class UpgradeTest {

  static final String PREVIOUS_RELEASE = "30a16ec";
  private static final String TOPIC = "events";
  private static final String GROUP = "upgrade";

  @TempDir Path dir;

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void previousReleasesStore_migratesForwardUnderIngest_losingNothing() throws Exception {
    Path events = dir.resolve("events.ndjson");
    SimConfig config =
        SimConfig.builder()
            .seed(16)
            .startMs(Instant.parse("2026-05-04T10:00:00Z").toEpochMilli())
            .duration(Duration.ofMinutes(40))
            .build();
    try (FileSink sink = new FileSink(events)) {
      new Simulator(config).run(sink, Pacer.none());
    }
    List<String> lines = Files.readAllLines(events, StandardCharsets.UTF_8);
    assertThat(lines).hasSizeGreaterThan(1_000);

    Store anchor = TestEngine.uniqueStore("upgrade_anchor");
    String db = "upgrade_" + System.nanoTime();
    anchor.execute("CREATE DATABASE " + db + " ENGINE = Atomic");
    Store upgraded = anchor.withDatabase(db);
    Path release =
        Path.of("src", "test", "resources", "releases", PREVIOUS_RELEASE).toAbsolutePath();
    List<String> previous;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {release.toUri().toURL()}, null)) {
      previous = Migrations.apply(upgraded, loader);
    }
    assertThat(previous).startsWith("V001").contains("V030");

    List<String> forward;
    try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Config.at(dir.resolve("kafka")));
        var producer =
            new KafkaProducer<byte[], byte[]>(
                Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG,
                    "all",
                    ProducerConfig.LINGER_MS_CONFIG,
                    10,
                    // On a topic whose leader is still being elected, the idempotent producer was
                    // seen to
                    // retry OUT_OF_ORDER_SEQUENCE_NUMBER for minutes; one request in flight keeps
                    // the order
                    // without it, and a batch refused by a non-leader was not written, so none
                    // repeats.
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    false,
                    ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                    1),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      broker.createTopic(TOPIC, 2);
      KafkaIngest ingest =
          new KafkaIngest(
              KafkaIngestConfig.plaintext(broker.bootstrapServers(), List.of(TOPIC), GROUP),
              new EventWriter(
                  upgraded,
                  new EventParser(),
                  EventWriter.DuplicateCheck.BATCH,
                  IngestMetrics.unregistered(),
                  Clock.systemUTC()),
              IngestMetrics.unregistered());
      Thread ingestThread = Thread.ofPlatform().name("upgrade-ingest").start(ingest);
      int half = lines.size() / 2;
      produce(producer, lines.subList(0, half));
      awaitRows(upgraded, half / 2);
      // The second half streams in while the migrations run.
      Thread second =
          Thread.ofPlatform().start(() -> produce(producer, lines.subList(half, lines.size())));
      forward = Migrations.apply(upgraded);
      second.join();
      awaitCommitted(broker, lines.size());
      ingest.stop();
      ingestThread.join(60_000);
    }
    new Refresher(upgraded, Clock.systemUTC()).refreshUpTo(Instant.now());
    System.out.printf(
        "upgrade: %d events, previous release %s..%s, migrated forward: %s%n",
        lines.size(), previous.getFirst(), previous.getLast(), forward);

    Store reference = TestEngine.uniqueStore("upgrade_reference");
    new FileImport(new EventWriter(reference, new EventParser(), EventWriter.DuplicateCheck.STORE,
        IngestMetrics.unregistered(), Clock.systemUTC())).importFile(events);
    new Refresher(reference, Clock.systemUTC()).refreshUpTo(Instant.now());

    assertThat(schema(upgraded)).isEqualTo(schema(reference));
    for (String sql :
        List.of(
            "SELECT count(), uniqExact(event_id), groupBitXor(cityHash64(event_id)) FROM raw_events"
                + " FINAL",
            "SELECT reason, count() FROM rejected_events FINAL GROUP BY reason ORDER BY reason",
            "SELECT count() FROM stream_trace_events FINAL",
            "SELECT count() FROM ai_stream_status_events FINAL",
            "SELECT count() FROM ai_stream_events FINAL",
            "SELECT count() FROM stream_ingest_metrics_events FINAL",
            "SELECT count() FROM payment_events FINAL",
            "SELECT count() FROM signed_ticket_events FINAL",
            "SELECT count() FROM discovery_result_entries FINAL",
            "SELECT count() FROM network_capability_models FINAL",
            "SELECT count() FROM network_capability_gpus FINAL",
            "SELECT count() FROM network_capability_node_gpus FINAL",
            // An index of snapshots whose readers tolerate repeats: what counts is that none is
            // missing.
            "SELECT uniqExact(event_id) FROM capability_snapshots",
            "SELECT uniqExact(stream_id, request_id) FROM session_touches",
            "SELECT count() FROM rollup_minute FINAL",
            "SELECT count() FROM rollup_day FINAL",
            "SELECT count() FROM demand_minute FINAL",
            "SELECT count() FROM demand_hour FINAL",
            "SELECT count(), sum(segments), sum(compliant_segments), sum(sessions_requested),"
                + " sum(sessions_no_orchestrator) FROM rollup_hour_current",
            "SELECT stream_id, request_id, segment_index, orchestrator_address, gpu_id, compliant"
                + " FROM segment_sla ORDER BY ALL")) {
      assertThat(upgraded.queryText(sql, Map.of()))
          .as(sql)
          .isEqualTo(reference.queryText(sql, Map.of()));
    }
  }

  /** The tables and columns of a database, with their types. */
  private static String schema(Store store) {
    return store.queryText(
        "SELECT table, name, type FROM system.columns WHERE database = currentDatabase()"
            + " AND table != 'schema_migrations' ORDER BY table, name",
        Map.of());
  }

  private static void produce(KafkaProducer<byte[], byte[]> producer, List<String> lines) {
    for (String line : lines) {
      producer.send(new ProducerRecord<>(TOPIC, line.getBytes(StandardCharsets.UTF_8)));
    }
    producer.flush();
  }

  private static long rows(Store store) {
    return Long.parseLong(
        store
            .queryText(
                "SELECT (SELECT count() FROM raw_events) + (SELECT count() FROM rejected_events)",
                Map.of())
            .strip());
  }

  private static void awaitRows(Store store, long atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (rows(store) < atLeast) {
      assertThat(System.nanoTime()).as("rows ingested in time").isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /**
   * Waits until the ingest has committed every produced message. Not "no new rows for a while": a
   * write that failed during a migration is retried after a backoff that can outlast any quiet
   * period, and stopping the ingest then would leave those messages in Kafka, unread, not lost.
   */
  private static void awaitCommitted(KafkaBroker broker, long messages) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      while (committed(admin) < messages) {
        assertThat(System.nanoTime()).as("every message committed in time").isLessThan(deadline);
        Thread.sleep(250);
      }
    }
  }

  private static long committed(Admin admin) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin
            .listConsumerGroupOffsets(GROUP)
            .partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS);
    return offsets.values().stream()
        .filter(o -> o != null)
        .mapToLong(OffsetAndMetadata::offset)
        .sum();
  }
}
