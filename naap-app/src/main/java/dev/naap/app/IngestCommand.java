package dev.naap.app;

import dev.naap.events.EventParser;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.IngestMetrics;
import dev.naap.ingest.KafkaIngest;
import dev.naap.ingest.KafkaIngestConfig;
import dev.naap.metrics.RefreshLease;
import dev.naap.metrics.Retention;
import dev.naap.metrics.TestLoadRules;
import dev.naap.store.Store;
import dev.naap.store.Stores;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/** {@code naap ingest}: consumes go-livepeer's Kafka topics into the store until stopped. */
final class IngestCommand implements Main.Command {

  private static final Set<String> OPTIONS = Set.of("bootstrap-servers", "topic", "group",
      "kafka-user", "kafka-password", "security-protocol", "truststore", "truststore-password",
      "batch-max-events", "batch-max-wait-ms", "max-event-bytes", "metrics-host", "metrics-port",
      "refresh-interval-ms", "lease-ttl-ms", "retention", "instance-id");
  private static final Set<String> FLAGS = Set.of("no-refresh");

  private static final String RETENTION_HELP = retentionHelp();

  @Override
  public String summary() {
    return "consume go-livepeer events from Kafka into the store";
  }

  @Override
  public String usage() {
    return """
        usage: naap ingest --bootstrap-servers HOST:PORT --topic TOPIC [--topic TOPIC…] [OPTIONS]

        Consumes every event family from the topics in a consumer group, quarantines malformed
        messages in rejected_events, and commits offsets only after each batch is durable.
        Runs until SIGINT/SIGTERM, then writes and commits what it holds. Also runs the refresher
        role (rollups and retention; see naap refresh) unless --no-refresh: of all the ingests and
        refreshers on one store, one at a time refreshes.

        options:
          --group GROUP              consumer group (default naap-ingest)
          --instance-id ID           Kafka static membership (group.instance.id): a restarted
                                     ingest gets its partitions back at once. Unique per running
                                     ingest of the group (default naap-ingest-HOST-HASH, HASH of
                                     the store; give each its own when several on one host share
                                     a ClickHouse server); "none": dynamic membership
          --kafka-user USER          SASL/PLAIN user; with --kafka-password, implies SASL_SSL
          --kafka-password PW        (default $NAAP_KAFKA_PASSWORD when --kafka-user is set)
          --security-protocol P      PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
          --truststore FILE          PKCS12/JKS truststore for TLS (default: the JVM's CAs)
          --truststore-password PW
          --batch-max-events N       write a batch at N messages (default 20000)
          --batch-max-wait-ms MS     ... or when its first message is this old (default 1000)
          --max-event-bytes N        larger messages are rejected as oversized (default 1048576)
          --metrics-host HOST        Prometheus /metrics address (default 127.0.0.1)
          --metrics-port PORT        (default 9401; 0 picks a free port, -1 turns it off)
          --no-refresh               leave the rollups and retention to a separate naap refresh
        """ + RefreshRole.HELP + """
          --retention NAME=DAYS      days of data kept (0: all), checked hourly; repeatable
                                     (docs/STORE.md). NAME (default DAYS):
        """ + RETENTION_HELP + TestLoadOptions.HELP + StoreOptions.HELP;
  }

  /** The retention names and their defaults, from {@link Retention.Data}, wrapped under the option. */
  private static String retentionHelp() {
    StringBuilder help = new StringBuilder();
    StringBuilder line = new StringBuilder(" ".repeat(27));
    for (Retention.Data d : Retention.Data.values()) {
      String entry = d.key() + " (" + d.defaultDays + ")";
      if (line.length() + entry.length() > 96) {
        help.append(line).append('\n');
        line = new StringBuilder(" ".repeat(27));
      }
      line.append("  ").append(entry);
    }
    return help.append(line).append('\n').toString();
  }

  @Override
  public int run(List<String> argv, PrintStream out, PrintStream err) {
    Set<String> known = new HashSet<>(OPTIONS);
    known.addAll(StoreOptions.NAMES);
    known.addAll(TestLoadOptions.NAMES);
    Args args = Args.parse(argv, known, FLAGS);
    var storeConfig = StoreOptions.from(args);
    TestLoadRules testLoadRules = TestLoadOptions.from(args);
    if (!args.positional().isEmpty()) {
      args.error("unexpected arguments " + args.positional());
    }
    String user = args.get("kafka-user", null);
    String password = user == null ? null
        : args.get("kafka-password", System.getenv("NAAP_KAFKA_PASSWORD"));
    if (user != null && password == null) {
      args.error("--kafka-user needs --kafka-password (or $NAAP_KAFKA_PASSWORD)");
    }
    String truststore = args.get("truststore", null);
    int batchMaxEvents = args.integer("batch-max-events", KafkaIngestConfig.DEFAULT_BATCH_MAX_EVENTS, 1, 1_000_000);
    int batchMaxWaitMs = args.integer("batch-max-wait-ms", 1000, 0, 60_000);
    int maxEventBytes = args.integer("max-event-bytes", EventParser.DEFAULT_MAX_BYTES, 1024, 64 << 20);
    int metricsPort = args.integer("metrics-port", 9401, -1, 65535);
    // 0 is the older spelling of --no-refresh.
    int refreshMs = args.flag("no-refresh") ? 0
        : args.integer("refresh-interval-ms", 5000, 0, 3_600_000);
    int leaseTtlMs = args.integer("lease-ttl-ms", (int) RefreshLease.DEFAULT_TTL.toMillis(), 3000,
        3_600_000);
    Retention.Policy retention = null;
    try {
      retention = Retention.Policy.parse(args.all("retention"));
    } catch (IllegalArgumentException e) {
      args.error(e.getMessage());
    }
    KafkaIngestConfig config = null;
    try {
      config = new KafkaIngestConfig(args.get("bootstrap-servers", null), args.all("topic"),
          args.get("group", "naap-ingest"), user, password, args.get("security-protocol", null),
          truststore == null ? null : Path.of(truststore), args.get("truststore-password", null),
          batchMaxEvents, Duration.ofMillis(batchMaxWaitMs), instanceId(args, storeConfig));
    } catch (IllegalArgumentException e) {
      args.error(e.getMessage());
    }
    args.check();

    // On SIGINT/SIGTERM the store must outlive the last batch the ingest writes.
    System.setProperty(Stores.SHUTDOWN_GRACE_PROPERTY, "30000");
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    IngestMetrics metrics = new IngestMetrics(registry);
    var running = new AtomicReference<KafkaIngest>();
    var stopRequested = new java.util.concurrent.atomic.AtomicBoolean();
    var finished = Main.onShutdown(() -> {
      stopRequested.set(true);
      if (running.get() != null) {
        running.get().stop();
      }
    }, Duration.ofSeconds(30));
    try (Store store = Stores.open(storeConfig);
        HTTPServer metricsServer = metricsPort < 0 ? null : HTTPServer.builder()
            .hostname(args.get("metrics-host", "127.0.0.1")).port(metricsPort).registry(registry)
            .buildAndStart();
        Probes probes = new Probes("ingest", store, registry, refreshMs > 0)) {
      testLoadRules.save(store, Clock.systemUTC());
      EventWriter writer = new EventWriter(store, new EventParser(maxEventBytes),
          EventWriter.DuplicateCheck.BATCH, metrics, Clock.systemUTC());
      KafkaIngest ingest = new KafkaIngest(config, writer, metrics);
      running.set(ingest);
      try (RefreshRole refresh = refreshMs == 0 ? null : new RefreshRole(store,
          Duration.ofMillis(refreshMs), Duration.ofMillis(leaseTtlMs), retention, registry)) {
        err.printf("naap ingest: %s -> %s%s; %s%n", config, store.description(),
            metricsServer == null ? "" : ", metrics on port " + metricsServer.getPort(),
            refresh == null ? "no refresh or retention (--no-refresh)"
                : "refresh as " + refresh.holder() + ", retention " + retention);
        if (!stopRequested.get()) {
          ingest.run(); // a no-op when stop() came first
        }
      }
      var total = ingest.total();
      err.printf("naap ingest: stopped: accepted=%d rejected=%d duplicate=%d%n",
          total.accepted(), total.rejected(), total.duplicates());
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the metrics server", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      finished.countDown();
    }
  }

  /**
   * The static member id: {@code --instance-id}, or one derived from the host and the store, which
   * stays the same across restarts of the same ingest and differs between ingests of one group on
   * different hosts or stores.
   */
  private static String instanceId(Args args, dev.naap.store.StoreConfig store) {
    String given = args.get("instance-id", null);
    if ("none".equals(given)) {
      return null;
    }
    if (given != null) {
      return given;
    }
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "localhost";
    }
    String where = switch (store) {
      case dev.naap.store.StoreConfig.Embedded e ->
          e.dataDir().toAbsolutePath().normalize().toString();
      case dev.naap.store.StoreConfig.Server s -> s.url() + "/" + s.database();
    };
    String hash = Integer.toHexString(where.hashCode());
    return ("naap-ingest-" + host + "-" + hash).replaceAll("[^A-Za-z0-9._\\-@:]", "_");
  }
}
