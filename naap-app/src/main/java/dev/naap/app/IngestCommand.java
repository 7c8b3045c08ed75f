package dev.naap.app;

import dev.naap.events.EventParser;
import dev.naap.ingest.BatchResult;
import dev.naap.ingest.KafkaIngestConfig;
import dev.naap.metrics.Retention;
import dev.naap.metrics.TestLoadRules;
import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code naap ingest}: consumes go-livepeer's Kafka topics into the store until stopped. */
@Command(name = "ingest", header = "consume go-livepeer events from Kafka into the store",
    description = {"Consumes every event family from the topics in a consumer group, quarantines "
        + "malformed messages in rejected_events, and commits offsets only after each batch is "
        + "durable. Runs until SIGINT/SIGTERM, then commits the batches it is writing (what it "
        + "read and had not begun to write is read again at the next start). Also runs "
        + "the refresher role (rollups and retention; see naap refresh) unless --no-refresh: of "
        + "all the ingests and refreshers on one store, one at a time refreshes."})
final class IngestCommand implements Main.Runner {

  static final String KAFKA_PASSWORD_ENV = "NAAP_KAFKA_PASSWORD";

  @Spec CommandSpec spec;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka brokers")
  String bootstrapServers;

  @Option(names = "--topic", paramLabel = "TOPIC", description = "a topic to consume; repeatable")
  List<String> topics = List.of();

  @Option(names = "--group", paramLabel = "GROUP", description = "consumer group")
  String group = "naap-ingest";

  @Option(names = "--instance-id", paramLabel = "ID", description = {"Kafka static membership "
      + "(group.instance.id): a restarted ingest gets its partitions back at once. Unique per "
      + "running ingest of the group (default naap-ingest-HOST-HASH, HASH of the store; give each "
      + "its own when several on one host share a ClickHouse server); \"none\": dynamic "
      + "membership"})
  String instanceId;

  @Option(names = "--session-timeout-ms", paramLabel = "MS", description = {"Kafka session "
      + "timeout: an ingest that stops heartbeating (killed, hung) keeps its partitions this "
      + "long before the group hands them to the others; a static member restarted within it "
      + "gets them back without a rebalance"})
  @Range(min = KafkaIngestConfig.MIN_SESSION_TIMEOUT_MS,
      max = KafkaIngestConfig.MAX_SESSION_TIMEOUT_MS)
  long sessionTimeoutMs = KafkaIngestConfig.DEFAULT_SESSION_TIMEOUT.toMillis();

  @Option(names = "--kafka-user", paramLabel = "USER",
      description = "SASL/PLAIN user; with --kafka-password, implies SASL_SSL")
  String kafkaUser;

  @Option(names = "--kafka-password", paramLabel = "PW",
      description = "(default $" + KAFKA_PASSWORD_ENV + " when --kafka-user is set)")
  String kafkaPassword;

  @Option(names = "--security-protocol", paramLabel = "P",
      description = "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL")
  String securityProtocol;

  @Option(names = "--truststore", paramLabel = "FILE",
      description = "PKCS12/JKS truststore for TLS (default: the JVM's CAs)")
  Path truststore;

  @Option(names = "--truststore-password", paramLabel = "PW", description = "its password")
  String truststorePassword;

  @Option(names = "--batch-max-events", paramLabel = "N",
      description = "write a batch at N messages")
  @Range(min = 1, max = 1_000_000)
  int batchMaxEvents = KafkaIngestConfig.DEFAULT_BATCH_MAX_EVENTS;

  @Option(names = "--batch-max-wait-ms", paramLabel = "MS",
      description = "... or when its first message is this old")
  @Range(min = 0, max = 60_000)
  long batchMaxWaitMs = KafkaIngestConfig.DEFAULT_BATCH_MAX_WAIT.toMillis();

  @Option(names = "--max-event-bytes", paramLabel = "N",
      description = "larger messages are rejected as oversized")
  @Range(min = 1024, max = 64 << 20)
  int maxEventBytes = EventParser.DEFAULT_MAX_BYTES;

  @Option(names = "--metrics-host", paramLabel = "HOST",
      description = "Prometheus /metrics address")
  String metricsHost = "127.0.0.1";

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "its port; 0 picks a free one, -1 turns it off")
  @Range(min = -1, max = 65_535)
  int metricsPort = 9401;

  @Option(names = "--no-refresh",
      description = "leave the rollups and retention to a separate naap refresh")
  boolean noRefresh;

  @Mixin RefreshOptions refresh;
  @Mixin TestLoadOptions testLoad;
  @Mixin StoreOptions storeOptions;

  @Override
  public int run(PrintStream out, PrintStream err) throws InterruptedException {
    Problems problems = new Problems();
    StoreConfig storeConfig = storeOptions.config(problems);
    TestLoadRules testLoadRules = testLoad.rules(TestLoadRules.NONE, problems);
    String password = kafkaUser == null ? null
        : kafkaPassword != null ? kafkaPassword : System.getenv(KAFKA_PASSWORD_ENV);
    if (kafkaUser != null && password == null) {
      problems.add("--kafka-user needs --kafka-password (or $" + KAFKA_PASSWORD_ENV + ")");
    }
    Retention.Policy retention = refresh.policy(problems);
    KafkaIngestConfig config = storeConfig == null ? null : problems.attempt(() ->
        new KafkaIngestConfig(bootstrapServers, topics, group, kafkaUser, password,
            securityProtocol, truststore, truststorePassword, batchMaxEvents,
            Duration.ofMillis(batchMaxWaitMs), instanceId(storeConfig),
            Duration.ofMillis(sessionTimeoutMs)));
    problems.check(spec);

    // The grace lets the store outlive the batches the ingest is writing when it stops.
    try (Lifecycle life = Lifecycle.start(spec.qualifiedName(), Duration.ofSeconds(30), err)) {
      Store store = life.open(storeConfig);
      MetricsServer metricsServer = life.metrics(metricsHost, metricsPort);
      life.add(new Probes("ingest", store, life.registry(), !noRefresh));
      testLoadRules.save(store, Clock.systemUTC());
      IngestRole ingest = new IngestRole(store, config, maxEventBytes, life.registry());
      RefreshRole refresher = noRefresh ? null
          : life.add(refresh.start(store, storeConfig, retention, life.registry()));
      err.printf("naap ingest: %s -> %s%s; %s%n", config, store.description(),
          metricsServer == null ? "" : ", metrics on port " + metricsServer.getPort(),
          refresher == null ? "no refresh or retention (--no-refresh)"
              : "refresh as " + refresher.holder() + ", retention " + retention);
      life.onStop(ingest::stop);
      ingest.run(); // a no-op when the stop came first
      BatchResult total = ingest.total();
      err.printf("naap ingest: stopped: accepted=%d rejected=%d duplicate=%d%n",
          total.accepted(), total.rejected(), total.duplicates());
      return 0;
    }
  }

  /**
   * The static member id: {@code --instance-id}, or one derived from the host and the store, which
   * stays the same across restarts of the same ingest and differs between ingests of one group on
   * different hosts or stores.
   */
  private String instanceId(StoreConfig store) {
    if ("none".equals(instanceId)) {
      return null;
    }
    if (instanceId != null) {
      return instanceId;
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    String where = switch (store) {
      case StoreConfig.Embedded e -> e.dataDir().toAbsolutePath().normalize().toString();
      case StoreConfig.Server s -> s.url() + "/" + s.database();
    };
    String hash = Integer.toHexString(where.hashCode());
    return ("naap-ingest-" + host + "-" + hash).replaceAll("[^A-Za-z0-9._\\-@:]", "_");
  }
}
