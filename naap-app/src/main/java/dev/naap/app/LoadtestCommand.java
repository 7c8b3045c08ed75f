package dev.naap.app;

import dev.naap.loadtest.DatasetCatalog;
import dev.naap.loadtest.DatasetInfo;
import dev.naap.loadtest.DatasetManifest;
import dev.naap.loadtest.DatasetProblem;
import dev.naap.loadtest.DatasetValidator;
import dev.naap.loadtest.FfmpegIngest;
import dev.naap.loadtest.GatewayClient;
import dev.naap.loadtest.HookIngest;
import dev.naap.loadtest.Outcome;
import dev.naap.loadtest.RandomPromptGrammar;
import dev.naap.loadtest.RunSummary;
import dev.naap.loadtest.StreamIngest;
import dev.naap.loadtest.TestPlan;
import dev.naap.loadtest.TestPlanLoader;
import dev.naap.loadtest.TestResult;
import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code naap loadtest}: scheduled synthetic tests against a gateway, and its datasets
 * (docs/LOADTEST.md).
 */
@Command(name = "loadtest",
    header = "synthetic load tests against a gateway's orchestrators; prompt datasets",
    subcommands = {LoadtestCommand.Run.class, LoadtestCommand.Validate.class,
        LoadtestCommand.Datasets.class, LoadtestCommand.Generate.class})
final class LoadtestCommand {

  @Command(name = "run", header = "test every orchestrator the plan covers, every interval",
      description = {"Tests every orchestrator the plan covers, every interval of the plan, until "
          + "SIGINT/SIGTERM, or once with --once; results go to the store (test_load_results), "
          + "streams are registered in test_load_streams first (docs/LOADTEST.md)."})
  static final class Run implements Main.Runner {

    @Spec CommandSpec spec;

    @Option(names = "--gateway", paramLabel = "URL",
        description = "the gateway's HTTP address, e.g. http://127.0.0.1:8935 (required)")
    String gateway;

    @Option(names = "--gateway-cli", paramLabel = "URL", description = {"the gateway's CLI "
        + "address (-cliAddr), which serves /getNetworkCapabilities (default http://<gateway "
        + "host>:" + GatewayClient.DEFAULT_CLI_PORT + "; the simulator serves it at --gateway)"})
    String gatewayCli;

    @Option(names = "--plan", paramLabel = "FILE",
        description = "test plan JSON (default: every default of docs/LOADTEST.md)")
    Path plan;

    @Option(names = "--once", description = "one run, then exit (1 if no test succeeded)")
    boolean once;

    @Option(names = "--ingest", paramLabel = "hook|ffmpeg", description = {"how streams start: "
        + "call the /start hook directly (the simulator) or publish ffmpeg's test source"})
    String ingest = "hook";

    @Option(names = "--ffmpeg", paramLabel = "PATH", description = "ffmpeg binary")
    String ffmpeg = "ffmpeg";

    @Option(names = "--rtmp", paramLabel = "URL",
        description = "RTMP ingest base (default rtmp://<gateway host>:1935/)")
    String rtmp;

    @Option(names = "--speed", paramLabel = "X", description = {"the gateway's time runs X times "
        + "faster (naap simulate --speed X); durations in the plan are in its time"})
    @Range(min = 0.001, max = 1_000)
    double speed = 1;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", description = "one connection")
    Duration connectTimeout = LoadtestRole.CONNECT_TIMEOUT;

    @Option(names = "--request-timeout", paramLabel = "DURATION",
        description = "deadline of one gateway call")
    Duration requestTimeout = LoadtestRole.REQUEST_TIMEOUT;

    @Option(names = "--metrics-host", paramLabel = "HOST",
        description = "Prometheus /metrics address")
    String metricsHost = "127.0.0.1";

    @Option(names = "--metrics-port", paramLabel = "PORT",
        description = "its port; 0 picks a free one, -1 turns it off")
    @Range(min = -1, max = 65_535)
    int metricsPort = 9403;

    @Mixin StoreOptions storeOptions;

    @Override
    public int run(PrintStream out, PrintStream err) throws InterruptedException {
      Problems problems = new Problems();
      StoreConfig storeConfig = storeOptions.config(problems);
      URI gatewayUrl = null;
      if (gateway == null) {
        problems.add("--gateway is required");
      } else {
        gatewayUrl = httpUrl("--gateway", gateway, problems);
      }
      URI cliUrl = gatewayCli != null ? httpUrl("--gateway-cli", gatewayCli, problems)
          : gatewayUrl != null && gatewayUrl.getHost() != null
              ? GatewayClient.defaultCli(gatewayUrl) : null;
      TestPlan testPlan = null;
      try {
        testPlan = plan == null ? TestPlanLoader.defaults() : TestPlanLoader.load(plan);
      } catch (IOException e) {
        problems.add("--plan: cannot read " + plan + ": " + e.getMessage());
      } catch (IllegalArgumentException e) {
        problems.add("--plan " + plan + ": " + e.getMessage());
      }
      if (!ingest.equals("hook") && !ingest.equals("ffmpeg")) {
        problems.add("--ingest: expected hook or ffmpeg, got '" + ingest + "'");
      }
      problems.check(spec);

      GatewayClient client =
          new GatewayClient(gatewayUrl, cliUrl, connectTimeout, requestTimeout);
      StreamIngest streams = ingest.equals("hook") ? new HookIngest(client)
          : new FfmpegIngest(ffmpeg, URI.create(rtmp != null ? rtmp
              : "rtmp://" + gatewayUrl.getHost() + ":1935/"));
      try (Lifecycle life = Lifecycle.start(spec.qualifiedName(), Duration.ofSeconds(30), err)) {
        Store store = life.open(storeConfig);
        MetricsServer metricsServer = once ? null : life.metrics(metricsHost, metricsPort);
        if (!once) {
          life.add(new Probes("loadtest", store, life.registry(), false));
        }
        LoadtestRole role = new LoadtestRole(testPlan, client, streams, store, speed,
            life.registry());
        err.printf("naap loadtest: plan %s, %d target(s), dataset %s, every %s, at most %d at "
            + "once -> %s%s%n", testPlan.name(), testPlan.targets().size(), testPlan.dataset(),
            testPlan.interval(), testPlan.concurrency(), store.description(),
            metricsServer == null ? "" : ", metrics on port " + metricsServer.getPort());
        if (once) {
          Thread main = Thread.currentThread();
          life.onStop(main::interrupt);
          return printed(role.runOnce(), out);
        }
        life.onStop(role::stop);
        role.run();
        err.println("naap loadtest: stopped");
        return 0;
      } catch (InterruptedException e) {
        err.println("naap loadtest: stopped; running tests were recorded as aborted");
        return 1;
      }
    }

    /** {@code value} as an http(s) URL with a host, or null with the problem added. */
    private static URI httpUrl(String option, String value, Problems problems) {
      try {
        URI url = URI.create(value);
        if (("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
            && url.getHost() != null) {
          return url;
        }
        problems.add(option + ": expected an http:// or https:// URL with a host, got '" + value
            + "'");
      } catch (IllegalArgumentException e) {
        problems.add(option + ": not a URL: '" + value + "'");
      }
      return null;
    }

    private static int printed(RunSummary run, PrintStream out) {
      for (TestResult r : run.results()) {
        out.printf("%s %s %s %s%s startup_ms=%s prompt_change_ms=%s output_fps=%s latency_ms=%s%n",
            r.testId(), r.orchestrator().isEmpty() ? "-" : r.orchestrator(), r.pipeline(),
            r.outcome().label(), r.errorClass().label().equals("none") ? ""
                : " (" + r.errorClass().label() + ": " + r.errorMessage() + ")",
            r.startupMs(), r.promptChangeMs(),
            r.outputFps() == null ? null : String.format("%.1f", r.outputFps()), r.latencyMs());
      }
      out.printf("run %s: %d tests, %d success, %d failure, %d skipped%n", run.runId(),
          run.results().size(), run.count(Outcome.SUCCESS), run.count(Outcome.FAILURE),
          run.skipped());
      return run.count(Outcome.SUCCESS) > 0 ? 0 : 1;
    }
  }

  @Command(name = "validate", header = "check dataset files or manifests",
      description = {"Checks a dataset file (.jsonl) or a manifest (.json) and the files it lists; "
          + "exit 1 with every problem, each naming its line and field (docs/DATASETS.md)."})
  static final class Validate implements Main.Runner {

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "the files to check")
    List<Path> files;

    @Override
    public int run(PrintStream out, PrintStream err) {
      int failed = 0;
      for (Path file : files) {
        String name = file.toString();
        try {
          List<DatasetProblem> problems = name.endsWith(".json") ? DatasetManifest.validate(file)
              : new DatasetValidator().lines(file.getFileName().toString(),
                  Files.readAllBytes(file)).problems();
          if (problems.isEmpty()) {
            out.println(name + ": ok");
          } else {
            failed++;
            problems.forEach(err::println);
            err.println(name + ": rejected, " + problems.size() + " problem(s)");
          }
        } catch (IOException e) {
          failed++;
          err.println(name + ": cannot read: " + e.getMessage());
        }
      }
      return failed == 0 ? 0 : 1;
    }
  }

  @Command(name = "datasets",
      header = "list the shipped prompt datasets with their size and SHA-256")
  static final class Datasets implements Main.Runner {
    @Override
    public int run(PrintStream out, PrintStream err) {
      for (DatasetInfo d : DatasetCatalog.builtIn().list()) {
        out.printf("%s\tversion=%d\tentries=%d\tbytes=%d\tlicence=%s\tsha256=%s%n  %s%n", d.id(),
            d.version(), d.entries(), d.bytes(), d.licence(), d.sha256(), d.description());
      }
      return 0;
    }
  }

  @Command(name = "generate", header = "write a random-prompts dataset from the seeded grammar")
  static final class Generate implements Main.Runner {

    @Option(names = "--seed", paramLabel = "N", description = "the grammar's seed")
    @Range(min = 0, max = Integer.MAX_VALUE)
    int seed = 1;

    @Option(names = "--count", paramLabel = "N", description = "entries")
    @Range(min = 1, max = DatasetValidator.MAX_ENTRIES)
    int count = 500;

    @Option(names = "--out", paramLabel = "FILE", description = "the file (default: stdout)")
    Path file;

    @Override
    public int run(PrintStream out, PrintStream err) {
      byte[] lines = new RandomPromptGrammar().generate(seed, count);
      try {
        if (file == null) {
          out.write(lines);
          out.flush();
        } else {
          Files.write(file, lines);
          out.println(file + ": " + count + " entries, " + lines.length + " bytes, sha256 "
              + DatasetManifest.sha256(lines));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
      return 0;
    }
  }
}
