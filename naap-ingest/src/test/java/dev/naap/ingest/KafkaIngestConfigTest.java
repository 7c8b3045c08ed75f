package dev.naap.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class KafkaIngestConfigTest {

  private static KafkaIngestConfig withSession(Duration session) {
    KafkaIngestConfig c = KafkaIngestConfig.plaintext("127.0.0.1:9092", List.of("events"), "g");
    return new KafkaIngestConfig(c.bootstrapServers(), c.topics(), c.groupId(), null, null, null,
        null, null, c.batchMaxEvents(), c.batchMaxWait(), null, session);
  }

  @Test
  void sessionTimeout_defaultsToKafkas_andHeartbeatsAtMostAThirdOfItApart() {
    var defaults = KafkaIngestConfig.plaintext("127.0.0.1:9092", List.of("events"), "g")
        .consumerProperties();
    assertThat(defaults).containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 45_000)
        .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
    assertThat(withSession(Duration.ofSeconds(10)).consumerProperties())
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000)
        .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
    assertThat(withSession(Duration.ofSeconds(6)).consumerProperties())
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000)
        .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
  }

  @Test
  void sessionTimeout_outsideTheBrokersDefaultBounds_isRefused() {
    for (Duration bad : List.of(Duration.ofMillis(5_999), Duration.ofMinutes(30).plusMillis(1),
        Duration.ofSeconds(Long.MAX_VALUE), Duration.ofSeconds(Long.MIN_VALUE))) {
      assertThatThrownBy(() -> withSession(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("session-timeout: expected 6s..30m");
    }
    assertThatThrownBy(() -> withSession(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
