package dev.naap.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The batch driver against a loopback text-to-image endpoint. */
class BatchDriverTest {
  static final TestPlan.Target TARGET =
      new TestPlan.Target("text-to-image", "ByteDance/SDXL-Lightning", TestPlan.Kind.BATCH);
  static final Dataset DATASET = DatasetCatalog.builtIn().open("good-prompts-v1");

  static TestResult run(ScriptedGateway.Script script, Duration timeout) throws Exception {
    try (ScriptedGateway gw = new ScriptedGateway(script)) {
      GatewayClient client = new GatewayClient(gw.url(), Duration.ofMillis(500), timeout);
      return new BatchDriver(client, TimeSource.system())
          .run("run-b", "run-b-1", "batch", TARGET, DATASET, 3);
    }
  }

  @Test
  void anImage_isSuccess_withItsLatency() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    TestResult r =
        run(
            (m, path, body, n) -> {
              assertThat(path).isEqualTo("/text-to-image");
              var sent = mapper.readTree(body);
              assertThat(sent.get("model_id").asText()).isEqualTo("ByteDance/SDXL-Lightning");
              assertThat(sent.get("prompt").asText()).isEqualTo(DATASET.entry(3).prompt());
              Thread.sleep(120);
              return ScriptedGateway.Answer.json(
                  "{\"images\": [{\"url\": \"/stream/x.png\", \"seed\": 1, \"nsfw\": false}]}");
            },
            Duration.ofSeconds(2));
    assertThat(r.outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(r.latencyMs()).isBetween(120L, 1_500L);
    assertThat(r.promptId()).isEqualTo(DATASET.entry(3).id());
    assertThat(r.kind()).isEqualTo("batch");
  }

  @Test
  void failures_areClassified() throws Exception {
    assertThat(
            run(
                    (m, p, b, n) ->
                        new ScriptedGateway.Answer(
                            503, "{\"error\": {\"message\": \"insufficient capacity\"}}"),
                    Duration.ofSeconds(2))
                .errorClass())
        .isEqualTo(ErrorClass.ORCHESTRATOR_REFUSED);
    assertThat(
            run(
                    (m, p, b, n) ->
                        new ScriptedGateway.Answer(
                            500, "{\"error\": {\"message\": \"no orchestrators available\"}}"),
                    Duration.ofSeconds(2))
                .errorClass())
        .isEqualTo(ErrorClass.NO_ORCHESTRATOR);
    assertThat(
            run(
                    (m, p, b, n) -> ScriptedGateway.Answer.json("{\"images\": []}"),
                    Duration.ofSeconds(2))
                .errorClass())
        .isEqualTo(ErrorClass.RUNNER_ERROR);
    assertThat(
            run(
                    (m, p, b, n) ->
                        new ScriptedGateway.Answer(
                            400, "{\"error\": {\"message\": \"bad model\"}}"),
                    Duration.ofSeconds(2))
                .errorClass())
        .isEqualTo(ErrorClass.GATEWAY_REJECTED);
    TestResult slow = run((m, p, b, n) -> {
      Thread.sleep(3_000);
      return ScriptedGateway.Answer.json("{}");
    }, Duration.ofMillis(200));
    assertThat(slow.errorClass()).isEqualTo(ErrorClass.TIMEOUT);
    assertThat(slow.latencyMs()).isNull();
  }
}
