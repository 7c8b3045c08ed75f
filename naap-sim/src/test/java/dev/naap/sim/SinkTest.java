package dev.naap.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.naap.events.EventParser;
import dev.naap.events.ParseResult;
import dev.naap.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file and Kafka sinks deliver every message, with the envelope id as the Kafka key. */
class SinkTest {

  private static SimConfig config() {
    return SimRun.peak(21, Duration.ofMinutes(15)).duplicateRate(0.01).malformedRate(0.01).build();
  }

  @Test
  void fileSink_writesOneMessagePerLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("events.ndjson");
    long sent;
    GroundTruth truth;
    try (FileSink sink = new FileSink(file)) {
      truth = new Simulator(config()).run(sink);
      sent = sink.messages();
    }
    byte[] all = Files.readAllBytes(file);
    List<byte[]> lines = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') {
        lines.add(java.util.Arrays.copyOfRange(all, from, i));
        from = i + 1;
      }
    }
    assertThat(from).isEqualTo(all.length);
    assertThat(lines).hasSize((int) sent);
    EventParser parser = new EventParser();
    long rejected =
        lines.stream().filter(l -> parser.parse(l) instanceof ParseResult.Rejected).count();
    assertThat(rejected)
        .isEqualTo(truth.malformed().values().stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void kafkaSink_producesEveryMessage_keyedByEnvelopeId_spreadOverPartitions(@TempDir Path dir)
      throws Exception {
    List<String> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    new Simulator(config()).run((k, v) -> {
      keys.add(k);
      values.add(v);
    });
    try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Config.at(dir.resolve("kafka")))) {
      broker.createTopic("streaming-events", 4);
      KafkaSink sink = new KafkaSink(broker.bootstrapServers(), "streaming-events", Map.of());
      new Simulator(config()).run(sink);
      sink.close();
      assertThat(sink.acked()).isEqualTo(values.size());
      Map<String, Set<Integer>> partitionsByStream = new HashMap<>();
      int received = 0;
      ObjectMapper mapper = new ObjectMapper();
      try (var consumer = new KafkaConsumer<byte[], byte[]>(Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
          ConsumerConfig.GROUP_ID_CONFIG, "sink-test",
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
          new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.subscribe(List.of("streaming-events"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Set<String> seenKeys = new HashSet<>();
        while (received < values.size() && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            received++;
            String key = new String(r.key(), StandardCharsets.UTF_8);
            seenKeys.add(key);
            if (new EventParser().parse(r.value()) instanceof ParseResult.Accepted a) {
              assertThat(key).isEqualTo(a.event().id());
              if (!a.event().streamId().isEmpty()) {
                partitionsByStream
                    .computeIfAbsent(a.event().streamId(), s -> new HashSet<>())
                    .add(r.partition());
              }
            }
          }
        }
        assertThat(seenKeys).isEqualTo(new HashSet<>(keys));
      }
      assertThat(received).isEqualTo(values.size());
      assertThat(partitionsByStream.values()).anyMatch(p -> p.size() == 4);
    }
  }
}
