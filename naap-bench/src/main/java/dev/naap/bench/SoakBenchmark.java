package dev.naap.bench;

import dev.naap.app.Main;
import dev.naap.app.Range;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole system under sustained load, as it is deployed: {@code naap demo} (Kafka, the store,
 * the simulated network at {@code --scale} times its default size, ingest with its rollup
 * refresh, scraper, load tester) and a separate {@code naap serve} reading the store over its
 * ClickHouse HTTP endpoint, both started through the launcher as child processes; API traffic
 * against the serve instance with an API key; every {@code --sample-seconds} a row of figures
 * from both processes' Prometheus metrics, {@code /proc} and the data directory.
 *
 * <p>Traffic: {@code --visitors} dashboards, each loading the dashboard's six calls every 30 s with
 * the same parameters (so mostly answered by the response cache), and API users sending {@code
 * --rate} requests/s of the same calls with a random {@code end} in the last day (so each reaches
 * the store). Open loop: a slow server shows as latency.
 *
 * <p>Output in {@code --out}: {@code samples.csv}, one SVG plot per panel ({@link SoakPlots}) and
 * {@code summary.txt}. {@code --plot CSV} regenerates the plots of an earlier run and prints its
 * figures.
 *
 * <p>Run: {@code ./naap bench soak [--minutes M] [--scale X] [--backfill-hours H] [--visitors V]
 * [--rate R] [--sample-seconds S] [--out DIR]}.
 */
@Command(name = "soak", description = {"the whole system under sustained traffic: naap demo "
    + "and a separate naap serve, started through the launcher, sampled into CSV and SVG plots",
    "(docs/LOAD_TEST_REPORT.md)"})
public final class SoakBenchmark implements Main.Runner {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(30);
  private static final Duration VISITOR_PERIOD = Duration.ofSeconds(30);
  private static final String API_KEY = "soak-" + UUID.randomUUID();

  @Option(names = "--minutes", paramLabel = "M", description = "length of the traffic")
  @Range(min = 1, max = Integer.MAX_VALUE)
  int minutes = 30;

  @Option(names = "--scale", paramLabel = "X", description = "the demo network's size, times the "
      + "simulator's default (naap demo --scale)")
  @Range(min = 0.1, max = 100)
  double scale = 3;

  @Option(names = "--backfill-hours", paramLabel = "H",
      description = "history the demo simulates at its start (naap demo --backfill-hours)")
  @Range(min = 0, max = 24 * 30)
  int backfillHours = 6;

  @Option(names = "--visitors", paramLabel = "V",
      description = "dashboards loading the six calls every 30 s")
  @Range(min = 0, max = 100_000)
  int visitors = 10;

  @Option(names = "--rate", paramLabel = "R", description = "uncached API requests per second")
  @Range(min = 1, max = 100_000)
  int rate = 2;

  @Option(names = "--sample-seconds", paramLabel = "S", description = "time between samples")
  @Range(min = 1, max = Integer.MAX_VALUE)
  int sampleSeconds = 10;

  @Option(names = "--out", paramLabel = "DIR", description = "where samples.csv, the plots and "
      + "summary.txt go")
  Path outDir = Path.of("target", "soak");

  @Option(names = "--plot", paramLabel = "CSV", description = "instead, plot the samples.csv of "
      + "an earlier run (beside it) and print its figures")
  Path plot;

  SoakBenchmark() {}

  @Override
  public int run(PrintStream stdout, PrintStream stderr) throws Exception {
    if (plot != null) {
      SoakPlots.write(plot, plot.toAbsolutePath().getParent());
      System.out.print(SoakPlots.summary(plot));
      return 0;
    }
    Path out = outDir.toAbsolutePath();
    Path launcher = Path.of(System.getProperty("naap.launcher", "./naap")).toAbsolutePath();
    Files.createDirectories(out);
    WorkDir work = WorkDir.temporary("naap-bench-soak-");
    String password = UUID.randomUUID().toString();
    int apiPort = freePort();
    int httpPort = freePort();
    int demoMetricsPort = freePort();
    int servePort = freePort();
    int serveMetricsPort = freePort();
    System.out.printf(
        "soak: %d min, scale %s, backfill %s h, %d visitors, %d uncached req/s, %d cores,"
            + " load %s, work dir %s%n",
        minutes,
        scale,
        backfillHours,
        visitors,
        rate,
        Runtime.getRuntime().availableProcessors(),
        loadAverage(),
        work);

    ProcessBuilder demoCommand =
        new ProcessBuilder(
                launcher.toString(),
                "demo",
                "--dir",
                work.resolve("demo").toString(),
                "--scale",
                String.valueOf(scale),
                "--backfill-hours",
                String.valueOf(backfillHours),
                "--port",
                String.valueOf(apiPort),
                "--http-port",
                String.valueOf(httpPort),
                "--metrics-port",
                String.valueOf(demoMetricsPort))
            .redirectErrorStream(true)
            .redirectOutput(out.resolve("demo.log").toFile());
    demoCommand.environment().put("NAAP_CLICKHOUSE_HTTP_PASSWORD", password);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    Process demo = demoCommand.start();
    Process serve = null;
    try {
      long t0 = System.nanoTime();
      awaitOk(client, URI.create("http://127.0.0.1:" + apiPort + "/health"), demo);
      URI demoMetrics = URI.create("http://127.0.0.1:" + demoMetricsPort + "/metrics");
      // The backfill is history: the soak measures the live system once it has been read and the
      // first refresh (which covers all of it) has ended.
      for (Metrics m;
          (m = Metrics.parse(get(client, demoMetrics))).sum("naap_ingest_consumer_lag") > 20_000
              || m.sum("naap_ingest_events_total") == 0
              || Double.isNaN(m.max("naap_rollup_lag_seconds")); ) {
        checkAlive(demo, "naap demo");
        Thread.sleep(2_000);
      }
      System.out.printf(
          "demo up, its backfill ingested and refreshed in %.0f s%n",
          (System.nanoTime() - t0) / 1e9);

      ProcessBuilder serveCommand =
          new ProcessBuilder(
                  launcher.toString(),
                  "serve",
                  "--clickhouse-url",
                  "http://127.0.0.1:" + httpPort,
                  "--port",
                  String.valueOf(servePort),
                  "--management-port",
                  String.valueOf(serveMetricsPort),
                  "--api-key",
                  API_KEY + "=100000000")
              .redirectErrorStream(true)
              .redirectOutput(out.resolve("serve.log").toFile());
      serveCommand.environment().put("NAAP_CLICKHOUSE_PASSWORD", password);
      serve = serveCommand.start();
      URI api = URI.create("http://127.0.0.1:" + servePort + "/");
      awaitOk(client, api.resolve("/health"), serve);
      URI serveMetrics = URI.create("http://127.0.0.1:" + serveMetricsPort + "/metrics");

      Traffic traffic = new Traffic(client, api);
      try (ExecutorService load = Executors.newVirtualThreadPerTaskExecutor()) {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        for (int v = 0; v < visitors; v++) {
          long offset =
              VISITOR_PERIOD.toNanos()
                  * v
                  / Math.max(1, visitors); // visitors spread over the period
          load.submit(() -> {
            traffic.visitor(offset, end);
            return null;
          });
        }
        load.submit(() -> {
          traffic.apiUsers(rate, end);
          return null;
        });
        try {
          sample(client, demo, serve, demoMetrics, serveMetrics, work.path(), traffic,
              sampleSeconds, end, out.resolve("samples.csv"));
        } catch (Exception e) {
          load.shutdownNow(); // a failed or stopped soak ends its traffic at once
          throw e;
        }
      }
      System.out.printf("stopping: load %s%n", loadAverage());
      Stop serveStop = stop(serve);
      Stop demoStop = stop(demo);
      System.out.printf("naap serve stopped in %.1f s (exit %d); naap demo in %.1f s (exit %d)%n",
          serveStop.seconds, serveStop.exit, demoStop.seconds, demoStop.exit);
      SoakPlots.write(out.resolve("samples.csv"), out);
      String summary =
          SoakPlots.summary(out.resolve("samples.csv"))
              + "answers by status (-1: none): "
              + new TreeMap<>(traffic.statuses)
              + "\n"
              + String.format(
                  Locale.ROOT,
                  "stop: serve %.1f s exit %d, demo %.1f s exit %d%n",
                  serveStop.seconds,
                  serveStop.exit,
                  demoStop.seconds,
                  demoStop.exit);
      Files.writeString(out.resolve("summary.txt"), summary);
      System.out.print(summary);
      System.out.printf("samples, plots and summary in %s%n", out);
    } finally {
      // Also when the soak is stopped: its processes stop before it returns (after a soak that
      // finished, they have stopped already).
      Cleanup.stop(serve == null ? List.of(demo) : List.of(serve, demo), Duration.ofSeconds(10));
    }
    work.close(); // only after a soak that finished: a failed one's processes left their logs there
    return 0;
  }

  /** Requests and their outcome, drained by the sampler each period. */
  private static final class Traffic {
    private final HttpClient client;
    private final URI api;
    private final ConcurrentLinkedQueue<double[]> done =
        new ConcurrentLinkedQueue<>(); // {ms, status, visitor}
    final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();

    Traffic(HttpClient client, URI api) {
      this.client = client;
      this.api = api;
    }

    /** A dashboard left open: its calls every 30 s, with the parameters the page uses. */
    void visitor(long offsetNanos, long endNanos) throws InterruptedException {
      long next = System.nanoTime() + offsetNanos;
      try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
        while (next < endNanos) {
          sleepUntil(next);
          for (String call : ApiBenchmark.CALLS) {
            calls.submit(() -> send(api.resolve(call), true));
          }
          next += VISITOR_PERIOD.toNanos();
        }
      }
    }

    /** API users: {@code rate} requests per second, each with its own {@code end}. */
    void apiUsers(int rate, long endNanos) throws InterruptedException {
      Random random = new Random(11);
      long interval = 1_000_000_000L / rate;
      long next = System.nanoTime();
      try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; next < endNanos; i++) {
          sleepUntil(next);
          Instant end =
              Instant.now()
                  .minusSeconds(60L * random.nextInt(24 * 60))
                  .truncatedTo(ChronoUnit.MINUTES);
          String call = ApiBenchmark.CALLS.get(i % ApiBenchmark.CALLS.size());
          URI uri = api.resolve(call + "&end=" + end);
          calls.submit(() -> send(uri, false));
          next += interval;
        }
      }
    }

    private void send(URI uri, boolean visitor) {
      long t = System.nanoTime();
      int status;
      try {
        status =
            client
                .send(
                    HttpRequest.newBuilder(uri)
                        .header("X-API-Key", API_KEY)
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode();
      } catch (IOException e) {
        status = -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      done.add(new double[] {(System.nanoTime() - t) / 1e6, status, visitor ? 1 : 0});
      statuses.merge(status, 1, Integer::sum);
    }

    List<double[]> drain() {
      List<double[]> out = new ArrayList<>();
      for (double[] r; (r = done.poll()) != null; ) {
        out.add(r);
      }
      return out;
    }
  }

  /** Writes a row of figures every {@code seconds} until {@code endNanos}. */
  private static void sample(
      HttpClient client,
      Process demo,
      Process serve,
      URI demoMetrics,
      URI serveMetrics,
      Path work,
      Traffic traffic,
      int seconds,
      long endNanos,
      Path csv)
      throws Exception {
    Files.writeString(csv, String.join(",", SoakPlots.COLUMNS) + "\n");
    long start = System.nanoTime();
    Metrics before = Metrics.parse(get(client, demoMetrics));
    long next = start + TimeUnit.SECONDS.toNanos(seconds);
    System.out.println(String.join(" ", SoakPlots.COLUMNS));
    while (next <= endNanos) {
      sleepUntil(next);
      checkAlive(demo, "naap demo");
      checkAlive(serve, "naap serve");
      Metrics now = Metrics.parse(get(client, demoMetrics));
      Metrics.parse(get(client, serveMetrics)); // the management port answers throughout
      List<double[]> requests = traffic.drain();
      double refreshCount = now.sum("naap_rollup_refresh_duration_seconds_count")
          - before.sum("naap_rollup_refresh_duration_seconds_count");
      double refreshSeconds = now.sum("naap_rollup_refresh_duration_seconds_sum")
          - before.sum("naap_rollup_refresh_duration_seconds_sum");
      double[] row = {
        (System.nanoTime() - start) / 60e9,
        (now.sum("naap_ingest_events_total") - before.sum("naap_ingest_events_total")) / seconds,
        now.sum("naap_ingest_consumer_lag"),
        now.max("naap_rollup_lag_seconds"),
        refreshCount == 0 ? Double.NaN : refreshSeconds / refreshCount,
        now.sum("naap_ingest_write_failures_total")
            - before.sum("naap_ingest_write_failures_total"),
        requests.size() / (double) seconds,
        percentile(requests, 0, 0.50),
        percentile(requests, 0, 0.95),
        percentile(requests, 0, 0.99),
        percentile(requests, 1, 0.95),
        requests.stream().filter(r -> r[1] != 200).count(),
        rssMb(demo.toHandle()),
        rssMb(serve.toHandle()),
        directoryMb(work),
        loadAverage()
      };
      before = now;
      StringBuilder line = new StringBuilder();
      for (double v : row) {
        line.append(line.isEmpty() ? "" : ",")
            .append(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v));
      }
      Files.writeString(csv, line + "\n", StandardOpenOption.APPEND);
      System.out.println(line.toString().replace(',', ' '));
      next += TimeUnit.SECONDS.toNanos(seconds);
    }
  }

  /**
   * Nearest-rank percentile of the 200s' latencies (of the uncached ones alone when asked); NaN if
   * none.
   */
  private static double percentile(List<double[]> requests, int onlyUncached, double p) {
    List<Double> ms = new ArrayList<>();
    for (double[] r : requests) {
      if (r[1] == 200 && (onlyUncached == 0 || r[2] == 0)) {
        ms.add(r[0]);
      }
    }
    if (ms.isEmpty()) {
      return Double.NaN;
    }
    ms.sort(Double::compare);
    return ms.get((int) Math.min(ms.size() - 1, Math.ceil(p * ms.size()) - 1));
  }

  /** Resident memory of a process and everything it started (the demo's Kafka broker), in MB. */
  private static double rssMb(ProcessHandle process) {
    return Stream.concat(Stream.of(process), process.descendants())
            .mapToLong(SoakBenchmark::rssKb)
            .sum()
        / 1024.0;
  }

  private static long rssKb(ProcessHandle p) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended between listing and reading
    }
    return 0;
  }

  private static double directoryMb(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          return 0; // merged away while walking
        }
      }).sum() / 1e6;
    } catch (IOException | UncheckedIOException e) {
      return Double.NaN;
    }
  }

  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private record Stop(double seconds, int exit) {}

  /** SIGTERM, as a supervisor sends it; the time until the process and its children are gone. */
  private static Stop stop(Process p) throws InterruptedException {
    long t = System.nanoTime();
    List<ProcessHandle> children = p.descendants().toList();
    p.destroy();
    boolean ended = p.waitFor(30, TimeUnit.SECONDS);
    for (ProcessHandle c : children) {
      c.onExit().completeOnTimeout(c, 10, TimeUnit.SECONDS).join();
    }
    return new Stop((System.nanoTime() - t) / 1e9, ended ? p.exitValue() : -1);
  }

  private static void awaitOk(HttpClient client, URI uri, Process process) throws Exception {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      checkAlive(process, uri.toString());
      try {
        if (client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(uri + " did not answer within " + START_TIMEOUT);
      }
      Thread.sleep(1_000);
    }
  }

  private static void checkAlive(Process p, String what) {
    if (!p.isAlive()) {
      throw new IllegalStateException(what + " ended with exit " + p.exitValue() + "; see its log");
    }
  }

  private static String get(HttpClient client, URI uri) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** Throws when interrupted: a stopped soak ends its loops at once. */
  private static void sleepUntil(long nanos) throws InterruptedException {
    long wait = nanos - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Prometheus text exposition, summed or maximised per metric name over its labels. */
  private record Metrics(Map<String, List<Double>> values) {
    static Metrics parse(String text) {
      Map<String, List<Double>> values = new HashMap<>();
      for (String line : text.split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        boolean labelled = line.indexOf('{') >= 0;
        int nameEnd = labelled ? line.indexOf('{') : line.indexOf(' ');
        String[] fields =
            line.substring(labelled ? line.lastIndexOf('}') + 1 : nameEnd).trim().split(" ");
        try {
          values
              .computeIfAbsent(line.substring(0, nameEnd), k -> new ArrayList<>())
              .add(Double.parseDouble(fields[0]));
        } catch (RuntimeException e) {
          // a line this reader does not follow: not a figure the soak uses
        }
      }
      return new Metrics(values);
    }

    double sum(String name) {
      return values.getOrDefault(name, List.of()).stream().mapToDouble(Double::doubleValue).sum();
    }

    double max(String name) {
      return values.getOrDefault(name, List.of()).stream()
          .mapToDouble(Double::doubleValue)
          .max()
          .orElse(Double.NaN);
    }
  }
}
