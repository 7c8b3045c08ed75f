package dev.naap.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plans: defaults, a full plan, every error at once; fair rotation. */
class TestPlanLoaderTest {

  @Test
  void anEmptyPlan_hasTheDocumentedDefaults() {
    TestPlan p = TestPlanLoader.defaults();
    assertThat(p.name()).isEqualTo("default");
    assertThat(p.targets())
        .containsExactly(
            new TestPlan.Target("streamdiffusion", "stabilityai/sd-turbo", TestPlan.Kind.LIVE));
    assertThat(p.dataset()).isEqualTo("good-prompts-v1");
    assertThat(p.interval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(p.testDuration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(p.concurrency()).isEqualTo(4);
    assertThat(p.orchestrators()).isEmpty();
    assertThat(p.testsPerRun()).isZero();
    assertThat(p.promptChanges()).isEqualTo(2);
  }

  @Test
  void aFullPlan_isRead() {
    TestPlan p =
        TestPlanLoader.parse(
            """
            {"name": "nightly", "dataset": "random-prompts-v1", "interval": "1h30m", "test_duration": "PT2M",
             "concurrency": 8, "orchestrators": ["orch-01", "orch-02"], "tests_per_run": 5, "prompt_changes": 4,
             "poll_interval": "500ms", "startup_timeout": "90s", "prompt_timeout": "20s", "batch_requests": 2,
             "targets": [{"pipeline": "streamdiffusion-sdxl", "model": "stabilityai/sdxl-turbo"},
                         {"pipeline": "text-to-image", "model": "ByteDance/SDXL-Lightning", "kind": "batch"}]}
            """
                .getBytes(StandardCharsets.UTF_8));
    assertThat(p.interval()).isEqualTo(Duration.ofMinutes(90));
    assertThat(p.testDuration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(p.pollInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(p.orchestrators()).containsExactly("orch-01", "orch-02");
    assertThat(p.targets())
        .extracting(TestPlan.Target::kind)
        .containsExactly(TestPlan.Kind.LIVE, TestPlan.Kind.BATCH);
    assertThat(p.batchRequests()).isEqualTo(2);
  }

  @Test
  void everyBadKey_isReportedAtOnce() {
    assertThatThrownBy(
            () ->
                TestPlanLoader.parse(
                    """
                    {"concurrency": 0, "interval": "soon", "test_duration": "2h", "targets": [{"kind": "stream"}], "colour": "red"}
                    """
                        .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("colour: unknown key")
        .hasMessageContaining("concurrency: expected an integer 1..64, got 0")
        .hasMessageContaining(
            "interval: expected a duration like 500ms, 30s, 5m, 24h, 7d, 1h30m or PT10M, got"
                + " 'soon'")
        .hasMessageContaining("test_duration: expected a duration PT5S..PT1H, got \"2h\"")
        .hasMessageContaining("targets[0].pipeline: required")
        .hasMessageContaining("targets[0].kind: expected live or batch, got 'stream'");
  }

  @Test
  void fairRotation_givesEveryOrchestratorTheSameCount() {
    List<String> orchs = List.of("a", "b", "c", "d", "e");
    Map<String, Long> counts = new java.util.HashMap<>();
    for (int run = 0; run < 6; run++) {
      for (String o : FairRotation.choose(orchs, counts, 2)) {
        counts.merge(o, 1L, Long::sum);
      }
    }
    // 12 tests over 5 orchestrators: every count is 2 or 3.
    assertThat(counts.values()).allMatch(c -> c == 2 || c == 3);
    assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(12);
    // Least tested first, each once per round.
    assertThat(FairRotation.choose(List.of("a", "b", "z"), Map.of("a", 4L, "b", 5L), 4))
        .containsExactly("z", "a", "b", "z");
    assertThat(FairRotation.choose(List.of("a", "b"), Map.of(), 0)).containsExactly("a", "b");
  }
}
