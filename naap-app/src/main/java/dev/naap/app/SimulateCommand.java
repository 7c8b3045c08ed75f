package dev.naap.app;

import dev.naap.sim.EventSink;
import dev.naap.sim.FileSink;
import dev.naap.sim.GatewayServer;
import dev.naap.sim.GroundTruth;
import dev.naap.sim.KafkaSink;
import dev.naap.sim.Pacer;
import dev.naap.sim.SimConfig;
import dev.naap.sim.Simulator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code naap simulate}: runs the simulated Livepeer network (docs/SIMULATOR.md) into a file for
 * {@code naap import} or into a Kafka topic, and writes its ground truth.
 */
final class SimulateCommand implements Main.Command {

  private static final Set<String> OPTIONS = Set.of("seed", "backfill", "duration", "start", "speed",
      "out", "bootstrap-servers", "topic", "truth", "malformed-rate", "loss-rate", "duplicate-rate",
      "late-rate", "orchestrators", "gpus", "streams-per-hour", "http-port", "http-gateway",
      "kafka-user", "kafka-password", "truststore", "truststore-password");

  @Override
  public String summary() {
    return "run the simulated Livepeer network into a file or a Kafka topic";
  }

  @Override
  public String usage() {
    return """
        usage: naap simulate [OPTIONS] (--out FILE | --bootstrap-servers HOST:PORT --topic TOPIC)

        Simulates go-livepeer gateways, orchestrators and runners and emits their Kafka events:
        first the backfill (as fast as possible), then live at --speed times real time for
        --duration. The same --seed and --start give the same events byte for byte. The ground
        truth (true GPU fps, failure probabilities, session counts) is written as JSON at the end.

        options:
          --seed N                 the run's only source of randomness (default 1)
          --backfill DURATION      history simulated before now, e.g. 24h, 7d (default 0)
          --duration DURATION      live span after the backfill (default 0 with --out, 365d with Kafka)
          --start TIME             first simulated instant, ISO-8601 or unix ms (default now - backfill)
          --speed X                live pace, times real time (default 1)
          --out FILE               write newline-delimited envelopes (for naap import)
          --bootstrap-servers S    produce to this Kafka cluster instead (with --topic)
          --topic T                the Kafka topic (go-livepeer's -kafkaGatewayTopic)
          --kafka-user USER        SASL/PLAIN user; with --kafka-password, SASL_SSL as go-livepeer
          --kafka-password PW      (default $NAAP_KAFKA_PASSWORD when --kafka-user is set)
          --truststore FILE        PKCS12 truststore for TLS (default: the JVM's CAs)
          --truststore-password PW
          --truth FILE             ground truth JSON (default FILE.truth.json, or sim-truth.json)
          --malformed-rate P       malformed messages injected per event (default 0)
          --loss-rate P            events dropped by the producer (default 0.0005)
          --duplicate-rate P       events sent twice (default 0.001)
          --late-rate P            events delayed 30 s to 10 min (default 0.002)
          --orchestrators N        orchestrators (default 40)
          --gpus N                 GPUs over all orchestrators (default 80)
          --streams-per-hour N     stream requests per hour at the daily peak (default 360)
          --http-port N            serve a gateway's HTTP surface on 127.0.0.1:N while running:
                                   /getNetworkCapabilities, /live/video-to-video/{stream}/start,
                                   /update, /{streamId}/status (0 = a free port; default off)
          --http-gateway I         which gateway the HTTP surface is: 0 (""), 1 (eu), 2 (ap) (default 0)

        DURATION is a number with a unit, ms, s, m, h or d, or several (1h30m).
        """;
  }

  @Override
  public int run(List<String> argv, PrintStream out, PrintStream err) {
    Args args = Args.parse(argv, OPTIONS, Set.of());
    if (!args.positional().isEmpty()) {
      args.error("unexpected arguments: " + args.positional());
    }
    String file = args.get("out", null);
    String servers = args.get("bootstrap-servers", null);
    String topic = args.get("topic", null);
    if ((file == null) == (servers == null)) {
      args.error("give exactly one of --out FILE or --bootstrap-servers (with --topic)");
    }
    if ((servers == null) != (topic == null)) {
      args.error("--bootstrap-servers and --topic go together");
    }
    long seed = longOption(args, "seed", 1);
    Duration backfill = args.duration("backfill", Duration.ZERO);
    Duration live = args.duration("duration", file != null ? Duration.ZERO : Duration.ofDays(365));
    double speed = args.decimal("speed", 1, 0.001, 1_000_000);
    long startMs = start(args, System.currentTimeMillis() / 1000 * 1000 - backfill.toMillis());
    SimConfig.Builder b = SimConfig.builder().seed(seed).startMs(startMs).duration(backfill.plus(live))
        .orchestrators(args.integer("orchestrators", 40, 1, 10_000))
        .gpus(args.integer("gpus", 80, 1, 100_000))
        .peakStreamsPerHour(args.decimal("streams-per-hour", 360, 0, 1_000_000))
        .malformedRate(args.decimal("malformed-rate", 0, 0, 0.5))
        .lossRate(args.decimal("loss-rate", 0.0005, 0, 0.5))
        .duplicateRate(args.decimal("duplicate-rate", 0.001, 0, 0.5))
        .lateRate(args.decimal("late-rate", 0.002, 0, 0.5));
    Map<String, String> kafka = kafkaSecurity(args);
    int httpPort = args.integer("http-port", -1, 0, 65_535);
    int httpGateway = args.integer("http-gateway", 0, 0, 2);
    args.check();
    SimConfig config;
    try {
      config = b.build();
    } catch (IllegalArgumentException e) {
      throw new Args.UsageException(e.getMessage());
    }
    Path truthFile = Path.of(args.get("truth", file != null ? file + ".truth.json" : "sim-truth.json"));
    Simulator sim = new Simulator(config);
    var finished = Main.onShutdown(sim::stop, Duration.ofSeconds(10));
    try (EventSink sink = file != null ? new FileSink(Path.of(file))
        : new KafkaSink(servers, topic, kafka);
        AutoCloseable http = httpPort < 0 ? () -> {} : startHttp(sim, httpGateway, httpPort, err)) {
      err.printf("simulating %s to %s (seed %d)%n", Instant.ofEpochMilli(startMs),
          Instant.ofEpochMilli(startMs + config.durationMs()), seed);
      GroundTruth truth = sim.run(sink, Pacer.realTime(speed, startMs + backfill.toMillis()));
      truth.writeJson(truthFile);
      long generated = truth.delivery().entrySet().stream().filter(e -> !e.getKey().contains("/"))
          .mapToLong(e -> e.getValue().generated()).sum();
      long requested = truth.demand().stream().mapToLong(GroundTruth.DemandCell::requested).sum();
      out.printf("simulated: events=%d streams=%d ground-truth=%s%n", generated, requested, truthFile);
      return 0;
    } catch (Exception e) {
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
    } finally {
      finished.countDown();
    }
  }

  /** go-livepeer's production producer: SASL/PLAIN over TLS when a user and password are set. */
  private static Map<String, String> kafkaSecurity(Args args) {
    String user = args.get("kafka-user", null);
    if (user == null) {
      return Map.of();
    }
    String password = args.get("kafka-password", System.getenv("NAAP_KAFKA_PASSWORD"));
    if (password == null) {
      args.error("--kafka-user needs --kafka-password (or $NAAP_KAFKA_PASSWORD)");
      return Map.of();
    }
    Map<String, String> p = new java.util.HashMap<>();
    p.put("security.protocol", "SASL_SSL");
    p.put("sasl.mechanism", "PLAIN");
    p.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + jaasEscape(user) + "\" password=\"" + jaasEscape(password) + "\";");
    String truststore = args.get("truststore", null);
    if (truststore != null) {
      p.put("ssl.truststore.location", truststore);
      p.put("ssl.truststore.type", "PKCS12");
      String tsPassword = args.get("truststore-password", null);
      if (tsPassword != null) {
        p.put("ssl.truststore.password", tsPassword);
      }
    }
    return p;
  }

  private static String jaasEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static AutoCloseable startHttp(Simulator sim, int gateway, int port, PrintStream err) {
    GatewayServer server = GatewayServer.start(sim, gateway, port);
    err.printf("gateway HTTP surface on http://127.0.0.1:%d (/getNetworkCapabilities, /live/video-to-video/...)%n",
        server.port());
    return server;
  }

  private static long start(Args args, long fallback) {
    String raw = args.get("start", null);
    if (raw == null) {
      return fallback;
    }
    try {
      return raw.chars().allMatch(Character::isDigit) ? Long.parseLong(raw) : Instant.parse(raw).toEpochMilli();
    } catch (NumberFormatException | DateTimeParseException e) {
      args.error("--start: expected unix ms or an ISO-8601 instant, got '" + raw + "'");
      return fallback;
    }
  }






  private static long longOption(Args args, String name, long fallback) {
    String raw = args.get(name, null);
    if (raw == null) {
      return fallback;
    }
    try {
      return Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      args.error("--" + name + ": expected an integer, got '" + raw + "'");
      return fallback;
    }
  }
}
