package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.kafka.KafkaBroker;
import dev.naap.metrics.Refresher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code naap ingest} processes in one consumer group write to one store over the ClickHouse
 * HTTP interface (the project's facade stands in for a ClickHouse server), each also a candidate
 * refresher. While events arrive, one is killed hard and one is stopped cleanly; the survivor
 * takes over their partitions and, through the lease, the refresh. Every event is stored exactly
 * once, and the rollups the incremental refreshes left equal a full recompute.
 */
class IngestGroupTest {

  private static final String TOPIC = "gateway-events";
  private static final String GROUP = "naap-group-test";
  private static final int EVENTS = 300_000;
  private static final int PARTITIONS = 6;
  private static final Duration LIMIT = Duration.ofMinutes(8);
  /** Per bucket: what the dashboards read from each rollup. */
  private static final List<String> ROLLUPS = List.of(
      "SELECT bucket_hour, sum(sessions_requested), sum(segments), sum(failed_segments),"
          + " sum(fps_samples), round(sum(fps_sample_sum), 3) FROM rollup_hour_current"
          + " GROUP BY bucket_hour ORDER BY bucket_hour",
      "SELECT bucket_minute, sum(segments), sum(fps_samples), round(sum(fps_sample_sum), 3)"
          + " FROM rollup_minute_current GROUP BY bucket_minute ORDER BY bucket_minute",
      "SELECT count(), sum(fps_samples) FROM segment_facts_current");

  // Kept when the test fails: the ingest and store logs are what explains a stall.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void threeIngests_oneKilledOneStopped_storeEveryEventOnce_andExactRollups() throws Exception {
    long started = System.nanoTime();
    try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Config.at(dir.resolve("kafka")));
        StoreFacade facade = new StoreFacade(dir)) {
      broker.createTopic(TOPIC, PARTITIONS);
      Set<String> produced = new HashSet<>();
      Thread producer =
          Thread.ofPlatform().start(() -> produce(broker.bootstrapServers(), produced));
      List<Process> ingests = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        List<String> args =
            new ArrayList<>(
                List.of(
                    "ingest",
                    "--bootstrap-servers",
                    broker.bootstrapServers(),
                    "--topic",
                    TOPIC,
                    "--group",
                    GROUP,
                    // Dynamic membership: a member that stops cleanly leaves the group at once (a
                    // static member would keep its partitions until its session times out).
                    "--instance-id",
                    "none",
                    // The killed member's partitions move after 10 s instead of Kafka's 45.
                    "--session-timeout-ms",
                    "10000",
                    "--metrics-port",
                    "-1",
                    "--batch-max-events",
                    "5000",
                    "--batch-max-wait-ms",
                    "200",
                    "--refresh-interval-ms",
                    "1000",
                    "--lease-ttl-ms",
                    "6000"));
        args.addAll(facade.storeArgs());
        ingests.add(
            ChildJvm.start(dir.resolve("ingest-" + i + ".log"), args.toArray(String[]::new)));
      }
      Process killed = ingests.get(0);
      Process stopped = ingests.get(1);
      Process survivor = ingests.get(2);
      long atKill;
      try {
        // 1. Mid-stream, the first dies hard: a batch it wrote may be uncommitted, and its
        //    partitions stay unread until its session times out; then the group rebalances.
        awaitCommitted(broker, 60_000, survivor);
        killed.destroyForcibly();
        assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        atKill = committed(broker);
        assertThat(atKill).isLessThan(EVENTS);

        // 2. Later, the second stops cleanly: it commits the batches it is writing, leaves the
        //    group (its partitions move at once) and hands back the lease if it held it.
        awaitCommitted(broker, Math.max(150_000, atKill + 1), survivor);
        StoreFacade.stop(stopped);
        assertThat(stopped.exitValue()).isZero();

        // 3. The survivor reads every partition to the end and refreshes past the last event.
        producer.join();
        awaitCommitted(broker, EVENTS, survivor);
        long lastIngestedMs = Long.parseLong(facade.text(
            "SELECT toUnixTimestamp64Milli(max(ingested_at)) FROM raw_events").strip());
        awaitWatermark(facade, lastIngestedMs, survivor);
        StoreFacade.stop(survivor);
        assertThat(survivor.exitValue()).isZero();
      } finally {
        for (Process p : ingests) {
          p.destroyForcibly();
        }
      }
      System.out.println("IngestGroupTest: " + EVENTS + " events through 3 ingests, one killed at "
          + atKill + " committed, in " + (System.nanoTime() - started) / 1_000_000_000
          + " s");

      // 4. Exactly the produced set, once each through FINAL.
      Set<String> stored = new HashSet<>(facade.text("SELECT event_id FROM raw_events FINAL")
          .lines().toList());
      assertThat(facade.text("SELECT count() FROM raw_events FINAL").strip())
          .isEqualTo(Integer.toString(EVENTS));
      assertThat(stored).hasSize(EVENTS).isEqualTo(produced);

      // 5. The rollups the incremental refreshes (by whichever ingest held the lease) left equal
      //    a recompute of everything from the start.
      List<String> incremental = ROLLUPS.stream().map(facade::text).toList();
      assertThat(incremental.get(2)).doesNotStartWith("0\t");
      facade.store().execute("INSERT INTO refresh_state (name, watermark, updated_at)"
          + " VALUES ('rollups', 0, now64(6))");
      new Refresher(facade.store(), Clock.systemUTC()).refreshUpTo(Instant.now());
      assertThat(ROLLUPS.stream().map(facade::text).toList()).isEqualTo(incremental);
    }
  }

  private static void produce(String bootstrap, Set<String> ids) {
    Random random = new Random(17);
    try (var producer =
        new KafkaProducer<byte[], byte[]>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                10),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      long base = System.currentTimeMillis() - 3_600_000;
      for (int i = 0; i < EVENTS; i++) {
        String id = new UUID(random.nextLong(), random.nextLong()).toString();
        long at = base + i * 10L;
        String envelope = "{\"id\":\"" + id + "\",\"type\":\"ai_stream_status\",\"timestamp\":\""
            + at + "\",\"gateway\":\"gw-" + (i % 3) + "\",\"data\":{\"type\":\"status\","
            + "\"stream_id\":\"stream-" + (i % 700) + "\",\"request_id\":\"req-" + (i % 700) + "\","
            + "\"pipeline\":\"streamdiffusion\",\"state\":\"ONLINE\",\"timestamp\":" + at
            + ",\"inference_status\":{\"fps\":" + (10 + i % 20) + ".5}}}";
        synchronized (ids) {
          ids.add(id);
        }
        producer.send(new ProducerRecord<>(TOPIC, id.getBytes(StandardCharsets.UTF_8),
            envelope.getBytes(StandardCharsets.UTF_8)));
        if (i % 2000 == 1999) {
          Thread.sleep(40); // about 6 s of pauses: the kill and the stop land while events arrive
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitCommitted(KafkaBroker broker, long atLeast, Process survivor)
      throws InterruptedException {
    while (committed(broker) < atLeast) {
      assertAlive(survivor);
      Thread.sleep(100);
      checkTime(broker);
    }
  }

  private void awaitWatermark(StoreFacade facade, long atLeastMs, Process survivor)
      throws InterruptedException {
    String sql = "SELECT toUnixTimestamp64Milli(watermark) FROM refresh_state FINAL"
        + " WHERE name = 'rollups'";
    while (Long.parseLong(facade.text(sql).strip()) < atLeastMs) {
      assertAlive(survivor);
      Thread.sleep(200);
      checkTime(null);
    }
  }

  private long deadline;

  private void assertAlive(Process survivor) {
    if (!survivor.isAlive()) {
      String log;
      try {
        log = java.nio.file.Files.readString(dir.resolve("ingest-3.log"));
      } catch (java.io.IOException e) {
        log = e.toString();
      }
      throw new AssertionError("the surviving ingest exited with " + survivor.exitValue() + ":\n"
          + log.substring(Math.max(0, log.length() - 6000)));
    }
  }

  private void checkTime(KafkaBroker broker) {
    if (deadline == 0) {
      deadline = System.nanoTime() + LIMIT.toNanos();
    }
    if (System.nanoTime() > deadline) {
      throw new AssertionError("not done within " + LIMIT + "; logs kept in " + dir
          + (broker == null ? "" : "\ncommitted/end offsets: " + offsets(broker))
          + "\n--- surviving ingest:\n" + tail("ingest-3.log")
          + "\n--- store:\n" + tail("clickhouse-http.log"));
    }
  }

  private String tail(String log) {
    try {
      String text = java.nio.file.Files.readString(dir.resolve(log));
      return text.substring(Math.max(0, text.length() - 5000));
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  /** An admin client whose calls, and closing, give up after 10 s (a busy broker is retried). */
  private static Admin admin(KafkaBroker broker) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        broker.bootstrapServers(), AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
  }

  /** Per partition, what the group committed against what the partition holds. */
  private static String offsets(KafkaBroker broker) {
    try (Admin admin = admin(broker)) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
          .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new java.util.TreeMap<>(
          java.util.Comparator.comparingInt(TopicPartition::partition));
      for (int p = 0; p < PARTITIONS; p++) {
        latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
      }
      var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
      StringBuilder out = new StringBuilder();
      latest.keySet().forEach(tp -> out.append(tp.partition()).append('=')
          .append(committed.get(tp) == null ? "-" : committed.get(tp).offset()).append('/')
          .append(ends.get(tp).offset()).append(' '));
      return out.toString().strip();
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static long committed(KafkaBroker broker) {
    try (Admin admin = admin(broker)) {
      Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP)
          .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      return offsets.values().stream()
          .filter(o -> o != null)
          .mapToLong(OffsetAndMetadata::offset)
          .sum();
    } catch (Exception e) {
      return 0; // the group does not exist yet
    }
  }
}
