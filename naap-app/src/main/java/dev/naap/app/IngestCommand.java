package dev.naap.app;

import dev.naap.events.EventParser;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.IngestMetrics;
import dev.naap.ingest.KafkaIngest;
import dev.naap.ingest.KafkaIngestConfig;
import dev.naap.metrics.RefreshLoop;
import dev.naap.metrics.Refresher;
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
      "refresh-interval-ms");

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
        Runs until SIGINT/SIGTERM, then writes and commits what it holds.

        options:
          --group GROUP              consumer group (default naap-ingest)
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
          --refresh-interval-ms MS   how often rollups are brought up to date (default 5000; 0: never)
        """ + StoreOptions.HELP;
  }

  @Override
  public int run(List<String> argv, PrintStream out, PrintStream err) {
    Set<String> known = new HashSet<>(OPTIONS);
    known.addAll(StoreOptions.NAMES);
    Args args = Args.parse(argv, known, Set.of());
    var storeConfig = StoreOptions.from(args);
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
    int refreshMs = args.integer("refresh-interval-ms", 5000, 0, 3_600_000);
    KafkaIngestConfig config = null;
    try {
      config = new KafkaIngestConfig(args.get("bootstrap-servers", null), args.all("topic"),
          args.get("group", "naap-ingest"), user, password, args.get("security-protocol", null),
          truststore == null ? null : Path.of(truststore), args.get("truststore-password", null),
          batchMaxEvents, Duration.ofMillis(batchMaxWaitMs));
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
    var finished = Main.onShutdown(() -> {
      if (running.get() != null) {
        running.get().stop();
      }
    }, Duration.ofSeconds(30));
    try (Store store = Stores.open(storeConfig);
        HTTPServer metricsServer = metricsPort < 0 ? null : HTTPServer.builder()
            .hostname(args.get("metrics-host", "127.0.0.1")).port(metricsPort).registry(registry)
            .buildAndStart();
        Probes probes = new Probes("ingest", store, registry, refreshMs > 0)) {
      EventWriter writer = new EventWriter(store, new EventParser(maxEventBytes),
          EventWriter.DuplicateCheck.BATCH, metrics, Clock.systemUTC());
      KafkaIngest ingest = new KafkaIngest(config, writer, metrics);
      running.set(ingest);
      Thread refresh = refreshMs == 0 ? null : Thread.ofVirtual().name("naap-refresh")
          .start(new RefreshLoop(new Refresher(store, Clock.systemUTC()), Duration.ofMillis(refreshMs),
              Clock.systemUTC(), registry));
      err.printf("naap ingest: %s -> %s%s%n", config, store.description(),
          metricsServer == null ? "" : ", metrics on port " + metricsServer.getPort());
      ingest.run();
      if (refresh != null) {
        refresh.interrupt();
        refresh.join();
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
}
