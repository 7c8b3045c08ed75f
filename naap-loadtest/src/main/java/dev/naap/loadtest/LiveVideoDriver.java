package dev.naap.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one live-video test against a go-livepeer gateway (docs/LOADTEST.md, "What a live test
 * measures"): registers the stream as test load, starts it pinned to one orchestrator, waits for
 * output, sends the dataset's next prompts with {@code /update} one at a time, polls
 * {@code /status} throughout, and stops. Thread-safe: each call runs on its caller's thread.
 */
public final class LiveVideoDriver {
  private static final int TOLERATED_POLL_FAILURES = 3;
  // The stream outlives the test a little, so the last polls still find it.
  private static final Duration PUBLISH_MARGIN = Duration.ofSeconds(5);

  private final GatewayClient gateway;
  private final StreamIngest ingest;
  private final TestLoadStore store;
  private final TimeSource time;

  public LiveVideoDriver(
      GatewayClient gateway, StreamIngest ingest, TestLoadStore store, TimeSource time) {
    this.gateway = gateway;
    this.ingest = ingest;
    this.store = store;
    this.time = time;
  }

  /** Runs {@code spec}; a stop (interrupt) ends it early with outcome aborted, flag restored. */
  public TestResult run(LiveTestSpec spec) {
    return new Test(spec).run();
  }

  /** One test's state, on one thread. */
  private final class Test {
    final LiveTestSpec spec;
    final TestPlan plan;
    final PromptEntry first;
    final StatusObservation obs = new StatusObservation();
    final List<Long> changeMs = new ArrayList<>();
    final List<Long> appliedMs = new ArrayList<>();
    final long t0 = time.nowMs();
    int sent;
    int superseded;
    int pollFailures;
    Long startupMs;
    StreamIngest.Publishing publishing;

    Test(LiveTestSpec spec) {
      this.spec = spec;
      this.plan = spec.plan();
      this.first = spec.dataset().entry(spec.promptIndex());
    }

    TestResult run() {
      try {
        store.registerStream(spec.testId(), spec.runId(), Instant.ofEpochMilli(time.nowMs()));
        LiveStream stream = new LiveStream(spec.testId(), spec.testId(), spec.target().pipeline(),
            first.paramsFor(spec.target().model()), spec.orchestratorPin(),
            plan.testDuration().plus(PUBLISH_MARGIN));
        publishing = ingest.start(stream);
        awaitOutput();
        long end = t0 + plan.testDuration().toMillis();
        // A change is sent only while the stream will last long enough to show it.
        for (int k = 1;
            k <= plan.promptChanges() && time.nowMs() + plan.promptTimeout().toMillis() <= end;
            k++) {
          changePrompt(spec.dataset().entry(spec.promptIndex() + k));
        }
        while (time.nowMs() < end) {
          poll();
          time.sleep(plan.pollInterval());
        }
        return finish(Outcome.SUCCESS, ErrorClass.NONE, "");
      } catch (Failed f) {
        return finish(Outcome.FAILURE, f.errorClass, f.getMessage());
      } catch (GatewayException e) {
        return finish(Outcome.FAILURE, e.errorClass(), e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return finish(Outcome.ABORTED, ErrorClass.NONE, "stopped while running");
      } finally {
        if (publishing != null) {
          publishing.close();
        }
      }
    }

    void awaitOutput() throws GatewayException, InterruptedException, Failed {
      long deadline = t0 + plan.startupTimeout().toMillis();
      while (true) {
        poll();
        if (obs.outputFlowing()) {
          startupMs = time.nowMs() - t0;
          return;
        }
        if (time.nowMs() >= deadline) {
          throw new Failed(
              ErrorClass.TIMEOUT,
              "no output within "
                  + plan.startupTimeout()
                  + (obs.everSeen()
                      ? " (last state " + obs.last().path("state").asText() + ")"
                      : " (no status)"));
        }
        time.sleep(plan.pollInterval());
      }
    }

    void changePrompt(PromptEntry entry) throws GatewayException, InterruptedException, Failed {
      ObjectNode params = entry.paramsFor(spec.target().model());
      long previous = obs.paramsUpdateTime();
      long sentAt = time.nowMs();
      gateway.update(spec.testId(), params);
      sent++;
      long deadline = sentAt + plan.promptTimeout().toMillis();
      while (time.nowMs() < deadline) {
        time.sleep(plan.pollInterval());
        poll();
        if (obs.paramsAppliedSince(previous) && !obs.lastParamsAre(params)) {
          superseded++; // applied, then changed again by someone else: not ours to time
          return;
        }
        if (obs.paramsAppliedSince(previous) && obs.outputFlowing()) {
          long seen = time.nowMs() - sentAt;
          changeMs.add(seen);
          long age = obs.appliedAgeMs();
          if (age >= 0) {
            appliedMs.add(Math.max(0, seen - age));
          }
          return;
        }
      }
    }

    /** One status poll; throws when the stream has failed. */
    void poll() throws GatewayException, InterruptedException, Failed {
      JsonNode status;
      try {
        status = gateway.status(spec.testId());
        pollFailures = 0;
      } catch (GatewayException e) {
        if (++pollFailures >= TOLERATED_POLL_FAILURES) {
          throw e;
        }
        return;
      }
      if (status == null && obs.everSeen()) {
        throw new Failed(
            ErrorClassifier.message(obs.gatewayError(), ErrorClass.GATEWAY_ERROR),
            "the gateway no longer knows the stream"
                + (obs.gatewayError() == null ? "" : ": " + obs.gatewayError()));
      }
      obs.add(status);
      String ingestFailure = publishing == null ? null : publishing.failure();
      if (ingestFailure != null) {
        throw new Failed(ErrorClass.INGEST_ERROR, ingestFailure);
      }
      if (obs.gatewayError() != null) {
        throw new Failed(
            ErrorClassifier.message(obs.gatewayError(), ErrorClass.GATEWAY_ERROR),
            obs.gatewayError());
      }
      if (obs.runnerError() != null) {
        throw new Failed(ErrorClass.RUNNER_ERROR, obs.runnerError());
      }
      String pin = spec.orchestratorPin();
      if (!pin.isEmpty() && !obs.servedBy().isEmpty() && !obs.servedBy().contains(pin)) {
        throw new Failed(
            ErrorClass.ORCHESTRATOR_SWAPPED, "served by " + obs.servedBy() + ", pinned to " + pin);
      }
    }

    TestResult finish(Outcome outcome, ErrorClass errorClass, String message) {
      int seen = changeMs.size() + superseded;
      if (outcome == Outcome.SUCCESS && seen < sent) {
        outcome = Outcome.FAILURE;
        errorClass = ErrorClass.PROMPT_NOT_APPLIED;
        message =
            (sent - seen)
                + " of "
                + sent
                + " prompt changes not shown within "
                + plan.promptTimeout();
      }
      return new TestResult(
          spec.runId(),
          plan.name(),
          spec.testId(),
          "live",
          spec.orchestratorPin(),
          obs.servedBy(),
          spec.target().pipeline(),
          spec.target().model(),
          spec.dataset().info().ref(),
          first.id(),
          first.prompt(),
          Instant.ofEpochMilli(t0),
          Instant.ofEpochMilli(time.nowMs()),
          outcome,
          errorClass,
          message,
          startupMs,
          median(changeMs),
          median(appliedMs),
          sent,
          seen,
          obs.meanFps(),
          obs.fpsJitter(),
          obs.statusSamples(),
          null);
    }
  }

  static Long median(List<Long> values) {
    if (values.isEmpty()) {
      return null;
    }
    List<Long> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** A test failure found while polling. */
  private static final class Failed extends Exception {
    final ErrorClass errorClass;

    Failed(ErrorClass errorClass, String message) {
      super(message);
      this.errorClass = errorClass;
    }
  }
}
