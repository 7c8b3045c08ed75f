package dev.naap.app;

import dev.naap.loadtest.DatasetCatalog;
import dev.naap.loadtest.DatasetInfo;
import dev.naap.loadtest.DatasetManifest;
import dev.naap.loadtest.DatasetProblem;
import dev.naap.loadtest.DatasetValidator;
import dev.naap.loadtest.FfmpegIngest;
import dev.naap.loadtest.GatewayClient;
import dev.naap.loadtest.HookIngest;
import dev.naap.loadtest.LoadtestMetrics;
import dev.naap.loadtest.LoadtestScheduler;
import dev.naap.loadtest.Outcome;
import dev.naap.loadtest.PlanRunner;
import dev.naap.loadtest.RandomPromptGrammar;
import dev.naap.loadtest.RunSummary;
import dev.naap.loadtest.StreamIngest;
import dev.naap.loadtest.TestPlan;
import dev.naap.loadtest.TestPlanLoader;
import dev.naap.loadtest.TestResult;
import dev.naap.loadtest.TimeSource;
import dev.naap.store.Store;
import dev.naap.store.Stores;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code naap loadtest}: scheduled synthetic tests against a gateway, and its datasets (docs/LOADTEST.md). */
final class LoadtestCommand implements Main.Command {

  private static final Set<String> RUN_OPTIONS = Set.of("gateway", "plan", "ingest", "ffmpeg",
      "rtmp", "speed", "connect-timeout", "request-timeout", "metrics-host", "metrics-port");
  private static final Set<String> GENERATE_OPTIONS = Set.of("seed", "count", "out");

  @Override
  public String summary() {
    return "synthetic load tests against a gateway's orchestrators; prompt datasets";
  }

  @Override
  public String usage() {
    return """
        usage: naap loadtest run --gateway URL [--plan FILE] [--once] [OPTIONS]
               naap loadtest validate FILE...
               naap loadtest datasets
               naap loadtest generate --seed N --count N [--out FILE]

        run       tests every orchestrator the plan covers, every interval of the plan (default
                  10 minutes), until SIGINT/SIGTERM, or once with --once; results go to the store
                  (test_load_results), streams are registered in test_load_streams first
        validate  checks a dataset file (.jsonl) or a manifest (.json) and the files it lists;
                  exit 1 with every problem, each naming its line and field (docs/DATASETS.md)
        datasets  lists the shipped prompt datasets with their size and SHA-256
        generate  writes a random-prompts dataset from the seeded grammar

        run options:
          --gateway URL              the gateway's HTTP address, e.g. http://127.0.0.1:8935
          --plan FILE                test plan JSON (default: every default of docs/LOADTEST.md)
          --once                     one run, then exit (1 if no test succeeded)
          --ingest hook|ffmpeg       how streams start: call the /start hook directly (the
                                     simulator) or publish ffmpeg's test source (default hook)
          --ffmpeg PATH              ffmpeg binary (default ffmpeg)
          --rtmp URL                 RTMP ingest base (default rtmp://<gateway host>:1935/)
          --speed X                  the gateway's time runs X times faster (naap simulate
                                     --speed X); durations in the plan are in its time (default 1)
          --connect-timeout D        (default 5s)
          --request-timeout D        deadline of one gateway call (default 20s)
          --metrics-host HOST        Prometheus /metrics address (default 127.0.0.1)
          --metrics-port PORT        (default 9403; 0 picks a free port, -1 turns it off)
        """ + StoreOptions.HELP;
  }

  @Override
  public int run(List<String> argv, PrintStream out, PrintStream err) {
    String sub = argv.isEmpty() ? "" : argv.getFirst();
    List<String> rest = argv.isEmpty() ? List.of() : argv.subList(1, argv.size());
    return switch (sub) {
      case "run" -> runPlan(rest, out, err);
      case "validate" -> validate(rest, out, err);
      case "datasets" -> datasets(rest, out);
      case "generate" -> generate(rest, out);
      default -> throw new Args.UsageException(sub.isEmpty() ? "expected a subcommand"
          : "unknown subcommand '" + sub + "', expected run, validate, datasets or generate");
    };
  }

  private int validate(List<String> argv, PrintStream out, PrintStream err) {
    Args args = Args.parse(argv, Set.of(), Set.of());
    if (args.positional().isEmpty()) {
      args.error("expected one or more FILE");
    }
    args.check();
    int failed = 0;
    for (String name : args.positional()) {
      Path file = Path.of(name);
      try {
        List<DatasetProblem> problems = name.endsWith(".json") ? DatasetManifest.validate(file)
            : new DatasetValidator().lines(file.getFileName().toString(), Files.readAllBytes(file)).problems();
        if (problems.isEmpty()) {
          out.println(name + ": ok");
        } else {
          failed++;
          problems.forEach(p -> err.println(p));
          err.println(name + ": rejected, " + problems.size() + " problem(s)");
        }
      } catch (IOException e) {
        failed++;
        err.println(name + ": cannot read: " + e.getMessage());
      }
    }
    return failed == 0 ? 0 : 1;
  }

  private int datasets(List<String> argv, PrintStream out) {
    Args args = Args.parse(argv, Set.of(), Set.of());
    if (!args.positional().isEmpty()) {
      args.error("unexpected arguments " + args.positional());
    }
    args.check();
    for (DatasetInfo d : DatasetCatalog.builtIn().list()) {
      out.printf("%s\tversion=%d\tentries=%d\tbytes=%d\tlicence=%s\tsha256=%s%n  %s%n", d.id(),
          d.version(), d.entries(), d.bytes(), d.licence(), d.sha256(), d.description());
    }
    return 0;
  }

  private int generate(List<String> argv, PrintStream out) {
    Args args = Args.parse(argv, GENERATE_OPTIONS, Set.of());
    int seed = args.integer("seed", 1, 0, Integer.MAX_VALUE);
    int count = args.integer("count", 500, 1, DatasetValidator.MAX_ENTRIES);
    String file = args.get("out", null);
    args.check();
    byte[] lines = new RandomPromptGrammar().generate(seed, count);
    try {
      if (file == null) {
        out.write(lines);
        out.flush();
      } else {
        Files.write(Path.of(file), lines);
        out.println(file + ": " + count + " entries, " + lines.length + " bytes, sha256 " + DatasetManifest.sha256(lines));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return 0;
  }

  private int runPlan(List<String> argv, PrintStream out, PrintStream err) {
    Set<String> known = new HashSet<>(RUN_OPTIONS);
    known.addAll(StoreOptions.NAMES);
    Args args = Args.parse(argv, known, Set.of("once"));
    var storeConfig = StoreOptions.from(args);
    if (!args.positional().isEmpty()) {
      args.error("unexpected arguments " + args.positional());
    }
    URI gatewayUrl = null;
    String gw = args.get("gateway", null);
    if (gw == null) {
      args.error("--gateway is required");
    } else {
      try {
        gatewayUrl = URI.create(gw);
        if (!"http".equals(gatewayUrl.getScheme()) && !"https".equals(gatewayUrl.getScheme())) {
          args.error("--gateway: expected an http:// or https:// URL, got '" + gw + "'");
        }
      } catch (IllegalArgumentException e) {
        args.error("--gateway: not a URL: '" + gw + "'");
      }
    }
    TestPlan plan = null;
    String planFile = args.get("plan", null);
    try {
      plan = planFile == null ? TestPlanLoader.defaults() : TestPlanLoader.load(Path.of(planFile));
    } catch (IOException e) {
      args.error("--plan: cannot read " + planFile + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      args.error("--plan " + planFile + ": " + e.getMessage());
    }
    String ingestKind = args.get("ingest", "hook");
    if (!ingestKind.equals("hook") && !ingestKind.equals("ffmpeg")) {
      args.error("--ingest: expected hook or ffmpeg, got '" + ingestKind + "'");
    }
    double speed = args.decimal("speed", 1, 0.001, 1_000);
    Duration connectTimeout = args.duration("connect-timeout", Duration.ofSeconds(5));
    Duration requestTimeout = args.duration("request-timeout", Duration.ofSeconds(20));
    int metricsPort = args.integer("metrics-port", 9403, -1, 65535);
    args.check();

    TimeSource time = speed == 1 ? TimeSource.system() : TimeSource.scaled(speed);
    GatewayClient client = new GatewayClient(gatewayUrl, connectTimeout, requestTimeout);
    StreamIngest ingest = ingestKind.equals("hook") ? new HookIngest(client)
        : new FfmpegIngest(args.get("ffmpeg", "ffmpeg"),
            URI.create(args.get("rtmp", "rtmp://" + gatewayUrl.getHost() + ":1935/")));
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    LoadtestMetrics metrics = new LoadtestMetrics(registry);
    boolean once = args.flag("once");
    var current = new java.util.concurrent.atomic.AtomicReference<Runnable>();
    var finished = Main.onShutdown(() -> {
      if (current.get() != null) {
        current.get().run();
      }
    }, Duration.ofSeconds(30));
    try (Store store = Stores.open(storeConfig);
        HTTPServer metricsServer = once || metricsPort < 0 ? null : HTTPServer.builder()
            .hostname(args.get("metrics-host", "127.0.0.1")).port(metricsPort).registry(registry)
            .buildAndStart();
        Probes probes = once ? null : new Probes("loadtest", store, registry, false)) {
      PlanRunner runner = PlanRunner.of(plan, client, ingest, store, metrics, time);
      err.printf("naap loadtest: plan %s, %d target(s), dataset %s, every %s, at most %d at once -> %s%s%n",
          plan.name(), plan.targets().size(), plan.dataset(), plan.interval(), plan.concurrency(),
          store.description(), metricsServer == null ? "" : ", metrics on port " + metricsServer.getPort());
      if (once) {
        Thread main = Thread.currentThread();
        current.set(main::interrupt);
        RunSummary run = runner.runOnce();
        for (TestResult r : run.results()) {
          out.printf("%s %s %s %s%s startup_ms=%s prompt_change_ms=%s output_fps=%s latency_ms=%s%n",
              r.testId(), r.orchestrator().isEmpty() ? "-" : r.orchestrator(), r.pipeline(),
              r.outcome().label(), r.errorClass().label().equals("none") ? "" : " (" + r.errorClass().label()
                  + ": " + r.errorMessage() + ")", r.startupMs(), r.promptChangeMs(),
              r.outputFps() == null ? null : String.format("%.1f", r.outputFps()), r.latencyMs());
        }
        out.printf("run %s: %d tests, %d success, %d failure, %d skipped%n", run.runId(),
            run.results().size(), run.count(Outcome.SUCCESS), run.count(Outcome.FAILURE), run.skipped());
        return run.count(Outcome.SUCCESS) > 0 ? 0 : 1;
      }
      LoadtestScheduler scheduler = new LoadtestScheduler(runner::runOnce, plan.interval(), time, metrics);
      current.set(scheduler::stop);
      scheduler.run();
      err.println("naap loadtest: stopped");
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the metrics server", e);
    } catch (InterruptedException e) {
      err.println("naap loadtest: stopped; running tests were recorded as aborted");
      return 1;
    } finally {
      finished.countDown();
    }
  }
}
