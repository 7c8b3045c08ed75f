package dev.naap.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.HotSpotDiagnosticMXBean;
import dev.naap.app.Main;
import dev.naap.app.Range;
import dev.naap.events.EventParser;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.IngestMetrics;
import dev.naap.ingest.KafkaIngest;
import dev.naap.ingest.KafkaIngestConfig;
import dev.naap.kafka.KafkaBroker;
import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import dev.naap.store.Stores;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Sustained ingest throughput from a real Kafka broker into the embedded store, and the heap it
 * needs.
 *
 * <p>Workload: {@code --events} envelopes (default 1 000 000) made from the 65 real envelopes of
 * {@code ../shared/reference/data/kafka-capture-live-session-2026-01-08.json} in turn, each under a
 * new random id (seed 42), so the family mix is the capture's (52 % stream_ingest_metrics, 26 %
 * ai_stream_status, …). They are produced first to a topic with {@code --partitions} partitions
 * (default 4) with go-livepeer's random keys; then each run consumes them all with a fresh consumer
 * group into emptied tables, timing from the first poll to the last committed batch, while a
 * sampler records the heap in use every 100 ms, after {@code --warmups} untimed runs. Runs:
 * {@code --runs}; the median is what docs/benchmarks.md quotes. The live set is measured by a full
 * collection forced half-way through each warm-up run, never in a timed one: its pause would stop
 * NaaP's threads while the engine's path, timed without one, has no such pause.
 *
 * <p>The peer: {@code --engine-runs} times (0 skips it) the embedded engine's own Kafka table
 * engine consumes the same topic (a fresh group each time, {@code --engine-consumers} consumers,
 * blocks of {@code --batch-max-events}) through a
 * materialized view into the same emptied {@code raw_events}, whose family views fire as for
 * NaaP; a run is timed from the view's creation until {@code raw_events} holds every event. After
 * the warm-ups, NaaP's timed runs and the engine's alternate (NaaP first in odd pairs, the engine
 * in even ones), so that the JIT's drift and the machine's other load fall on both. Every run must
 * leave exactly {@code --events} rows in {@code raw_events FINAL}. The ratio of the two medians is
 * printed last, with the process's CPU time per event on each path (both run in this process; the
 * broker is another), which the machine's other load moves less, and the median of the ratios of
 * the runs paired so.
 * The engine path has none of NaaP's validation, quarantine or exact offsets (docs/benchmarks.md).
 *
 * <p>Run: {@code NAAP_JAVA_OPTS=-Xmx512m ./naap bench ingest [--events N] [--runs R]
 * [--engine-runs R]}.
 */
@Command(name = "ingest", description = {"sustained ingest throughput from a real Kafka broker "
    + "into the embedded store, and its heap; then the engine's own Kafka table engine on the "
    + "same topic", "(run with NAAP_JAVA_OPTS=-Xmx512m for the heap goal)"})
public final class IngestBenchmark implements Main.Runner {

  private static final String TOPIC = "bench-events";
  private static final Duration ENGINE_GIVE_UP = Duration.ofMinutes(10);

  @Option(names = "--events", paramLabel = "N", description = "envelopes produced and consumed")
  @Range(min = 1, max = Integer.MAX_VALUE)
  int events = 1_000_000;

  @Option(names = "--runs", paramLabel = "R", description = "timed runs of NaaP's ingest")
  @Range(min = 1, max = Integer.MAX_VALUE)
  int runs = 5;

  @Option(names = "--warmups", paramLabel = "W", description = "untimed runs before them")
  @Range(min = 0, max = Integer.MAX_VALUE)
  int warmups = 1;

  @Option(names = "--partitions", paramLabel = "P", description = "partitions of the topic")
  @Range(min = 1, max = 1_000)
  int partitions = 4;

  @Option(names = "--batch-max-events", paramLabel = "N",
      description = "the most events a batch (NaaP's, and the engine's blocks) holds")
  @Range(min = 1, max = Integer.MAX_VALUE)
  int batch = 20_000;

  @Option(names = "--engine-runs", paramLabel = "R",
      description = "timed runs of the engine's Kafka table engine, 0 for none (default --runs)")
  @Range(min = 0, max = Integer.MAX_VALUE)
  Integer engineRuns;

  @Option(names = "--engine-consumers", paramLabel = "N",
      description = "the engine's Kafka consumers")
  @Range(min = 1, max = 1_000)
  int engineConsumers = 2;

  IngestBenchmark() {}

  @Override
  public int run(PrintStream out, PrintStream err) throws Exception {
    int peerRuns = engineRuns != null ? engineRuns : runs;
    keepHeapAcrossFullCollections();
    WorkDir work = WorkDir.temporary("naap-bench-");
    System.out.printf("ingest benchmark: %d events, %d partitions, batches of %d, %d runs, "
        + "max heap %d MB, %d cores, work dir %s%n", events, partitions, batch, runs,
        Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), work);

    try (work; KafkaBroker broker = KafkaBroker.start(KafkaBroker.Config.at(work.resolve("kafka")));
        Store store = Stores.open(new StoreConfig.Embedded(work.resolve("store"), 4))) {
      broker.createTopic(TOPIC, partitions);
      long bytes = produce(broker.bootstrapServers(), events);
      System.out.printf(
          "produced %d events, %.1f MB, mean %d bytes%n", events, bytes / 1e6, bytes / events);
      for (int run = 1; run <= warmups; run++) {
        printNaap("warm-up", naapRun(broker, store, "bench-warm-up-" + run, true));
      }
      // NaaP's runs and the engine's alternate, and so does which of a pair goes first, so that
      // both paths meet the same machine: the JIT's drift and the others' load fall on both.
      List<Double> rates = new ArrayList<>();
      List<Double> cpus = new ArrayList<>();
      List<Double> engine = new ArrayList<>();
      List<Double> engineCpus = new ArrayList<>();
      List<Double> pairRatios = new ArrayList<>();
      for (int run = 1; run <= Math.max(runs, peerRuns); run++) {
        boolean naapFirst = run % 2 == 1;
        for (boolean naapTurn : naapFirst ? new boolean[] {true, false}
            : new boolean[] {false, true}) {
          if (naapTurn && run <= runs) {
            Result r = naapRun(broker, store, "bench-" + run, false);
            rates.add(r.eventsPerSecond());
            cpus.add(r.cpuMicrosPerEvent());
            printNaap("run " + run, r);
          } else if (!naapTurn && run <= peerRuns) {
            emptyTables(store);
            long cpuBefore = cpuNanos();
            double seconds = consumeWithEngine(broker.bootstrapServers(), store, events, batch,
                engineConsumers, "bench-engine-" + run);
            double cpu = (cpuNanos() - cpuBefore) / 1e3 / events;
            checkStored(store, "the engine's path");
            engine.add(events / seconds);
            engineCpus.add(cpu);
            System.out.printf("engine's Kafka table engine, run %d: %d events in %.2f s = %,.0f"
                + " events/s; CPU %.1f µs/event%n", run, events, seconds, events / seconds, cpu);
          }
        }
        if (run <= runs && run <= peerRuns) {
          pairRatios.add(rates.getLast() / engine.getLast());
        }
      }
      double naap = median(rates);
      System.out.printf(
          "median: %,.0f events/s over %d runs after warm-up (min %,.0f, max %,.0f); CPU %.1f"
              + " µs/event%n", naap, runs, min(rates), max(rates), median(cpus));
      if (peerRuns > 0) {
        double peer = median(engine);
        System.out.printf("engine median: %,.0f events/s over %d runs (min %,.0f, max %,.0f); CPU"
            + " %.1f µs/event%n", peer, peerRuns, min(engine), max(engine), median(engineCpus));
        System.out.printf("NaaP / engine Kafka path: %.2f (%,.0f vs %,.0f events/s); CPU per"
            + " event, engine / NaaP: %.2f%n", naap / peer, naap, peer,
            median(engineCpus) / median(cpus));
        if (!pairRatios.isEmpty()) {
          System.out.printf("NaaP / engine, run by run: median %.2f of %s%n", median(pairRatios),
              pairRatios.stream().map(x -> String.format("%.2f", x)).toList());
        }
      }
    }
    return 0;
  }

  /**
   * @param peakHeapBytes the most heap ever in use, garbage included (bounded by -Xmx)
   * @param liveHeapBytes heap in use right after a full collection forced half-way through an
   *     untimed run: the live set; 0 when not measured
   * @param gcSeconds time spent in garbage collection during the run
   * @param cpuSeconds CPU time of this process (Java, collector and embedded engine) in the run
   */
  private record Result(long events, double seconds, long peakHeapBytes, long liveHeapBytes,
      double gcSeconds, double cpuSeconds) {
    double eventsPerSecond() {
      return events / seconds;
    }

    double cpuMicrosPerEvent() {
      return cpuSeconds * 1e6 / events;
    }
  }

  /** One run of NaaP's ingest into emptied tables; its rows are checked before the next. */
  private Result naapRun(KafkaBroker broker, Store store, String group, boolean warmUp)
      throws Exception {
    emptyTables(store);
    Result r = consume(broker.bootstrapServers(), store, events, batch, group, warmUp);
    checkStored(store, "NaaP");
    return r;
  }

  /** Every run must leave each event in {@code raw_events} exactly once. */
  private void checkStored(Store store, String path) {
    long stored = Long.parseLong(
        store.queryText("SELECT count() FROM raw_events FINAL", Map.of()).trim());
    if (stored != events) {
      throw new IllegalStateException(path + " stored " + stored + " of " + events + " events");
    }
  }

  private static void printNaap(String label, Result r) {
    System.out.printf("%s: %d events in %.2f s = %,.0f events/s; CPU %.1f µs/event; heap: "
        + "%speak used %d MB, GC %.2f s%n", label, r.events(), r.seconds(), r.eventsPerSecond(),
        r.cpuMicrosPerEvent(),
        r.liveHeapBytes() == 0 ? "" : "live " + (r.liveHeapBytes() >> 20) + " MB (full GC "
            + "half-way), ", r.peakHeapBytes() >> 20, r.gcSeconds());
  }

  private static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  private static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  /**
   * CPU time of this process so far: NaaP's path and the engine's both run in it (the broker is
   * another process), so per event it compares their work apart from the machine's other load.
   */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /**
   * Each run starts with a full collection (and the warm-up has one more, for the live heap),
   * after which the collector gives back all but about a tenth of the heap; the run then spent a
   * second or more of collections growing it again. A long-running ingest calls for no full
   * collection and keeps the heap it grew, so the benchmark keeps it too.
   */
  private static void keepHeapAcrossFullCollections() {
    ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
        .setVMOption("MaxHeapFreeRatio", "100");
  }

  private static Result consume(String bootstrap, Store store, int events, int batch, String group,
      boolean measureLive) throws InterruptedException {
    var config = KafkaIngestConfig.plaintext(bootstrap, List.of(TOPIC), group)
        .withBatching(batch, Duration.ofSeconds(1));
    IngestMetrics metrics = IngestMetrics.unregistered();
    EventWriter writer = new EventWriter(store, new EventParser(), EventWriter.DuplicateCheck.BATCH,
        metrics, Clock.systemUTC());
    KafkaIngest ingest = new KafkaIngest(config, writer, metrics);
    var memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long gcBefore = gcMillis();
    long cpuBefore = cpuNanos();
    long peak = 0;
    long live = 0;
    long start = System.nanoTime();
    Thread thread = Thread.ofPlatform().name("bench-ingest").start(ingest);
    double seconds;
    double gcSeconds;
    double cpuSeconds;
    try {
      while (ingest.total().accepted() < events && thread.isAlive()) {
        Thread.sleep(100);
        peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
        if (measureLive && live == 0 && ingest.total().accepted() >= events / 2) {
          System.gc();
          live = memory.getHeapMemoryUsage().getUsed();
        }
      }
      seconds = (System.nanoTime() - start) / 1e9;
      gcSeconds = (gcMillis() - gcBefore) / 1e3;
      cpuSeconds = (cpuNanos() - cpuBefore) / 1e9;
    } finally {
      // Also when the benchmark is stopped: the ingest ends before its store closes.
      ingest.stop();
      thread.join();
    }
    return new Result(ingest.total().accepted(), seconds, peak, live, gcSeconds, cpuSeconds);
  }

  /**
   * Seconds the engine's Kafka table engine takes to bring every event into raw_events; the
   * table and its view are dropped afterwards.
   */
  private static double consumeWithEngine(String bootstrap, Store store, int events, int batch,
      int consumers, String group) throws InterruptedException {
    store.execute(
        GeneratedNetwork.sql("engine_kafka_queue.sql")
            .replace("${broker}", bootstrap)
            .replace("${topic}", TOPIC)
            .replace("${group}", group)
            .replace("${consumers}", String.valueOf(consumers))
            .replace("${block}", String.valueOf(batch)));
    try {
      long start = System.nanoTime();
      store.execute(GeneratedNetwork.sql("engine_raw_view.sql"));
      long deadline = start + ENGINE_GIVE_UP.toNanos();
      while (Long.parseLong(store.queryText("SELECT count() FROM raw_events", Map.of()).trim())
          < events) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the engine's Kafka path stored "
              + store.queryText("SELECT count() FROM raw_events", Map.of()).trim() + " of " + events
              + " events in " + ENGINE_GIVE_UP + "; system.kafka_consumers: "
              + store.queryText("SELECT consumer_id, assignments.partition_id, exceptions.text "
                  + "FROM system.kafka_consumers WHERE table = 'bench_engine_queue'", Map.of()));
        }
        Thread.sleep(100);
      }
      return (System.nanoTime() - start) / 1e9;
    } finally {
      // Also when the benchmark is stopped: the engine's consumers end before its store closes.
      Cleanup.despiteInterrupt(() -> {
        store.execute("DROP TABLE IF EXISTS bench_engine_view SYNC");
        store.execute("DROP TABLE IF EXISTS bench_engine_queue SYNC");
      });
    }
  }

  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
  }

  private static long produce(String bootstrap, int events) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Path capture = captureFile();
    List<String> templates = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (JsonNode record : json.readTree(capture.toFile())) {
      templates.add(json.writeValueAsString(record.get("value")));
      ids.add(record.get("value").get("id").asText());
    }
    Random random = new Random(42);
    long bytes = 0;
    try (var producer =
        new KafkaProducer<byte[], byte[]>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                512 * 1024),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < events; i++) {
        int t = i % templates.size();
        String id = new UUID(random.nextLong(), random.nextLong()).toString();
        byte[] value = templates.get(t).replace(ids.get(t), id).getBytes(StandardCharsets.UTF_8);
        bytes += value.length;
        producer.send(new ProducerRecord<>(TOPIC, id.getBytes(StandardCharsets.UTF_8), value));
      }
      producer.flush();
    }
    return bytes;
  }

  private static void emptyTables(Store store) {
    String tables =
        store.queryText(
            "SELECT name FROM system.tables WHERE database = currentDatabase() "
                + "AND engine LIKE '%MergeTree' AND name != 'schema_migrations'",
            Map.of());
    for (String table : tables.split("\n")) {
      if (!table.isBlank()) {
        store.execute("TRUNCATE TABLE " + table);
      }
    }
  }

  private static Path captureFile() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolveSibling("shared")
          .resolve("reference/data/kafka-capture-live-session-2026-01-08.json");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "../shared/reference/data/kafka-capture-live-session-2026-01-08.json not found");
  }
}
