package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.sim.GatewayServer;
import dev.naap.sim.Pacer;
import dev.naap.sim.SimConfig;
import dev.naap.sim.Simulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code naap loadtest}: its subcommands and usage errors, and one run against a simulated gateway.
 */
class LoadtestCommandTest {

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run naap(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void validate_acceptsAGoodFile_andRejectsABadOneWithEveryProblem() throws Exception {
    Path good = dir.resolve("good.jsonl");
    Files.writeString(good, "{\"id\":\"a\",\"prompt\":\"a red fox\"}\n");
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"id\":\"a\",\"prompt\":\"fox\\u0000\"}\n{\"id\":\"a\"}\n");
    assertThat(naap("loadtest", "validate", good.toString()))
        .isEqualTo(new Run(0, good + ": ok\n", ""));
    Run r = naap("loadtest", "validate", bad.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            """
            bad.jsonl:1: field 'prompt': control or invisible character U+0000 at offset 3
            bad.jsonl:2: field 'id': duplicate of line 1
            bad.jsonl:2: field 'prompt': missing
            %s: rejected, 3 problem(s)
            """
                .formatted(bad));
  }

  @Test
  void datasets_andGenerate_agreeOnTheRandomDatasetsChecksum() throws Exception {
    Run list = naap("loadtest", "datasets");
    assertThat(list.code()).isZero();
    assertThat(list.out())
        .contains("good-prompts-v1\tversion=1\tentries=205")
        .contains("random-prompts-v1");
    String sha =
        list.out()
            .lines()
            .filter(l -> l.startsWith("random-prompts-v1"))
            .findFirst()
            .orElseThrow()
            .replaceAll(".*sha256=", "");
    Path out = dir.resolve("random.jsonl");
    Run gen =
        naap("loadtest", "generate", "--seed", "1", "--count", "500", "--out", out.toString());
    assertThat(gen.out()).isEqualTo(out + ": 500 entries, 143798 bytes, sha256 " + sha + "\n");
  }

  @Test
  void run_reportsEveryUsageErrorAtOnce() throws Exception {
    Path plan = dir.resolve("plan.json");
    Files.writeString(plan, "{\"concurrency\": 0}");
    Run r = naap("loadtest", "run", "--plan", plan.toString(), "--ingest", "carrier-pigeon",
        "--gateway-cli", "ftp://h");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--gateway is required")
        .contains("--gateway-cli: expected an http:// or https:// URL with a host, got 'ftp://h'")
        .contains("concurrency: expected an integer 1..64, got 0")
        .contains("--ingest: expected hook or ffmpeg, got 'carrier-pigeon'");
    assertThat(naap("loadtest", "fly").err()).contains("unknown subcommand 'fly'");
  }

  @Test
  void runOnce_againstASimulatedGateway_printsOneLinePerOrchestrator() throws Exception {
    long now = System.currentTimeMillis();
    Simulator sim =
        new Simulator(
            SimConfig.builder()
                .seed(21)
                .startMs(now)
                .duration(Duration.ofHours(2))
                .orchestrators(4)
                .gpus(8)
                .peakStreamsPerHour(0)
                .darkOrchestrator(false)
                .perfectDelivery()
                .build());
    Thread runner = Thread.ofPlatform().start(() -> sim.run((k, v) -> {}, Pacer.realTime(10, now)));
    try (GatewayServer gateway = GatewayServer.start(sim, 2, 0)) {
      Path plan = dir.resolve("plan.json");
      Files.writeString(
          plan, "{\"test_duration\": \"30s\", \"prompt_changes\": 1, \"prompt_timeout\": \"12s\"}");
      var r =
          ChildJvm.run(
              dir,
              "loadtest",
              "run",
              "--gateway",
              "http://127.0.0.1:" + gateway.port(),
              // The simulator serves the CLI's /getNetworkCapabilities on its one port.
              "--gateway-cli",
              "http://127.0.0.1:" + gateway.port(),
              "--speed",
              "10",
              "--once",
              "--plan",
              plan.toString(),
              "--data-dir",
              dir.resolve("store").toString());
      List<String> lines = r.stdout().lines().toList();
      assertThat(lines.getLast())
          .matches("run lt-\\S+: (\\d+) tests, \\d+ success, \\d+ failure, 0 skipped");
      assertThat(lines.subList(0, lines.size() - 1)).isNotEmpty()
          .allMatch(l -> l.contains("https://orch-") && l.contains(" streamdiffusion "));
      assertThat(r.exitCode()).isZero();
    } finally {
      sim.stop();
      runner.join(10_000);
    }
  }
}
