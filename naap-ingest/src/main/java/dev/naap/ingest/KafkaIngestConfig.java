package dev.naap.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * How the Kafka ingest connects and batches.
 *
 * @param bootstrapServers Kafka {@code bootstrap.servers}
 * @param topics topics to consume; go-livepeer publishes every event family on one topic
 * @param groupId consumer group; instances with the same group share the partitions
 * @param username SASL/PLAIN user, or null for no authentication
 * @param password SASL/PLAIN password, or null
 * @param securityProtocol {@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT} or {@code
 *     SASL_SSL}; null picks go-livepeer's rule: SASL_SSL when a user is set, else PLAINTEXT
 * @param truststore a PKCS12 or JKS truststore for TLS, or null for the JVM's default CAs
 * @param truststorePassword its password, or null
 * @param batchMaxEvents a batch is written when it holds this many messages (default 20 000), or
 *     sooner when they reach {@link #MAX_BATCH_BYTES}
 * @param batchMaxWait ... or when its first message has waited this long (default 1 s)
 * @param instanceId Kafka static membership ({@code group.instance.id}): a restarted consumer with
 *     the same id gets its partitions back at once instead of after the dead member's session
 *     times out; unique per running consumer of the group. Null: dynamic membership
 * @param sessionTimeout Kafka {@code session.timeout.ms}: how long a member that stopped
 *     heartbeating (a crash, a hung host) keeps its partitions before the group moves them, and
 *     how long a static member may be away and get them back without a rebalance; within the
 *     brokers' default bounds, 6 s to 30 min (default 45 s, Kafka's)
 */
public record KafkaIngestConfig(
    String bootstrapServers,
    List<String> topics,
    String groupId,
    String username,
    String password,
    String securityProtocol,
    Path truststore,
    String truststorePassword,
    int batchMaxEvents,
    Duration batchMaxWait,
    String instanceId,
    Duration sessionTimeout) {

  public static final int DEFAULT_BATCH_MAX_EVENTS = 20_000;
  /**
   * A batch is written once its messages hold this many bytes, however few they are (the Kafka
   * ingest and the file import alike): 20 000 messages of go-livepeer's usual size (under 1 kB)
   * stay under it, 20 000 of the largest a message may be would not fit in any heap.
   */
  public static final long MAX_BATCH_BYTES = 32L << 20;
  public static final Duration DEFAULT_BATCH_MAX_WAIT = Duration.ofSeconds(1);
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(45);
  /** How old the consumer's view of the topic's partitions gets before it asks again. */
  static final int METADATA_MAX_AGE_MS = 30_000;
  /** The brokers' default {@code group.min.session.timeout.ms} and {@code ...max...}. */
  public static final long MIN_SESSION_TIMEOUT_MS = 6_000;
  public static final long MAX_SESSION_TIMEOUT_MS = 1_800_000;
  private static final List<String> PROTOCOLS =
      List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");

  public KafkaIngestConfig {
    topics = List.copyOf(topics);
    List<String> errors = new ArrayList<>();
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      errors.add("bootstrap-servers: required");
    }
    if (topics.isEmpty() || topics.stream().anyMatch(String::isBlank)) {
      errors.add("topic: at least one non-empty topic is required, got " + topics);
    }
    if (groupId == null || groupId.isBlank()) {
      errors.add("group: required");
    }
    if ((username == null) != (password == null)) {
      errors.add("kafka-user and kafka-password: give both or neither");
    }
    if (securityProtocol != null && !PROTOCOLS.contains(securityProtocol)) {
      errors.add("security-protocol: expected one of " + PROTOCOLS + ", got " + securityProtocol);
    }
    if (batchMaxEvents < 1 || batchMaxEvents > 1_000_000) {
      errors.add("batch-max-events: expected 1..1000000, got " + batchMaxEvents);
    }
    if (batchMaxWait == null
        || batchMaxWait.isNegative()
        || batchMaxWait.compareTo(Duration.ofMinutes(1)) > 0) {
      errors.add("batch-max-wait: expected 0..60s, got " + batchMaxWait);
    }
    if (instanceId != null && !instanceId.matches("[A-Za-z0-9._\\-@:]{1,249}")) {
      errors.add("instance-id: 1 to 249 of A-Z a-z 0-9 . _ - @ :, got '" + instanceId + "'");
    }
    if (sessionTimeout == null
        || sessionTimeout.compareTo(Duration.ofMillis(MIN_SESSION_TIMEOUT_MS)) < 0
        || sessionTimeout.compareTo(Duration.ofMillis(MAX_SESSION_TIMEOUT_MS)) > 0) {
      errors.add("session-timeout: expected 6s..30m, got " + sessionTimeout);
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid ingest configuration: " + String.join("; ", errors));
    }
  }

  /** A plaintext, unauthenticated configuration with default batching. */
  public static KafkaIngestConfig plaintext(
      String bootstrapServers, List<String> topics, String groupId) {
    return new KafkaIngestConfig(bootstrapServers, topics, groupId, null, null, null, null, null,
        DEFAULT_BATCH_MAX_EVENTS, DEFAULT_BATCH_MAX_WAIT, null, DEFAULT_SESSION_TIMEOUT);
  }

  public KafkaIngestConfig withBatching(int maxEvents, Duration maxWait) {
    return new KafkaIngestConfig(bootstrapServers, topics, groupId, username, password,
        securityProtocol, truststore, truststorePassword, maxEvents, maxWait, instanceId,
        sessionTimeout);
  }

  public KafkaIngestConfig withInstanceId(String id) {
    return new KafkaIngestConfig(bootstrapServers, topics, groupId, username, password,
        securityProtocol, truststore, truststorePassword, batchMaxEvents, batchMaxWait, id,
        sessionTimeout);
  }

  /** The effective security protocol. */
  public String protocol() {
    if (securityProtocol != null) {
      return securityProtocol;
    }
    return username != null ? "SASL_SSL" : "PLAINTEXT";
  }

  /** Consumer properties: manual commits after the batch is durable, bytes in, earliest start. */
  Map<String, Object> consumerProperties() {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "naap-ingest");
    if (instanceId != null) {
      p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
    }
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
    // Kafka's rule: heartbeats at most a third of the session apart (its default is 3 s).
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
        (int) Math.min(3_000, sessionTimeout.toMillis() / 3));
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Partitions added to the topic are seen at the next metadata refresh: Kafka's default of
    // 5 min left their events unread that long (TopicChangesTest); one small request per 30 s.
    p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, METADATA_MAX_AGE_MS);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(batchMaxEvents, 10_000));
    // Fetches stay small to bound the heap; a record larger than these still arrives, alone.
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 << 20);
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 << 20);
    p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol());
    if (username != null) {
      p.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
      p.put(SaslConfigs.SASL_JAAS_CONFIG,
          "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
              + jaasEscape(username) + "\" password=\"" + jaasEscape(password) + "\";");
    }
    if (truststore != null) {
      p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore.toString());
      String name = truststore.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
      p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG,
          name.endsWith(".p12") || name.endsWith(".pfx") ? "PKCS12" : "JKS");
      if (truststorePassword != null) {
        p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, truststorePassword);
      }
    }
    return p;
  }

  private static String jaasEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  @Override
  public String toString() { // never print the password
    return "KafkaIngestConfig[bootstrapServers="
        + bootstrapServers
        + ", topics="
        + topics
        + ", groupId="
        + groupId
        + ", instanceId="
        + instanceId
        + ", user="
        + username
        + ", protocol="
        + protocol()
        + ", batchMaxEvents="
        + batchMaxEvents
        + ", batchMaxWait="
        + batchMaxWait
        + "]";
  }
}
