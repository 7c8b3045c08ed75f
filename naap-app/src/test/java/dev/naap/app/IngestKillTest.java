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
 * Delivery under a hard kill: {@code naap ingest} is SIGKILLed while events are still arriving,
 * then started again on the same group and data directory. Every event must be visible exactly
 * once: none lost, none counted twice.
 */
class IngestKillTest {

  private static final String TOPIC = "gateway-events";
  private static final String GROUP = "naap-kill-test";
  private static final int EVENTS = 100_000;

  @TempDir Path dir;

  @Test
  void ingest_killedHardMidStream_seesEveryEventExactlyOnceAfterRestart() throws Exception {
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
      awaitCommitted(broker, 20_000, first);
      first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no commit
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(first.exitValue()).isEqualTo(137);
      long committedAtKill = committed(broker);
      assertThat(committedAtKill).isBetween(20_000L, EVENTS - 1L);

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
          "IngestKillTest: restarted ingest subscribed "
              + (subscribed - restarted) / 1_000_000
              + " ms after its start and had its partitions "
              + gapMs
              + " ms later");
      assertThat(gapMs).as("subscribe to assignment after a SIGKILL, ms").isLessThan(10_000);
      producer.join();
      assertThat(sendFailure.get()).as("the test's own producer failed to send").isNull();
      awaitCommitted(broker, EVENTS, second);
      String metrics = scrape(metricsPort);
      second.destroy(); // SIGTERM: a clean stop
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();

      // 3. Exactly the produced set is visible, once each.
      var ids = ChildJvm.run(dir, "sql", "--data-dir", dir.resolve("store").toString(),
          "SELECT event_id FROM raw_events FINAL");
      assertThat(ids.exitCode()).isZero();
      Set<String> visible = new HashSet<>(ids.stdout().lines().toList());
      assertThat(ids.stdout().lines().count()).isEqualTo(EVENTS);
      assertThat(visible).hasSize(EVENTS).isEqualTo(produced);
      var counts = ChildJvm.run(dir, "sql", "--data-dir", dir.resolve("store").toString(),
          "SELECT count() - uniqExact(event_id) FROM raw_events");
      // Rows written twice (the batch in flight at the kill) exist physically until merged, and are
      // never seen through FINAL: at most one batch per partition.
      assertThat(Long.parseLong(counts.stdout().trim())).isBetween(0L, 4L * 5000);

      // 4. The resume point: the second process read exactly from the offsets committed before the
      //    kill to the end, and exported that count, the lag it left and its batch latencies.
      long secondAccepted =
          metricValue(metrics, "naap_ingest_events_total{family=\"ai_stream_status\"}");
      assertThat(secondAccepted).isEqualTo(EVENTS - committedAtKill);
      assertThat(metrics)
          .contains("naap_ingest_consumer_lag{partition=\"0\",topic=\"" + TOPIC + "\"} 0.0");
      assertThat(metrics).contains("naap_ingest_batch_duration_seconds_count");
    }
  }

  private static String scrape(int port) throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    var request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
            .build();
    return client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
  }

  private static long metricValue(String exposition, String series) {
    return exposition.lines().filter(l -> l.startsWith(series + " ")).findFirst()
        .map(l -> (long) Double.parseDouble(l.substring(series.length() + 1).trim()))
        .orElseThrow(() -> new AssertionError(series + " not in /metrics:\n" + exposition));
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
                10),
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
        synchronized (ids) {
          ids.add(id);
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
