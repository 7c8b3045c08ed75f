package dev.naap.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Runs one request/response test (e.g. {@code POST /text-to-image}): the dataset prompt with the
 * target's model, timed from request to answer. Success is a 200 JSON answer whose
 * {@code images}, when present, is not empty. go-livepeer has no orchestrator pin for these
 * pipelines, so the gateway chooses. Thread-safe.
 */
public final class BatchDriver {
  private final GatewayClient gateway;
  private final TimeSource time;

  public BatchDriver(GatewayClient gateway, TimeSource time) {
    this.gateway = gateway;
    this.time = time;
  }

  /** Sends prompt {@code index} of {@code dataset} to {@code target}; an interrupt aborts. */
  public TestResult run(String runId, String testId, String plan, TestPlan.Target target,
      Dataset dataset, long index) {
    PromptEntry entry = dataset.entry(index);
    ObjectNode body = entry.params().objectNode();
    body.put("model_id", target.model());
    body.put("prompt", entry.prompt());
    for (String field :
        new String[] {"negative_prompt", "guidance_scale", "seed", "width", "height"}) {
      if (entry.params().has(field)) {
        body.set(field, entry.params().get(field));
      }
    }
    long t0 = time.nowMs();
    Outcome outcome = Outcome.SUCCESS;
    ErrorClass errorClass = ErrorClass.NONE;
    String message = "";
    Long latency = null;
    try {
      JsonNode answer = gateway.batch(target.pipeline(), body);
      latency = time.nowMs() - t0;
      if (answer.has("images") && answer.get("images").isEmpty()) {
        outcome = Outcome.FAILURE;
        errorClass = ErrorClass.RUNNER_ERROR;
        message = "the answer has no images";
      }
    } catch (GatewayException e) {
      outcome = Outcome.FAILURE;
      errorClass = e.errorClass();
      message = e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = Outcome.ABORTED;
      message = "stopped while running";
    }
    return new TestResult(runId, plan, testId, "batch", "", "", target.pipeline(), target.model(),
        dataset.info().ref(), entry.id(), entry.prompt(), Instant.ofEpochMilli(t0),
        Instant.ofEpochMilli(time.nowMs()), outcome, errorClass, message, null, null, null, 0, 0,
        null, null, 0, latency);
  }
}
