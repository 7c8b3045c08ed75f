package dev.naap.bench;

import dev.naap.app.Main;
import dev.naap.app.Range;
import dev.naap.kafka.KafkaBroker;
import dev.naap.metrics.Refresher;
import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import dev.naap.store.Stores;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Ingest throughput with 1, 2, 3 … {@code naap ingest} processes in one consumer group writing to
 * one store over the ClickHouse HTTP interface (the project's {@code naap clickhouse-http
 * --allow-writes} standing in for a ClickHouse server), and the duration of the refresh that then
 * rolls all of it up.
 *
 * <p>Workload: {@code --events} {@code ai_stream_status} envelopes of 700 sessions over 3 gateways,
 * produced first to a topic of {@code --partitions}. Each run starts its processes ({@code
 * --no-refresh}) in a fresh group and database, and is timed from the first committed offset to the
 * last, so JVM starts and migrations are left out. The load average is printed with each figure: on
 * a shared machine it says what else ran.
 *
 * <p>Run: {@code ./naap bench scale-out [--events N] [--processes 1,2,3]}.
 */
@Command(name = "scale-out", description = "ingest throughput of 1, 2, 3 … naap ingest "
    + "processes in one consumer group writing to one store over HTTP, and the refresh after")
public final class ScaleOutBenchmark implements Main.Runner {

  private static final String TOPIC = "scale-out";
  private static final String PASSWORD = "bench-" + Long.toHexString(System.nanoTime());
  private static final Pattern URL = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/)");
  private static final int MAX_PROCESSES = 64;

  @Option(names = "--events", paramLabel = "N", description = "envelopes produced and consumed")
  @Range(min = 1, max = Integer.MAX_VALUE)
  int events = 200_000;

  @Option(names = "--partitions", paramLabel = "P", description = "partitions of the topic")
  @Range(min = 1, max = 1_000)
  int partitions = 6;

  @Option(names = "--processes", paramLabel = "N", split = ",", defaultValue = "1,2,3",
      description = "the runs: how many ingest processes each starts (each 1.." + MAX_PROCESSES
          + ")")
  List<Integer> counts;

  @Option(names = "--launcher", paramLabel = "FILE",
      description = "the naap launcher that starts them (default naap in the working directory)")
  Path launcherFile;

  @Spec CommandSpec spec;

  ScaleOutBenchmark() {}

  @Override
  public int run(PrintStream out, PrintStream err) throws Exception {
    if (counts.stream().anyMatch(n -> n < 1 || n > MAX_PROCESSES)) {
      throw new ParameterException(spec.commandLine(), "--processes: expected counts 1.."
          + MAX_PROCESSES + ", got " + counts);
    }
    String launcher = (launcherFile != null ? launcherFile : Path.of("naap"))
        .toAbsolutePath().toString();
    WorkDir dir = WorkDir.temporary("naap-scale-out");
    List<Process> started = new ArrayList<>();
    try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Config.at(dir.resolve("kafka")))) {
      broker.createTopic(TOPIC, partitions);
      produce(broker.bootstrapServers(), events);
      Process facade = start(started, dir.resolve("clickhouse-http.log"), launcher,
          "clickhouse-http",
          "--port", "0", "--data-dir", dir.resolve("store").toString(), "--allow-writes",
          "--password", PASSWORD, "--threads", "8");
      URI url = awaitUrl(dir.resolve("clickhouse-http.log"), facade);
      System.out.printf("scale-out: %d events on %d partitions, store %s, %d cores%n", events,
          partitions, url, Runtime.getRuntime().availableProcessors());
      String lastDatabase = null;
      for (int n : counts) {
        String database = "scale_out_" + n;
        lastDatabase = database;
        String group = "scale-out-" + n;
        // Migrated first: processes that start together on an empty database race on its views.
        Stores.open(server(url, database)).close();
        List<Process> ingests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          ingests.add(start(started, dir.resolve("ingest-" + n + "-" + i + ".log"), launcher,
              "ingest", "--bootstrap-servers", broker.bootstrapServers(), "--topic", TOPIC,
              "--group", group, "--instance-id", "none", "--no-refresh", "--metrics-port", "-1",
              "--clickhouse-url", url.toString(), "--clickhouse-password", PASSWORD,
              "--clickhouse-database", database));
        }
        long first = 0;
        long firstAt = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
        long committed;
        while ((committed = committed(broker, group)) < events) {
          if (first == 0 && committed > 0) {
            first = committed;
            firstAt = System.nanoTime();
          }
          if (System.nanoTime() > deadline || ingests.stream().anyMatch(p -> !p.isAlive())) {
            throw new IllegalStateException("run with " + n + " processes did not finish; see "
                + dir);
          }
          Thread.sleep(200);
        }
        double seconds = (System.nanoTime() - firstAt) / 1e9;
        System.out.printf("scale-out: %d ingest process(es): %.0f events/s (%d events in %.1f s"
            + " after the first commit), load average %.1f%n", n, (events - first) / seconds,
            events - first, seconds, loadAverage());
        for (Process p : ingests) {
          p.destroy();
        }
        for (Process p : ingests) {
          p.waitFor(60, TimeUnit.SECONDS);
        }
      }
      try (Store store = Stores.open(server(url, lastDatabase))) {
        long t0 = System.nanoTime();
        Refresher.Result r = new Refresher(store, Clock.systemUTC()).refreshUpTo(Instant.now());
        System.out.printf("scale-out: refresh of all %d events over HTTP: %d sessions, %d hours,"
            + " %d minutes in %.1f s, load average %.1f%n", events, r.sessions(), r.hours(),
            r.minutes(), (System.nanoTime() - t0) / 1e9, loadAverage());
      }
    } finally {
      // Also when the benchmark is stopped: its processes stop before it returns.
      Cleanup.stop(started, Duration.ofSeconds(60));
    }
    dir.close(); // only after a run that finished: a failed one's processes left their logs there
    return 0;
  }

  private static StoreConfig.Server server(URI url, String database) {
    return new StoreConfig.Server(url, "default", PASSWORD, database, 8, Duration.ofMinutes(10));
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static Process start(List<Process> started, Path log, String launcher, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(launcher));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    started.add(p);
    return p;
  }

  private static URI awaitUrl(Path log, Process p) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline && p.isAlive()) {
      Matcher m = URL.matcher(Files.exists(log) ? Files.readString(log) : "");
      if (m.find()) {
        return URI.create(m.group(1));
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("naap clickhouse-http did not start; see " + log);
  }

  private static void produce(String bootstrap, int events) {
    Random random = new Random(17);
    long base = System.currentTimeMillis() - 3_600_000;
    try (var producer = new KafkaProducer<byte[], byte[]>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, 20), new ByteArraySerializer(),
        new ByteArraySerializer())) {
      for (int i = 0; i < events; i++) {
        String id = new UUID(random.nextLong(), random.nextLong()).toString();
        long at = base + i * 10L;
        String envelope = "{\"id\":\"" + id + "\",\"type\":\"ai_stream_status\",\"timestamp\":\""
            + at + "\",\"gateway\":\"gw-" + (i % 3) + "\",\"data\":{\"type\":\"status\","
            + "\"stream_id\":\"stream-" + (i % 700) + "\",\"request_id\":\"req-" + (i % 700)
            + "\",\"pipeline\":\"streamdiffusion\",\"state\":\"ONLINE\",\"timestamp\":" + at
            + ",\"inference_status\":{\"fps\":" + (10 + i % 20) + ".5}}}";
        producer.send(new ProducerRecord<>(TOPIC, id.getBytes(StandardCharsets.UTF_8),
            envelope.getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  private static long committed(KafkaBroker broker, String group) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        broker.bootstrapServers()))) {
      return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
          .get(10, TimeUnit.SECONDS).values().stream().filter(v -> v != null)
          .mapToLong(OffsetAndMetadata::offset).sum();
    } catch (Exception e) {
      return 0; // the group does not exist yet
    }
  }
}
