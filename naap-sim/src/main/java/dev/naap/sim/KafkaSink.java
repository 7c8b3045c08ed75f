package dev.naap.sim;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces each message to one Kafka topic, keyed by the envelope id as go-livepeer does (random
 * keys: one stream's events spread over all partitions). The first send failure is rethrown by
 * the next {@link #send} or by {@link #close()}. Not thread-safe.
 */
public final class KafkaSink implements EventSink {

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final AtomicLong acked = new AtomicLong();

  /** {@code extra} producer properties override the defaults (acks=all, lz4, 20 ms linger). */
  public KafkaSink(String bootstrapServers, String topic, Map<String, String> extra) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "naap-sim");
    p.putAll(extra);
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
  }

  @Override
  public void send(String key, byte[] value) {
    rethrow();
    producer.send(
        new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value),
        (md, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          } else {
            acked.incrementAndGet();
          }
        });
  }

  /** Messages the broker has acknowledged. */
  public long acked() {
    return acked.get();
  }

  @Override
  public void close() {
    producer.flush();
    producer.close();
    rethrow();
  }

  private void rethrow() {
    Exception e = failure.get();
    if (e != null) {
      throw new IllegalStateException("producing to " + topic + " failed after " + acked.get()
          + " acknowledged messages", e);
    }
  }
}
