package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.kafka.KafkaBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each long-running command stops as a terminal or a supervisor stops it: Ctrl-C in a terminal
 * (SIGINT to the whole process group), SIGTERM to the group (systemd, container runtimes) and
 * SIGTERM to the main process. Every form ends the command within 10 s with exit code 0, leaves no
 * process behind (the demo's Kafka broker child included), and the engine logs no Fatal or Error
 * line. The demo runs under concurrent API load first, and its API keeps answering /health.
 *
 * <p>The command runs in a session of its own ({@code setsid}, which execs the JVM in place), so
 * that its process id is its process group id, as for a job a shell starts.
 */
class StopSignalsTest {

  private static final Duration STOP_WITHIN = Duration.ofSeconds(10);

  @TempDir Path dir;

  /** Logs are kept after the run, for whoever reads a failure. */
  private final Path logs =
      Path.of("target", "stop-signals", Long.toString(System.currentTimeMillis()));

  @org.junit.jupiter.api.BeforeEach
  void logDirectory() throws IOException {
    Files.createDirectories(logs);
  }

  /**
   * SIGTERM to the group and to the main process alone (its Kafka broker child then gets no signal
   * and is stopped by the demo). SIGINT to the group is what {@link #demo_inATerminal_stopsOnCtrlC}
   * sends, through a real terminal.
   */
  @Test
  void demo_underApiLoad_stopsOnEachSignalForm() throws Exception {
    Path data = dir.resolve("demo");
    String[] forms = {"TERM-group", "TERM-main"};
    for (int i = 0; i < forms.length; i++) {
      int apiPort = Ports.free();
      Path log = logs.resolve("demo-" + forms[i] + ".log");
      Process demo = start(log, "demo", "--dir", data.toString(), "--backfill-hours", "0",
          "--http-port", Integer.toString(Ports.free()), "--port", Integer.toString(apiPort),
          "--metrics-port", "0");
      try {
        await(demo, log, Duration.ofSeconds(180), () -> status(apiPort, "/health") == 200
            && body(apiPort, "/v1/network/overview").contains("\"sessions\""));
        if (i == 0) {
          underLoad(apiPort, Duration.ofSeconds(15));
        }
        stop(demo, forms[i], log, data);
      } finally {
        kill(demo);
      }
    }
  }

  /**
   * Ctrl-C typed in a terminal. The demo runs in a pseudo-terminal, where the engine also writes
   * its log (it does only on a terminal), and the test types ^C into it; the terminal signals the
   * foreground process group. The demo, which ingested, refreshed and answered queries meanwhile,
   * stops in time with exit 0, leaves nothing behind, and the engine logged no Fatal or Error line.
   */
  @Test
  void demo_inATerminal_stopsOnCtrlC() throws Exception {
    Path data = dir.resolve("demo-terminal");
    int apiPort = Ports.free();
    Path log = logs.resolve("demo-terminal.log");
    Process demo = ChildJvm.startInTerminal(log, "demo", "--dir", data.toString(),
        "--backfill-hours", "1", "--port", Integer.toString(apiPort), "--metrics-port", "0");
    try {
      await(demo, log, Duration.ofSeconds(180), () -> status(apiPort, "/health") == 200
          && body(apiPort, "/v1/network/overview").contains("\"sessions\""));
      underLoad(apiPort, Duration.ofSeconds(10));
      long t0 = System.nanoTime();
      demo.getOutputStream().write(3); // ^C
      demo.getOutputStream().flush();
      stopped(demo, "Ctrl-C in a terminal", log, data, t0);
    } finally {
      kill(demo);
    }
  }

  @Test
  void serve_stopsOnEachSignalForm() throws Exception {
    for (String form : List.of("INT-group", "TERM-group", "TERM-main")) {
      int port = Ports.free();
      Path log = logs.resolve("serve-" + form + ".log");
      Path data = dir.resolve("serve-store");
      Process serve = start(log, "serve", "--data-dir", data.toString(), "--port",
          Integer.toString(port), "--management-port", "0"); // 9400 may be another's
      try {
        await(serve, log, Duration.ofSeconds(120), () -> status(port, "/health") == 200);
        stop(serve, form, log, data);
      } finally {
        kill(serve);
      }
    }
  }

  /**
   * A stop while the command starts, on a new store: right after the JVM started (while it parses
   * its options, before the command installs its own stop: the JVM's handling would exit 130 or
   * 143), and between two migrations (the command must not apply the 40 others first). Each ends
   * with exit 0 within 10 s; the next start applies the migrations left.
   */
  @Test
  void serve_stoppedWhileStarting_exitsZeroAndTheNextStartMigratesTheRest() throws Exception {
    long migrations;
    try (var files = Files.list(
        Path.of("..", "naap-store", "src", "main", "resources", "dev", "naap", "store",
            "migrations"))) {
      migrations = files.filter(f -> f.getFileName().toString().endsWith(".sql")).count();
    }
    String[] forms = {"INT-group", "TERM-group"};
    for (int i = 0; i < forms.length; i++) {
      Path data = dir.resolve("early-" + i);
      Path log = logs.resolve("serve-early-" + forms[i] + ".log");
      Process serve = start(log, "serve", "--data-dir", data.toString(), "--port",
          Integer.toString(Ports.free()), "--management-port", "0");
      try {
        awaitJvmStarted(serve);
        Thread.sleep(200 + 200 * i); // in main: the options, the command's classes
        stop(serve, forms[i], log, data);
      } finally {
        kill(serve);
      }
    }
    Path data = dir.resolve("mid-migration");
    Path log = logs.resolve("serve-mid-migration.log");
    Process serve = start(log, "serve", "--data-dir", data.toString(), "--port",
        Integer.toString(Ports.free()), "--management-port", "0");
    try {
      await(serve, log, Duration.ofSeconds(120),
          () -> read(log).contains("applied migration V005"));
      stop(serve, "INT-group", log, data);
    } finally {
      kill(serve);
    }
    assertThat(read(log)).contains("naap serve: stopped before migration V");
    var ledger = ChildJvm.run(dir, "sql", "--data-dir", data.toString(),
        "SELECT count(), uniqExact(version) FROM schema_migrations");
    assertThat(ledger.exitCode()).as("the store reopens (see %s)", dir.resolve("run.err"))
        .isZero();
    assertThat(ledger.stdout().strip()).isEqualTo(migrations + "\t" + migrations);
  }

  /**
   * Ctrl-C while the demo starts its pieces (its ingest has just subscribed): it starts nothing
   * more (no simulator, scraper, API), closes what it started and exits 0 within 10 s. It used to
   * start every piece first, then stop them: 16 s on a busy machine.
   */
  @Test
  void demo_stoppedWhileStarting_startsNothingMore() throws Exception {
    Path data = dir.resolve("demo-starting");
    Path log = logs.resolve("demo-starting.log");
    Process demo = start(log, "demo", "--dir", data.toString(), "--backfill-hours", "1",
        "--port", Integer.toString(Ports.free()), "--metrics-port", "0");
    try {
      await(demo, log, Duration.ofSeconds(180),
          () -> read(log).contains("ingesting KafkaIngestConfig"));
      stop(demo, "INT-group", log, data);
    } finally {
      kill(demo);
    }
    assertThat(read(log)).contains("naap demo: stopped while starting")
        .doesNotContain("NaaP demo running");
  }

  /**
   * Ctrl-C during a scrape run whose gateway takes connections and never answers: the run's
   * attempts and retries would last about a minute, and the stop ends it at once.
   */
  @Test
  void scrape_duringARunOnAHungGateway_stopsOnCtrlC() throws Exception {
    try (var gateway = new java.net.ServerSocket(0, 50,
        java.net.InetAddress.getLoopbackAddress())) {
      List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
        try {
          while (true) {
            held.add(gateway.accept()); // read nothing, answer nothing
          }
        } catch (IOException e) {
          // closed at the end of the test
        }
      });
      Path data = dir.resolve("scrape-hung");
      Path log = logs.resolve("scrape-hung.log");
      Process scrape = start(log, "scrape", "--gateway", "http://127.0.0.1:" + gateway
          .getLocalPort(), "--interval", "5m", "--jitter", "0s", "--data-dir", data.toString(),
          "--metrics-port", "-1");
      try {
        await(scrape, log, Duration.ofSeconds(120), () -> !held.isEmpty());
        Thread.sleep(2_000); // inside the first attempt, well before its timeout
        stop(scrape, "INT-group", log, data);
      } finally {
        kill(scrape);
        held.forEach(socket -> {
          try {
            socket.close();
          } catch (IOException e) {
            // the test's own socket
          }
        });
      }
      acceptor.interrupt();
    }
  }

  /**
   * SIGTERM to the group while the ClickHouse HTTP endpoint runs a long read: the read is
   * cancelled and the stop ends in time (it used to wait out the server's 10 s grace first).
   */
  @Test
  void clickhouseHttp_duringALongRead_stopsOnSigterm() throws Exception {
    int port = Ports.free();
    Path data = dir.resolve("clickhouse-http");
    Path log = logs.resolve("clickhouse-http.log");
    Process server = start(log, "clickhouse-http", "--data-dir", data.toString(), "--port",
        Integer.toString(port), "--password", "pw");
    try {
      await(server, log, Duration.ofSeconds(120), () -> read(log).contains("serving"));
      var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?query="
              + "SELECT+count()+FROM+numbers(100000000000)+WHERE+sipHash64(number)%3D1"))
          .header("Authorization", "Basic " + java.util.Base64.getEncoder()
              .encodeToString("default:pw".getBytes(StandardCharsets.UTF_8)))
          .build();
      var answer = HttpClient.newHttpClient().sendAsync(request,
          HttpResponse.BodyHandlers.ofString());
      Thread.sleep(3_000);
      assertThat(answer).as("the read still runs").isNotDone();
      stop(server, "TERM-group", log, data);
    } finally {
      kill(server);
    }
  }

  /** Waits until {@code p} is a JVM running Java code: its signal dispatcher thread exists. */
  private static void awaitJvmStarted(Process p) throws Exception {
    Path tasks = Path.of("/proc", Long.toString(p.pid()), "task");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try (var threads = Files.list(tasks)) {
        if (threads.anyMatch(t -> read(t.resolve("comm")).startsWith("Signal Dispatch"))) {
          return;
        }
      }
      assertThat(System.nanoTime()).as("the JVM started within 30 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void ingestAndScrape_stopOnCtrlC() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Config.at(dir.resolve("kafka")))) {
      broker.createTopic("events", 2);
      Path data = dir.resolve("ingest-store");
      Path log = logs.resolve("ingest.log");
      Process ingest = start(log, "ingest", "--bootstrap-servers", broker.bootstrapServers(),
          "--topic", "events", "--group", "stop-test", "--data-dir", data.toString(),
          "--metrics-port", "-1");
      try {
        await(ingest, log, Duration.ofSeconds(120), () -> read(log).contains("naap ingest:"));
        Thread.sleep(2_000); // inside the group join or polling
        stop(ingest, "INT-group", log, data);
      } finally {
        kill(ingest);
      }
    }
    Path data = dir.resolve("scrape-store");
    Path log = logs.resolve("scrape.log");
    // A gateway that refuses connections: the scraper fails its run and waits for the next one.
    Process scrape =
        start(
            log,
            "scrape",
            "--gateway",
            "http://127.0.0.1:" + Ports.free(),
            "--interval",
            "5m", // the default: a shorter one must exceed a run's worst case (SCRAPER.md)
            "--jitter",
            "0s",
            "--data-dir",
            data.toString(),
            "--metrics-port",
            "-1");
    try {
      Thread.sleep(8_000);
      assertThat(scrape.isAlive()).as("scrape runs (see %s)", log).isTrue();
      stop(scrape, "TERM-group", log, data);
    } finally {
      kill(scrape);
    }
  }

  /**
   * Sends the signal form, then checks the stop: in time, exit 0, nothing left, no engine errors.
   */
  private static void stop(Process p, String form, Path log, Path data) throws Exception {
    long pid = p.pid();
    String target = form.endsWith("group") ? "-" + pid : Long.toString(pid);
    String signal = form.startsWith("INT") ? "-INT" : "-TERM";
    long t0 = System.nanoTime();
    Process kill = new ProcessBuilder("kill", signal, "--", target).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill %s", form)
        .isTrue();
    stopped(p, form, log, data, t0);
  }

  /** Checks a stop asked for at {@code t0}: in time, exit 0, nothing left, no engine errors. */
  private static void stopped(Process p, String form, Path log, Path data, long t0)
      throws Exception {
    boolean ended = p.waitFor(STOP_WITHIN.toMillis() + 2_000, TimeUnit.MILLISECONDS);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println(
        "StopSignalsTest: " + form + " stopped " + log.getFileName() + " in " + ms + " ms");
    assertThat(ended).as("stops after %s (see %s); its threads then:%n%s%nits log ends:%n%s",
        form, log, ended ? "" : threadDump(p), ended ? "" : tail(log, 40)).isTrue();
    assertThat(ms).as("ms to stop after %s (see %s); its log ends:%n%s", form, log,
        ms < STOP_WITHIN.toMillis() ? "" : tail(log, 20)).isLessThan(STOP_WITHIN.toMillis());
    assertThat(p.exitValue()).as("exit code after %s (see %s)", form, log).isZero();
    Thread.sleep(500);
    assertThat(ProcessHandle.allProcesses()
        .filter(h -> h.info().commandLine().orElse("").contains(data.toString())))
        .as("processes left behind after %s", form).isEmpty();
    List<String> engineErrors = read(log).replaceAll("\u001B\\[[0-9;]*m", "").lines()
        .filter(l -> l.contains("<Fatal>") || l.contains("<Error>")).toList();
    assertThat(engineErrors).as("engine Fatal/Error lines (see %s)", log).isEmpty();
  }

  /**
   * Concurrent uncached queries (each its own range) and /health checks for {@code length}: the
   * queries may be answered 200 or 503 (busy, with Retry-After), never 500; /health always
   * answers, quickly.
   */
  private static void underLoad(int port, Duration length) throws Exception {
    AtomicBoolean go = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger busy = new AtomicInteger();
    ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> healthMs = new ConcurrentLinkedQueue<>();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // The dashboard's cookie: a quota of thousands per hour instead of an anonymous client's 100.
    String cookie = send(client, port, "/", java.util.Map.of()).headers().firstValue("Set-Cookie")
        .orElseThrow().split(";")[0];
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 12; t++) {
        int worker = t;
        threads.submit(
            () -> {
              for (int n = 0; go.get(); n++) {
                Instant end = Instant.now().minusSeconds(60L * (worker * 1000 + n));
                String path =
                    "/v1/network/overview?start=" + end.minus(Duration.ofHours(6)) + "&end=" + end;
                HttpResponse<String> r =
                    send(client, port, path, java.util.Map.of("Cookie", cookie));
                int s = r == null ? -1 : r.statusCode();
                if (s == 200) {
                  ok.incrementAndGet();
                } else if (s == 503 && r.headers().firstValue("Retry-After").isPresent()) {
                  busy.incrementAndGet();
                } else if (s != 429) {
                  unexpected.add(s + " " + (r == null ? "" : r.body()));
                }
              }
              return null;
            });
      }
      threads.submit(
          () -> {
            while (go.get()) {
              long t0 = System.nanoTime();
              HttpResponse<String> r = send(client, port, "/health", java.util.Map.of());
              healthMs.add(
                  r != null && r.statusCode() == 200
                      ? (System.nanoTime() - t0) / 1_000_000
                      : 99_999);
              Thread.sleep(50);
            }
            return null;
          });
      Thread.sleep(length);
      go.set(false);
    }
    List<Long> sorted = new ArrayList<>(healthMs);
    sorted.sort(null);
    long p99 = sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1));
    System.out.println("StopSignalsTest: under load: " + ok + " answered, " + busy + " busy (503),"
        + " /health p99 " + p99 + " ms over " + sorted.size() + " checks");
    assertThat(unexpected).as("answers other than 200, 429 or 503 with Retry-After").isEmpty();
    assertThat(ok.get()).as("queries answered").isPositive();
    // Generous for a shared, loaded test machine; the benchmark holds the 50 ms goal.
    assertThat(p99).as("/health p99 ms under load").isLessThan(2_000);
  }

  private static HttpResponse<String> send(HttpClient client, int port, String path,
      java.util.Map<String, String> headers) {
    try {
      var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(30));
      headers.forEach((k, v) -> {
        if (!v.isEmpty()) {
          b.header(k, v);
        }
      });
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static Process start(Path log, String... args) throws IOException {
    Process p = ChildJvm.start(log, true, args);
    assertThat(p.isAlive()).isTrue();
    return p;
  }

  private static void await(Process p, Path log, Duration within, BooleanSupplier ready)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!ready.getAsBoolean()) {
      assertThat(p.isAlive()).as("process runs (see %s:%n%s)", log, read(log)).isTrue();
      assertThat(System.nanoTime())
          .as("ready within %s (see %s)", within, log)
          .isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  private static int status(int port, String path) {
    HttpResponse<String> r = send(HttpClient.newHttpClient(), port, path, java.util.Map.of());
    return r == null ? -1 : r.statusCode();
  }

  private static String body(int port, String path) {
    HttpResponse<String> r = send(HttpClient.newHttpClient(), port, path, java.util.Map.of());
    return r == null || r.statusCode() != 200 ? "" : r.body();
  }

  /**
   * The threads of a process that did not stop, from the JDK's {@code jcmd}: which piece's stop
   * blocks. NaaP's own threads, {@code main} and Kafka's clients, each with its top frames.
   */
  private static String threadDump(Process p) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(p.pid()), "Thread.print")
          .redirectErrorStream(true).start();
      String text = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      dump.waitFor(10, TimeUnit.SECONDS);
      StringBuilder kept = new StringBuilder();
      for (String thread : text.split("\\R\\R")) {
        if (thread.startsWith("\"naap") || thread.startsWith("\"main\"")
            || thread.startsWith("\"kafka")) {
          thread.lines().limit(16).forEach(l -> kept.append(l).append('\n'));
          kept.append('\n');
        }
      }
      return kept.toString();
    } catch (IOException e) {
      return "(no thread dump: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(no thread dump: interrupted)";
    }
  }

  private static String tail(Path log, int lines) {
    List<String> all = read(log).lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
