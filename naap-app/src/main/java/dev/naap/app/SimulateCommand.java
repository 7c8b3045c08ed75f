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
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code naap simulate}: runs the simulated Livepeer network (docs/SIMULATOR.md) into a file for
 * {@code naap import} or into a Kafka topic, and writes its ground truth.
 */
@Command(name = "simulate",
    header = "run the simulated Livepeer network into a file or a Kafka topic",
    description = {"Simulates go-livepeer gateways, orchestrators and runners and emits their "
        + "Kafka events: first the backfill (as fast as possible), then live at --speed times "
        + "real time for --duration. The same --seed and --start give the same events byte for "
        + "byte. The ground truth (true GPU fps, failure probabilities, session counts) is "
        + "written as JSON at the end. Give --out FILE, or --bootstrap-servers with --topic."})
final class SimulateCommand implements Main.Runner {

  /** The simulator's own defaults, shown in the help. */
  private static final SimConfig DEFAULTS = SimConfig.builder().build();

  @Spec CommandSpec spec;

  @Option(names = "--seed", paramLabel = "N", description = "the run's only source of randomness")
  long seed = DEFAULTS.seed();

  @Option(names = "--backfill", paramLabel = "DURATION",
      description = "history simulated before now, e.g. 24h, 7d")
  Duration backfill = Duration.ZERO;

  @Option(names = "--duration", paramLabel = "DURATION",
      description = "live span after the backfill (default 0 with --out, 365d with Kafka)")
  Duration duration;

  @Option(names = "--start", paramLabel = "TIME",
      description = "first simulated instant, ISO-8601 or unix ms (default now - backfill)")
  String start;

  @Option(names = "--speed", paramLabel = "X", description = "live pace, times real time")
  @Range(min = 0.001, max = 1_000_000)
  double speed = 1;

  @Option(names = "--out", paramLabel = "FILE",
      description = "write newline-delimited envelopes (for naap import)")
  Path out;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
      description = "produce to this Kafka cluster instead (with --topic)")
  String bootstrapServers;

  @Option(names = "--topic", paramLabel = "TOPIC",
      description = "the Kafka topic (go-livepeer's -kafkaGatewayTopic)")
  String topic;

  @Option(names = "--kafka-user", paramLabel = "USER",
      description = "SASL/PLAIN user; with --kafka-password, SASL_SSL as go-livepeer")
  String kafkaUser;

  @Option(names = "--kafka-password", paramLabel = "PW", description = "(default $"
      + IngestCommand.KAFKA_PASSWORD_ENV + " when --kafka-user is set)")
  String kafkaPassword;

  @Option(names = "--truststore", paramLabel = "FILE",
      description = "PKCS12 truststore for TLS (default: the JVM's CAs)")
  String truststore;

  @Option(names = "--truststore-password", paramLabel = "PW", description = "its password")
  String truststorePassword;

  @Option(names = "--truth", paramLabel = "FILE",
      description = "ground truth JSON (default FILE.truth.json, or sim-truth.json)")
  Path truth;

  @Option(names = "--malformed-rate", paramLabel = "P",
      description = "malformed messages injected per event")
  @Range(min = 0, max = 0.5)
  double malformedRate = DEFAULTS.malformedRate();

  @Option(names = "--loss-rate", paramLabel = "P", description = "events dropped by the producer")
  @Range(min = 0, max = 0.5)
  double lossRate = DEFAULTS.lossRate();

  @Option(names = "--duplicate-rate", paramLabel = "P", description = "events sent twice")
  @Range(min = 0, max = 0.5)
  double duplicateRate = DEFAULTS.duplicateRate();

  @Option(names = "--late-rate", paramLabel = "P", description = "events delayed 30 s to 10 min")
  @Range(min = 0, max = 0.5)
  double lateRate = DEFAULTS.lateRate();

  @Option(names = "--orchestrators", paramLabel = "N", description = "orchestrators")
  @Range(min = 1, max = 10_000)
  int orchestrators = DEFAULTS.orchestrators();

  @Option(names = "--gpus", paramLabel = "N", description = "GPUs over all orchestrators")
  @Range(min = 1, max = 100_000)
  int gpus = DEFAULTS.gpus();

  @Option(names = "--streams-per-hour", paramLabel = "N",
      description = "stream requests per hour at the daily peak")
  @Range(min = 0, max = 1_000_000)
  double streamsPerHour = DEFAULTS.peakStreamsPerHour();

  @Option(names = "--http-port", paramLabel = "PORT", description = {"serve a gateway's HTTP "
      + "surface on 127.0.0.1:PORT while running: /getNetworkCapabilities, "
      + "/live/video-to-video/{stream}/start, /update, /{streamId}/status (0 = a free port; "
      + "default off)"})
  @Range(min = 0, max = 65_535)
  Integer httpPort;

  @Option(names = "--http-gateway", paramLabel = "I",
      description = "which gateway the HTTP surface is: 0 (\"\"), 1 (eu), 2 (ap)")
  @Range(min = 0, max = 2)
  int httpGateway = 0;

  @Override
  public int run(PrintStream stdout, PrintStream err) {
    Problems problems = new Problems();
    if ((out == null) == (bootstrapServers == null)) {
      problems.add("give exactly one of --out FILE or --bootstrap-servers (with --topic)");
    }
    if ((bootstrapServers == null) != (topic == null)) {
      problems.add("--bootstrap-servers and --topic go together");
    }
    Duration live = duration != null ? duration
        : out != null ? Duration.ZERO : Duration.ofDays(365);
    long startMs = start(problems, System.currentTimeMillis() / 1000 * 1000 - backfill.toMillis());
    Map<String, String> kafka = kafkaSecurity(problems);
    SimConfig config = problems.attempt(() -> SimConfig.builder().seed(seed).startMs(startMs)
        .duration(backfill.plus(live)).orchestrators(orchestrators).gpus(gpus)
        .peakStreamsPerHour(streamsPerHour).malformedRate(malformedRate).lossRate(lossRate)
        .duplicateRate(duplicateRate).lateRate(lateRate).build());
    problems.check(spec);

    Path truthFile = truth != null ? truth
        : Path.of(out != null ? out + ".truth.json" : "sim-truth.json");
    Simulator sim = new Simulator(config);
    try (Lifecycle life = Lifecycle.start(spec.qualifiedName(), Duration.ofSeconds(10), err)) {
      life.onStop(sim::stop);
      EventSink sink = life.add(out != null ? new FileSink(out)
          : new KafkaSink(bootstrapServers, topic, kafka));
      if (httpPort != null) {
        life.add(startHttp(sim, httpGateway, httpPort, err));
      }
      err.printf("simulating %s to %s (seed %d)%n", Instant.ofEpochMilli(startMs),
          Instant.ofEpochMilli(startMs + config.durationMs()), seed);
      GroundTruth result = sim.run(sink, Pacer.realTime(speed, startMs + backfill.toMillis()));
      result.writeJson(truthFile);
      long generated = result.delivery().entrySet().stream().filter(e -> !e.getKey().contains("/"))
          .mapToLong(e -> e.getValue().generated()).sum();
      long requested = result.demand().stream().mapToLong(GroundTruth.DemandCell::requested).sum();
      stdout.printf("simulated: events=%d streams=%d ground-truth=%s%n", generated, requested,
          truthFile);
      return 0;
    }
  }

  /** go-livepeer's production producer: SASL/PLAIN over TLS when a user and password are set. */
  private Map<String, String> kafkaSecurity(Problems problems) {
    String user = kafkaUser;
    if (user == null) {
      return Map.of();
    }
    String password = kafkaPassword != null ? kafkaPassword
        : System.getenv(IngestCommand.KAFKA_PASSWORD_ENV);
    if (password == null) {
      problems.add("--kafka-user needs --kafka-password (or $" + IngestCommand.KAFKA_PASSWORD_ENV
          + ")");
      return Map.of();
    }
    Map<String, String> p = new java.util.HashMap<>();
    p.put("security.protocol", "SASL_SSL");
    p.put("sasl.mechanism", "PLAIN");
    p.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule"
        + " required username=\""
        + jaasEscape(user) + "\" password=\"" + jaasEscape(password) + "\";");
    if (truststore != null) {
      p.put("ssl.truststore.location", truststore);
      p.put("ssl.truststore.type", "PKCS12");
      if (truststorePassword != null) {
        p.put("ssl.truststore.password", truststorePassword);
      }
    }
    return p;
  }

  private static String jaasEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static AutoCloseable startHttp(Simulator sim, int gateway, int port, PrintStream err) {
    GatewayServer server = GatewayServer.start(sim, gateway, port);
    err.printf("gateway HTTP surface on http://127.0.0.1:%d "
        + "(/getNetworkCapabilities, /live/video-to-video/...)%n",
        server.port());
    return server;
  }

  private long start(Problems problems, long fallback) {
    if (start == null) {
      return fallback;
    }
    try {
      return start.chars().allMatch(Character::isDigit) ? Long.parseLong(start)
          : Instant.parse(start).toEpochMilli();
    } catch (NumberFormatException | DateTimeParseException e) {
      problems.add("--start: expected unix ms or an ISO-8601 instant, got '" + start + "'");
      return fallback;
    }
  }
}
