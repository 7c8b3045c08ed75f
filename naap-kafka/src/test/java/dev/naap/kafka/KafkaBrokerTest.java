package dev.naap.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    // Same log directory, new process: the 30 records are still there. That process also gets
    // the JVM options the property names, before its main class.
    String options = System.getProperty(KafkaBroker.JVM_OPTIONS_PROPERTY);
    System.setProperty(KafkaBroker.JVM_OPTIONS_PROPERTY,
        " -XX:TieredStopAtLevel=1  -Dnaap.kafka.test=options ");
    try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Config.at(dir))) {
      assertThat(readAll(broker.bootstrapServers(), "events", 30)).hasSize(30);
      assertThat(broker.process().isAlive()).isTrue();
      List<String> args = List.of(java.nio.file.Files.readString(
          Path.of("/proc", Long.toString(broker.process().pid()), "cmdline")).split("\0"));
      assertThat(args.subList(0, args.indexOf(BrokerMain.class.getName())))
          .contains("-XX:TieredStopAtLevel=1", "-Dnaap.kafka.test=options")
          .doesNotContain("");
    } finally {
      if (options == null) {
        System.clearProperty(KafkaBroker.JVM_OPTIONS_PROPERTY);
      } else {
        System.setProperty(KafkaBroker.JVM_OPTIONS_PROPERTY, options);
      }
    }
  }

  /**
   * A producer started the moment {@code createTopic} returns is never refused: every partition is
   * served by its leader by then. A refusal made an idempotent producer retry its first batches,
   * and it could stall on out-of-order sequence numbers (seen in CI, IngestKillTest).
   */
  @Test
  void createTopic_returnsWhenEveryPartitionIsServed() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Config.at(dir));
        var producer = new KafkaProducer<String, String>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
            new StringSerializer(), new StringSerializer())) {
      for (int t = 0; t < 10; t++) {
        broker.createTopic("fresh-" + t, 4);
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
          acks.add(producer.send(new ProducerRecord<>("fresh-" + t, p, "k", "v")));
        }
        for (var ack : acks) {
          ack.get();
        }
      }
      double retries = producer.metrics().entrySet().stream()
          .filter(e -> e.getKey().name().equals("record-retry-total")
              && e.getKey().group().equals("producer-metrics"))
          .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
          .sum();
      assertThat(retries).as("records the broker refused and the producer sent again").isZero();
    }
  }

  @Test
  void broker_saslSslListener_acceptsTheConfiguredUserAndRefusesOthers() throws Exception {
    Certificates certs = Certificates.selfSigned(dir.resolve("tls"), "changeit");
    var listener = new KafkaBroker.SaslSsl("gateway", "s3cret", certs.keystore(), certs.password());
    try (KafkaBroker broker =
        KafkaBroker.start(KafkaBroker.Config.at(dir.resolve("kafka")).withSaslSsl(listener))) {
      broker.createTopic("secure", 1);
      try (var producer = new KafkaProducer<String, String>(
          secure(broker, certs, "s3cret", Map.of(ProducerConfig.ACKS_CONFIG, "all")),
          new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>("secure", "k", "hello over TLS")).get();
      }
      try (var producer = new KafkaProducer<String, String>(
          secure(broker, certs, "wrong", Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000)),
          new StringSerializer(), new StringSerializer())) {
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>("secure", "k", "v")).get())
            .hasStackTraceContaining("Authentication failed");
      }
      assertThat(readAll(broker.bootstrapServers(), "secure", 1)).containsExactly("hello over TLS");
    }
  }

  private static Map<String, Object> secure(KafkaBroker broker, Certificates certs, String password,
      Map<String, Object> extra) {
    Map<String, Object> p = new java.util.HashMap<>(extra);
    p.put("bootstrap.servers", broker.saslSslBootstrapServers());
    p.put("security.protocol", "SASL_SSL");
    p.put("sasl.mechanism", "PLAIN");
    p.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
        + "username=\"gateway\" password=\"" + password + "\";");
    p.put("ssl.truststore.location", certs.truststore().toString());
    p.put("ssl.truststore.password", certs.password());
    p.put("ssl.truststore.type", "PKCS12");
    return p;
  }

  private static List<String> readAll(String bootstrap, String topic, int expected) {
    List<String> values = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<String, String>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
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
