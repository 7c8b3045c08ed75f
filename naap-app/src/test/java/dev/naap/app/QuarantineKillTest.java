package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * The quarantine under a hard kill: as {@link IngestKillTest}, with one message in ten malformed
 * (broken JSON, and eight larger than the parser's 1 MiB). After the SIGKILL and a restart every
 * malformed message is in {@code rejected_events} once, at its own coordinates and with its
 * reason, and every valid one in {@code raw_events} once.
 */
class QuarantineKillTest {

  private static final String TOPIC = "gateway-events";
  private static final String GROUP = "naap-quarantine-kill";
  private static final int EVENTS = 40_000;
  private static final java.util.concurrent.atomic.AtomicInteger MALFORMED =
      new java.util.concurrent.atomic.AtomicInteger();

  @TempDir Path dir;

  @Test
  void quarantine_killedHardMidStream_exactAfterRestart() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Config.at(dir.resolve("kafka")))) {
      broker.createTopic(TOPIC, 4);
      int metricsPort = Ports.free();
      String[] ingestArgs = {
        "ingest",
        "--bootstrap-servers",
        broker.bootstrapServers(),
        "--topic",
        TOPIC,
        "--group",
        GROUP,
        "--data-dir",
        dir.resolve("store").toString(),
        "--metrics-port",
        Integer.toString(metricsPort),
        "--batch-max-events",
        "5000",
        "--batch-max-wait-ms",
        "200"
      };
      Set<String> produced = new HashSet<>();
      var sendFailure = new java.util.concurrent.atomic.AtomicReference<Exception>();
      Thread producer = Thread.ofPlatform()
          .start(() -> produce(broker.bootstrapServers(), produced, sendFailure));

      // 1. The first ingest runs until it has committed at least 20 000 events, then dies hard,
      //    with a batch most likely written but not committed.
      Process first = ChildJvm.start(dir.resolve("ingest-1.log"), ingestArgs);
      awaitCommitted(broker, 8_000, first);
      first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no commit
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(first.exitValue()).isEqualTo(137);
      long committedAtKill = committed(broker);
      assertThat(committedAtKill).isBetween(8_000L, EVENTS - 1L);

      // 2. The producer goes on; a second ingest resumes from the committed offsets.
      long restarted = System.nanoTime();
      Path secondLog = dir.resolve("ingest-2.log");
      Process second = ChildJvm.start(secondLog, ingestArgs);
      // Static membership (the default instance id is the same for the same host and store): the
      // restarted member gets the dead member's partitions back at once instead of after its 45 s
      // session expires. The gap measured is from subscribing to the assignment; the JVM start
      // and the store opening before it depend on the machine's load.
      long subscribed = awaitLine(secondLog, "ingesting KafkaIngestConfig", second);
      long assigned = awaitLine(secondLog, "assigned [", second);
      long gapMs = (assigned - subscribed) / 1_000_000;
      System.out.println(
          "QuarantineKillTest: restarted ingest subscribed "
              + (subscribed - restarted) / 1_000_000
              + " ms after its start and had its partitions "
              + gapMs
              + " ms later");
      assertThat(gapMs).as("subscribe to assignment after a SIGKILL, ms").isLessThan(10_000);
      producer.join();
      assertThat(sendFailure.get()).as("the test's own producer failed to send").isNull();
      awaitCommitted(broker, EVENTS, second);
      second.destroy(); // SIGTERM: a clean stop
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();

      // 3. Exactly the produced set is visible, once each.
      var ids = ChildJvm.run(dir, "sql", "--data-dir", dir.resolve("store").toString(),
          "SELECT event_id FROM raw_events FINAL");
      assertThat(ids.exitCode()).isZero();
      Set<String> visible = new HashSet<>(ids.stdout().lines().toList());
      assertThat(ids.stdout().lines().count()).isEqualTo(EVENTS - MALFORMED.get());
      assertThat(visible).isEqualTo(produced);
      var rejected = ChildJvm.run(dir, "sql", "--data-dir", dir.resolve("store").toString(),
          "SELECT count(), uniqExact(partition, offset), countIf(reason = 'oversized'),"
              + " groupUniqArray(reason) FROM rejected_events FINAL");
      System.out.println("QuarantineKillTest: malformed " + MALFORMED + ", quarantined "
          + rejected.stdout());
      assertThat(rejected.stdout()).startsWith(MALFORMED + "\t" + MALFORMED + "\t8\t");
      var counts = ChildJvm.run(dir, "sql", "--data-dir", dir.resolve("store").toString(),
          "SELECT count() - uniqExact(event_id) FROM raw_events");
      // Rows written twice (the batch in flight at the kill) exist physically until merged, and are
      // never seen through FINAL: at most one batch per partition.
      assertThat(Long.parseLong(counts.stdout().trim())).isBetween(0L, 4L * 5000);
    }
  }

  private static void produce(String bootstrap, Set<String> ids,
      java.util.concurrent.atomic.AtomicReference<Exception> failure) {
    Random random = new Random(2026);
    try (var producer =
        new KafkaProducer<byte[], byte[]>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                10,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                4 << 20),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < EVENTS; i++) {
        String id = new UUID(random.nextLong(), random.nextLong()).toString();
        String envelope =
            "{\"id\":\""
                + id
                + "\",\"type\":\"ai_stream_status\",\"timestamp\":\""
                + (1767908955609L + i)
                + "\",\"gateway\":\"gw-1\",\"data\":{\"type\":\"status\","
                + "\"stream_id\":\"stream-"
                + (i % 500)
                + "\",\"request_id\":\"req-"
                + (i % 500)
                + "\","
                + "\"pipeline\":\"streamdiffusion\",\"state\":\"ONLINE\",\"timestamp\":"
                + (1767908955609L + i)
                + ",\"inference_status\":{\"fps\":"
                + (10 + i % 20)
                + ".5}}}";
        if (i % 10 == 3) {
          envelope = i % 5000 == 3 ? "{\"id\":\"" + "x".repeat(1_200_000) + "\"}"
              : "{\"id\":\"" + id + "\", broken " + i;
          MALFORMED.incrementAndGet();
        } else {
          synchronized (ids) {
            ids.add(id);
          }
        }
        producer.send(new ProducerRecord<>(TOPIC, id.getBytes(StandardCharsets.UTF_8),
            envelope.getBytes(StandardCharsets.UTF_8)), (metadata, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              }
            });
        if (i % 1000 == 999) {
          Thread.sleep(
              50); // about 5 s of pauses in all, so the kill lands while events still arrive
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitCommitted(KafkaBroker broker, long atLeast, Process ingest)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (committed(broker) < atLeast) {
      assertThat(ingest.isAlive()).as("ingest process is running").isTrue();
      assertThat(System.nanoTime()).as("committed %d within 180 s", atLeast).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /** When (System.nanoTime) {@code text} first appears in the log, polled every 20 ms. */
  private static long awaitLine(Path log, String text, Process p) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (!java.nio.file.Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1)
        .contains(text)) {
      assertThat(p.isAlive()).as("ingest process is running").isTrue();
      assertThat(System.nanoTime()).as("'%s' within 180 s", text).isLessThan(deadline);
      Thread.sleep(20);
    }
    return System.nanoTime();
  }

  private static long committed(KafkaBroker broker) {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets(GROUP)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      return offsets.values().stream()
          .filter(o -> o != null)
          .mapToLong(OffsetAndMetadata::offset)
          .sum();
    } catch (Exception e) {
      return 0; // the group does not exist yet
    }
  }
}
