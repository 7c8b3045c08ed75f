package dev.naap.bench;

import dev.naap.api.ApiConfig;
import dev.naap.api.ApiServer;
import dev.naap.api.DatasetCatalog;
import dev.naap.api.Readiness;
import dev.naap.app.Main;
import dev.naap.app.Range;
import dev.naap.metrics.query.ClickHouseMetricsQueries;
import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import dev.naap.store.Stores;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Whether the API keeps answering while the store is saturated: {@code /health} latency while heavy
 * uncached queries occupy every engine connection, and how fast an overloaded server answers 503.
 *
 * <p>Every request is distinct (its {@code end} a minute earlier than the last), so each reaches
 * the store. Workload: the network of {@link QueryBenchmark} ({@code --days}, {@code --gpus},
 * {@code --orchestrators}: {@link NetworkOptions}), an API server with its response cache off
 * (every request reaches the store) and no quota, over the embedded store with 4 connections.
 *
 * <ul>
 *   <li>{@code heavy}: 16 clients send the dashboard's calls ({@link ApiBenchmark#CALLS}) back to
 *       back for {@code --seconds}, with room for all 16 in flight (4 run on the engine, 12 wait
 *       in its queue), while a probe asks {@code /health} every 20 ms;
 *   <li>{@code overload}: 32 clients against the default limit of 8 queries in flight, so that most
 *       requests find it full; the latency of those 503s, and {@code /health} again;
 *   <li>{@code spread}: the same, but each client with an address of its own (behind a trusted
 *       proxy), so that requests wait for a slot as a newcomer's do (API.md, "slots");
 *   <li>{@code hog}: 28 clients of one address and {@value #VISITORS} visitors of their own: what
 *       the visitors get while one address asks for every slot, printed on a line of their own.
 * </ul>
 *
 * Goals (issue 14): {@code /health} p99 under 50 ms in {@code heavy}; 503s within 100 ms.
 *
 * <p>Run: {@code ./naap bench overload [--days D] [--gpus G] [--orchestrators O] [--seconds S]}.
 */
@Command(name = "overload", description = "/health latency and 503s while heavy uncached queries "
    + "saturate the store")
public final class OverloadBenchmark implements Main.Runner {

  @Mixin NetworkOptions network;

  @Option(names = "--seconds", paramLabel = "S", description = "length of each phase")
  @Range(min = 1, max = Integer.MAX_VALUE)
  int seconds = 20;

  /** Clients of their own address in the {@code hog} phase. */
  static final int VISITORS = 4;

  OverloadBenchmark() {}

  /**
   * A phase: its clients, the server's query limit, each client's address (null: none), and how
   * many of the last clients are visitors, counted apart.
   */
  private record Phase(
      String name, int clients, int slots, IntFunction<String> address, int visitors) {
    boolean visitor(int client) {
      return client >= clients - visitors;
    }
  }

  @Override
  public int run(PrintStream out, PrintStream err) throws Exception {
    int days = network.days;
    int gpus = network.gpus;
    int orchestrators = network.orchestrators;
    WorkDir work = WorkDir.temporary("naap-bench-overload-");
    Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
    System.out.printf(
        "overload benchmark: %d days, %d GPUs, %d orchestrators, %d cores, load average"
            + " %s at start, work dir %s%n",
        days, gpus, orchestrators, Runtime.getRuntime().availableProcessors(), loadAverage(), work);

    try (work; Store store = Stores.open(new StoreConfig.Embedded(work.resolve("store"), 4))) {
      GeneratedNetwork.generate(store, end, days, gpus, orchestrators);
      var queries = new ClickHouseMetricsQueries(store);
      System.out.printf("%-9s %7s %6s %6s %9s %9s %9s %9s %9s %9s%n", "phase", "clients", "200s",
          "503s", "q p50 ms", "503 p50", "503 p99", "health50", "health99", "healthmax");
      ApiConfig defaults = ApiConfig.defaults();
      int slots = defaults.maxConcurrentQueries();
      List<Phase> phases = List.of(
          new Phase("heavy", 16, 16, c -> null, 0),
          new Phase("overload", 32, slots, c -> null, 0),
          new Phase("spread", 32, slots, c -> "10.1.0." + c, 0),
          new Phase("hog", 32, slots, c -> c < 32 - VISITORS ? "10.0.0.1" : "10.1.0." + c,
              VISITORS));
      for (Phase phase : phases) {
        ApiConfig config = defaults.withAddress("127.0.0.1", 0)
            .withQuotas(Integer.MAX_VALUE, Map.of(), 1).withCacheBytes(0)
            .withQueryLimits(defaults.queryTimeout(), phase.slots())
            .withTrustedProxies(List.of("127.0.0.1"));
        try (ApiServer server =
            new ApiServer(
                    config,
                    queries,
                    DatasetCatalog.empty(),
                    () -> new Readiness.Status(true, Map.of()),
                    new PrometheusRegistry(),
                    InstantSource.system())
                .start()) {
          Result r = run(server.url(), phase, Duration.ofSeconds(seconds), end);
          System.out.printf(
              "%-9s %7d %6d %6d %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f%n",
              phase.name(),
              phase.clients(),
              r.ok.size(),
              r.busy.size(),
              pct(r.ok, 0.5),
              pct(r.busy, 0.5),
              pct(r.busy, 0.99),
              pct(r.health, 0.5),
              pct(r.health, 0.99),
              r.health.isEmpty() ? Double.NaN : r.health.getLast());
          if (!r.visitorOk.isEmpty() || !r.visitorBusy.isEmpty()) {
            System.out.printf("%-9s %7d %6d %6d %9.1f %9.1f %9.1f%n", "  visitors", VISITORS,
                r.visitorOk.size(), r.visitorBusy.size(), pct(r.visitorOk, 0.5),
                pct(r.visitorBusy, 0.5), pct(r.visitorBusy, 0.99));
          }
          if (!r.other.isEmpty()) {
            System.out.printf("  other answers, by status (-1: none): %s%n", r.other);
          }
        }
      }
    }
    System.out.printf("load average at the end: %s%n", loadAverage());
    return 0;
  }

  /** Latencies of the 200s and 503s (all clients but the visitors, then the visitors'). */
  private record Result(List<Double> ok, List<Double> busy, List<Double> visitorOk,
      List<Double> visitorBusy, List<Double> health, Map<Integer, Integer> other) {}

  /**
   * Each request ends a minute earlier than the one before ({@code &end=}), so that no two share an
   * answer: the server computes each one (it coalesces identical requests in flight).
   */
  private static Result run(URI base, Phase phase, Duration length, Instant end)
      throws InterruptedException {
    java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    List<Double> ok = Collections.synchronizedList(new ArrayList<>());
    List<Double> busy = Collections.synchronizedList(new ArrayList<>());
    List<Double> visitorOk = Collections.synchronizedList(new ArrayList<>());
    List<Double> visitorBusy = Collections.synchronizedList(new ArrayList<>());
    List<Double> health = Collections.synchronizedList(new ArrayList<>());
    Map<Integer, Integer> other = new ConcurrentHashMap<>();
    AtomicBoolean go = new AtomicBoolean(true);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < phase.clients(); c++) {
        int first = c;
        String address = phase.address().apply(c);
        boolean visitor = phase.visitor(c);
        threads.submit(() -> {
          for (int i = first; go.get(); i++) {
            long t = System.nanoTime();
            String call = ApiBenchmark.CALLS.get(i % ApiBenchmark.CALLS.size()) + "&end="
                + end.minus(Duration.ofMinutes(sent.incrementAndGet()));
            int status = get(client, base.resolve(call), address);
            double ms = (System.nanoTime() - t) / 1e6;
            switch (status) {
              case 200 -> (visitor ? visitorOk : ok).add(ms);
              case 503 -> {
                (visitor ? visitorBusy : busy).add(ms);
                Thread.sleep(20); // no busy spin; a real client would wait for Retry-After
              }
              default -> other.merge(status, 1, Integer::sum);
            }
          }
          return null;
        });
      }
      threads.submit(() -> {
        Thread.sleep(2_000); // let the clients fill the server first
        while (go.get()) {
          long t = System.nanoTime();
          int status = get(client, base.resolve("/health"), null);
          health.add(status == 200 ? (System.nanoTime() - t) / 1e6 : Double.MAX_VALUE);
          Thread.sleep(20);
        }
        return null;
      });
      try {
        Thread.sleep(length);
      } finally {
        go.set(false); // also when the benchmark is stopped: the clients end, and the pool closes
      }
    }
    return new Result(sorted(ok), sorted(busy), sorted(visitorOk), sorted(visitorBusy),
        sorted(health), other);
  }

  /** The status of GET {@code uri}, sent for {@code address} through the proxy when not null. */
  private static int get(HttpClient client, URI uri, String address) throws InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
    if (address != null) {
      request.header("X-Forwarded-For", address);
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  private static double pct(List<Double> sorted, double p) {
    return sorted.isEmpty() ? Double.NaN : QueryBenchmark.percentile(sorted, p);
  }

  private static List<Double> sorted(List<Double> values) {
    List<Double> s = new ArrayList<>(values);
    s.sort(Double::compare);
    return s;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
