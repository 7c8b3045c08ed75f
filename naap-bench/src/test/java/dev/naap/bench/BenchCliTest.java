package dev.naap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.metrics.RefreshLoop;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code naap bench}'s command line: each benchmark's declared defaults, overrides, and the
 * refusals of bad usage (exit code 2). Nothing here runs a benchmark: a parse only builds the
 * command objects, and a refused command line never reaches one.
 */
class BenchCliTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** The benchmark {@code argv} names, its options parsed, not run. */
  @SuppressWarnings("unchecked")
  private <T> T parse(String... argv) {
    CommandLine cli = Bench.commandLine(print(out), print(err));
    CommandLine.ParseResult parsed = cli.parseArgs(argv);
    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.subcommand().errors()).isEmpty();
    return (T) parsed.subcommand().commandSpec().userObject();
  }

  private int run(String... argv) {
    return Bench.run(List.of(argv), print(out), print(err));
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void ingest_defaults() {
    IngestBenchmark b = parse("ingest");
    assertThat(List.of(b.events, b.runs, b.warmups, b.partitions, b.batch, b.engineConsumers))
        .containsExactly(1_000_000, 5, 1, 4, 20_000, 2);
    assertThat(b.engineRuns).as("none given: as many as --runs").isNull();
  }

  @Test
  void query_defaults_andOverrides() {
    QueryBenchmark b = parse("query");
    assertThat(List.of(b.network.days, b.network.gpus, b.network.orchestrators, b.runs,
        b.warmups)).containsExactly(30, 1000, 400, 30, 3);

    QueryBenchmark small =
        parse("query", "--days", "1", "--gpus", "20", "--orchestrators", "10", "--runs", "3");
    assertThat(List.of(small.network.days, small.network.gpus, small.network.orchestrators,
        small.runs, small.warmups)).containsExactly(1, 20, 10, 3, 3);
  }

  @Test
  void freshness_defaults() {
    FreshnessBenchmark b = parse("freshness");
    assertThat(List.of(b.sessions, b.trials)).containsExactly(0, 20);
    assertThat(b.intervalMs).isEqualTo(RefreshLoop.DEFAULT_INTERVAL.toMillis()); // as the ingest's
  }

  @Test
  void api_defaults() {
    ApiBenchmark b = parse("api");
    assertThat(List.of(b.network.days, b.network.gpus, b.network.orchestrators, b.rate,
        b.cachedRate, b.seconds)).containsExactly(30, 1000, 400, 2, 200, 20);
    assertThat(b.storeDir).isNull();
    assertThat(b.profileCalls).isNull();

    ApiBenchmark kept = parse("api", "--store", "some/dir", "--profile", "10");
    assertThat(kept.storeDir).isEqualTo(Path.of("some/dir"));
    assertThat(kept.profileCalls).isEqualTo(10);
  }

  @Test
  void storage_defaults() {
    StorageBenchmark b = parse("storage");
    assertThat(List.of(b.gpus, b.hours, b.scaleGpus)).containsExactly(100, 24, 1000);
    assertThat(b.orchestratorCount).as("none given: two fifths of the GPUs").isNull();
    assertThat(b.seed).isEqualTo(1);
  }

  @Test
  void overload_defaults() {
    OverloadBenchmark b = parse("overload");
    assertThat(List.of(b.network.days, b.network.gpus, b.network.orchestrators, b.seconds))
        .containsExactly(30, 1000, 400, 20);
  }

  @Test
  void soak_defaults() {
    SoakBenchmark b = parse("soak");
    assertThat(List.of(b.minutes, b.backfillHours, b.visitors, b.rate, b.sampleSeconds))
        .containsExactly(30, 6, 10, 2, 10);
    assertThat(b.scale).isEqualTo(3.0);
    assertThat(b.outDir).isEqualTo(Path.of("target/soak"));
    assertThat(b.plot).isNull();
  }

  @Test
  void scaleOut_defaults_andAListThatReplacesThem() {
    ScaleOutBenchmark b = parse("scale-out");
    assertThat(List.of(b.events, b.partitions)).containsExactly(200_000, 6);
    assertThat(b.counts).containsExactly(1, 2, 3);
    assertThat(b.launcherFile).isNull();

    assertThat(((ScaleOutBenchmark) parse("scale-out", "--processes", "2,4")).counts)
        .containsExactly(2, 4);
  }

  @Test
  void outOfRange_isRefused_everyProblemAtOnce_withTheUsage() {
    assertThat(run("query", "--runs", "0", "--days", "400")).isEqualTo(2);
    assertThat(err())
        .contains("naap bench query: --runs: expected 1..2147483647, got 0")
        .contains("naap bench query: --days: expected 1..366, got 400")
        .contains("Usage: naap bench query");
    assertThat(out()).isEmpty();
  }

  @Test
  void aProcessCountOutOfRange_isRefusedBeforeAnythingStarts() {
    assertThat(run("scale-out", "--processes", "1,0")).isEqualTo(2);
    assertThat(err())
        .contains("naap bench scale-out: --processes: expected counts 1..64, got [1, 0]");
  }

  @Test
  void badValues_andUnknownOptions_areRefused() {
    assertThat(run("soak", "--scale", "500", "--minutes", "ten", "--seconds", "5")).isEqualTo(2);
    assertThat(err())
        .contains("naap bench soak: Invalid value for option '--minutes': 'ten' is not an int")
        .contains("naap bench soak: Unknown options: '--seconds', '5'")
        .contains("naap bench soak: --scale: expected 0.1..100, got 500.0");
  }

  @Test
  void anUnknownBenchmark_namesTheKnownOnes() {
    assertThat(run("latency")).isEqualTo(2);
    assertThat(err()).contains("unknown command 'latency', expected one of ingest, query, "
        + "freshness, api, storage, overload, soak, scale-out");
  }

  @Test
  void noBenchmark_printsTheUsage_andHelpPrintsEveryBenchmarksOptions() {
    assertThat(run()).isEqualTo(2);
    assertThat(out()).contains("Usage: naap bench [-h] BENCHMARK", "scale-out", "freshness");

    out.reset();
    assertThat(run("--help")).isZero();
    assertThat(out()).contains("Usage: naap bench ingest", "--engine-runs=R",
        "Usage: naap bench soak", "--backfill-hours=H", "(default 6; range 0..720)");

    out.reset();
    assertThat(run("query", "--help")).isZero();
    assertThat(out()).startsWith("Usage: naap bench query")
        .contains("--runs=R            timed runs of each query (default 30; at least 1)");
  }
}
