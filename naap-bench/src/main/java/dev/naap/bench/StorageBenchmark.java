package dev.naap.bench;

import dev.naap.app.Main;
import dev.naap.app.Range;
import dev.naap.events.EventParser;
import dev.naap.ingest.EventWriter;
import dev.naap.ingest.IngestMetrics;
import dev.naap.ingest.Message;
import dev.naap.ingest.Origin;
import dev.naap.metrics.Refresher;
import dev.naap.sim.EventSink;
import dev.naap.sim.SimConfig;
import dev.naap.sim.Simulator;
import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import dev.naap.store.Stores;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Bytes on disk per event and per month, measured on a simulated network.
 *
 * <p>Workload: the simulator's network of {@code --gpus} GPUs on {@code --orchestrators} over
 * {@code --hours} of virtual time (by default 24: a whole daily cycle) from 2026-01-08T00:00Z, with
 * the demo network's requests per GPU (its peak of 360 streams an hour on 80 GPUs, scaled), its
 * loss, duplicates and late events. The events go through the ingest writer in batches of 20 000,
 * the rollups are refreshed, and every table is merged ({@code OPTIMIZE … FINAL}) as it would be by
 * then in a long-running store. Printed from {@code system.parts} and {@code system.columns}: rows
 * and bytes on disk per table, the raw payload's compression, bytes per event, and the month at
 * {@code --scale-gpus} GPUs (the per-GPU rate held, so every table scales with the GPUs).
 *
 * <p>Run: {@code ./naap bench storage [--gpus G] [--hours H] [--scale-gpus N]}.
 */
@Command(name = "storage", description = "bytes on disk per event and per month, measured on a "
    + "simulated network")
public final class StorageBenchmark implements Main.Runner {

  private static final int BATCH = 20_000;
  private static final long START_MS = 1_767_830_400_000L;

  @Option(names = "--gpus", paramLabel = "G", description = "GPUs in the simulated network")
  @Range(min = 1, max = Integer.MAX_VALUE)
  int gpus = 100;

  @Option(names = "--orchestrators", paramLabel = "O",
      description = "orchestrators the GPUs are on (default two fifths of the GPUs)")
  @Range(min = 1, max = Integer.MAX_VALUE)
  Integer orchestratorCount;

  @Option(names = "--hours", paramLabel = "H", description = "hours of virtual time")
  @Range(min = 1, max = 24 * 366)
  int hours = 24;

  @Option(names = "--scale-gpus", paramLabel = "N",
      description = "the network size the monthly figures are scaled to")
  @Range(min = 1, max = Integer.MAX_VALUE)
  int scaleGpus = 1000;

  @Option(names = "--seed", paramLabel = "N", description = "the simulator's seed")
  long seed = 1;

  StorageBenchmark() {}

  @Override
  public int run(PrintStream out, PrintStream err) throws Exception {
    int orchestrators = orchestratorCount != null ? orchestratorCount : Math.max(1, gpus * 2 / 5);
    SimConfig demo = SimConfig.builder().build();
    SimConfig config = SimConfig.builder().seed(seed)
        .gpus(gpus).orchestrators(orchestrators).startMs(START_MS).duration(Duration.ofHours(hours))
        .peakStreamsPerHour(demo.peakStreamsPerHour() * gpus / demo.gpus()).build();
    WorkDir work = WorkDir.temporary("naap-bench-storage-");
    System.out.printf(
        "storage benchmark: %d GPUs on %d orchestrators, %d h from %s, peak %.0f streams/h, "
            + "work dir %s%n",
        gpus,
        orchestrators,
        hours,
        Instant.ofEpochMilli(START_MS),
        config.peakStreamsPerHour(),
        work);

    try (work; Store store = Stores.open(new StoreConfig.Embedded(work.resolve("store"), 4))) {
      Clock clock = Clock.systemUTC();
      EventWriter writer =
          new EventWriter(
              store,
              new EventParser(),
              EventWriter.DuplicateCheck.BATCH,
              IngestMetrics.unregistered(),
              clock);
      long start = System.nanoTime();
      try (BatchSink sink = new BatchSink(writer)) {
        new Simulator(config).run(sink);
      }
      Refresher refresher = new Refresher(store, clock);
      var refreshed = refresher.refreshUpTo(clock.instant());
      System.out.printf("simulated, written and refreshed in %.1f s (%d sessions)%n",
          (System.nanoTime() - start) / 1e9, refreshed.sessions());
      for (String table :
          store
              .queryText(
                  "SELECT name FROM system.tables WHERE database = currentDatabase() "
                      + "AND engine LIKE '%MergeTree' ORDER BY name",
                  Map.of())
              .split("\n")) {
        store.execute("OPTIMIZE TABLE " + table + " FINAL");
      }
      report(store, hours, (double) scaleGpus / gpus, scaleGpus);
    }
    return 0;
  }

  private static void report(Store store, int hours, double scale, int scaleGpus) {
    long events =
        Long.parseLong(store.queryText("SELECT count() FROM raw_events", Map.of()).trim());
    System.out.printf("%n%-32s %12s %14s %10s %14s%n", "table", "rows", "bytes on disk", "B/event",
        "GB/month@" + scaleGpus);
    long total = 0;
    double perMonth = 30.0 * 24 / hours * scale;
    for (String line :
        store
            .queryText(
                "SELECT table, sum(rows), sum(bytes_on_disk) FROM system.parts WHERE database ="
                    + " currentDatabase() AND active GROUP BY table ORDER BY 3 DESC",
                Map.of())
            .split("\n")) {
      String[] f = line.split("\t");
      long bytes = Long.parseLong(f[2]);
      total += bytes;
      System.out.printf("%-32s %,12d %,14d %10.1f %14.2f%n", f[0], Long.parseLong(f[1]), bytes,
          (double) bytes / events, bytes * perMonth / 1e9);
    }
    System.out.printf(
        "%-32s %12s %,14d %10.1f %14.2f%n",
        "total", "", total, (double) total / events, total * perMonth / 1e9);
    System.out.printf("%nraw_events columns (compressed / uncompressed bytes):%n");
    for (String line :
        store
            .queryText(
                "SELECT name, compression_codec, data_compressed_bytes, data_uncompressed_bytes"
                    + " FROM system.columns WHERE database = currentDatabase() AND table ="
                    + " 'raw_events' ORDER BY data_compressed_bytes DESC LIMIT 8",
                Map.of())
            .split("\n")) {
      String[] f = line.split("\t", -1);
      long c = Long.parseLong(f[2]);
      long u = Long.parseLong(f[3]);
      System.out.printf(
          "  %-22s %-16s %,12d / %,12d (%.1fx, %.1f B/event)%n",
          f[0],
          f[1].isEmpty() ? "(LZ4 default)" : f[1],
          c,
          u,
          c == 0 ? 0 : (double) u / c,
          (double) c / events);
    }
    System.out.printf(
        "%n%,d events in %d h: %,.0f events/month at %d GPUs; %.1f bytes/event on disk; "
            + "%.2f GB/month at %d GPUs%n",
        events,
        hours,
        events * perMonth,
        scaleGpus,
        (double) total / events,
        total * perMonth / 1e9,
        scaleGpus);
  }

  /** Hands the simulator's messages to the ingest writer in batches. */
  private static final class BatchSink implements EventSink {
    private final EventWriter writer;
    private List<Message> batch = new ArrayList<>();
    private long offset;

    BatchSink(EventWriter writer) {
      this.writer = writer;
    }

    @Override
    public void send(String key, byte[] value) {
      batch.add(new Message(value, Origin.file("storage-bench", offset++)));
      if (batch.size() == BATCH) {
        close();
      }
    }

    @Override
    public void close() {
      if (!batch.isEmpty()) {
        writer.write(batch);
        batch = new ArrayList<>();
      }
    }
  }
}
