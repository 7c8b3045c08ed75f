package dev.naap.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

  @TempDir Path dir;

  @Test
  void broker_keepsRecordsAcrossRestart() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Config.at(dir))) {
      assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
      broker.createTopic("events", 3);
      try (var producer = new KafkaProducer<String, String>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
          ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
        for (int i = 0; i < 30; i++) {
          producer.send(new ProducerRecord<>("events", "k" + i, "v" + i)).get();
        }
      }
    }
    // Same log directory, new process: the 30 records are still there.
    try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Config.at(dir))) {
      assertThat(readAll(broker.bootstrapServers(), "events", 30)).hasSize(30);
      assertThat(broker.process().isAlive()).isTrue();
    }
  }

  private static List<String> readAll(String bootstrap, String topic, int expected) {
    List<String> values = new ArrayList<>();
    try (var consumer = new KafkaConsumer<String, String>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "reader",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          values.add(r.value());
        }
      }
    }
    return values;
  }
}
