package dev.naap.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.naap.store.Store;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a plan: find the orchestrators each target covers, choose them fairly, run the tests
 * with at most {@code concurrency} at once, and write every result. When a test finds the gateway
 * unavailable, the run starts no further tests (they would only pile up failures); they are
 * counted as skipped. Interrupting the calling thread stops running tests, which are recorded as
 * aborted. Not reentrant: one run at a time per instance ({@link LoadtestScheduler} ensures it).
 */
public final class PlanRunner {
  private static final Logger LOG = LoggerFactory.getLogger(PlanRunner.class);
  private static final DateTimeFormatter RUN_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  private final TestPlan plan;
  private final Dataset dataset;
  private final GatewayClient gateway;
  private final LiveVideoDriver live;
  private final BatchDriver batch;
  private final TestLoadStore store;
  private final LoadtestMetrics metrics;
  private final TimeSource time;

  public PlanRunner(TestPlan plan, Dataset dataset, GatewayClient gateway, LiveVideoDriver live,
      BatchDriver batch, TestLoadStore store, LoadtestMetrics metrics, TimeSource time) {
    this.plan = plan;
    this.dataset = dataset;
    this.gateway = gateway;
    this.live = live;
    this.batch = batch;
    this.store = store;
    this.metrics = metrics;
    this.time = time;
  }

  /**
   * The usual wiring: {@code plan}'s dataset from the shipped catalog, the live-video and batch
   * drivers on {@code gateway}, results and stream registrations written to {@code store}.
   */
  public static PlanRunner of(
      TestPlan plan,
      GatewayClient gateway,
      StreamIngest ingest,
      Store store,
      LoadtestMetrics metrics,
      TimeSource time) {
    TestLoadStore writes = new TestLoadStore(store);
    return new PlanRunner(
        plan,
        DatasetCatalog.builtIn().open(plan.dataset()),
        gateway,
        new LiveVideoDriver(gateway, ingest, writes, time),
        new BatchDriver(gateway, time),
        writes,
        metrics,
        time);
  }

  /** Runs the plan once and returns what happened; every result is already written. */
  public RunSummary runOnce() throws InterruptedException {
    String runId = "lt-" + RUN_TIME.format(Instant.ofEpochMilli(time.nowMs())) + "-"
        + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    List<TestResult> results = Collections.synchronizedList(new ArrayList<>());
    List<Supplier<TestResult>> tests = new ArrayList<>();
    JsonNode capabilities = null;
    GatewayException unlisted = null;
    if (plan.orchestrators().isEmpty()
        && plan.targets().stream().anyMatch(t -> t.kind() == TestPlan.Kind.LIVE)) {
      try {
        capabilities = gateway.capabilities();
      } catch (GatewayException e) {
        unlisted = e; // fails the live targets only: batch targets need no list
      }
    }
    int seq = 0;
    for (int place = 0; place < plan.targets().size(); place++) {
      TestPlan.Target target = plan.targets().get(place);
      if (target.kind() == TestPlan.Kind.BATCH) {
        for (int i = 0; i < plan.batchRequests(); i++) {
          String testId = runId + "-" + (++seq);
          long index = ThreadLocalRandom.current().nextLong(dataset.entries().size());
          tests.add(() -> batch.run(runId, testId, plan.name(), target, dataset, index));
        }
        continue;
      }
      if (unlisted != null) {
        results.add(record(runOnly(runId, place, target, unlisted.errorClass(),
            "cannot list orchestrators: " + unlisted.getMessage())));
        continue;
      }
      Collection<String> pins = plan.orchestrators().isEmpty()
          ? OrchestratorDirectory.advertising(capabilities, target) : plan.orchestrators();
      if (pins.isEmpty()) {
        results.add(record(runOnly(runId, place, target, ErrorClass.NO_ORCHESTRATOR,
            "no orchestrator advertises " + target.pipeline() + " " + target.model())));
        continue;
      }
      Map<String, Long> counts = store.testCounts(plan.name(), target.pipeline());
      long done = counts.values().stream().mapToLong(Long::longValue).sum();
      List<String> chosen = FairRotation.choose(pins, counts, plan.testsPerRun());
      for (int i = 0; i < chosen.size(); i++) {
        String testId = runId + "-" + (++seq);
        // Walk the dataset across runs: each test uses its first prompt and the next changes.
        long index = (done + i) * (plan.promptChanges() + 1);
        var spec = new LiveTestSpec(runId, testId, chosen.get(i), target, dataset, index, plan);
        tests.add(() -> live.run(spec));
      }
    }
    return execute(runId, tests, results);
  }

  private RunSummary execute(
      String runId, List<Supplier<TestResult>> tests, List<TestResult> results)
      throws InterruptedException {
    Semaphore slots = new Semaphore(plan.concurrency());
    AtomicBoolean gatewayDown = new AtomicBoolean();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    AtomicInteger skipped = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Supplier<TestResult> test : tests) {
        futures.add(pool.submit(() -> {
          try {
            slots.acquire();
          } catch (InterruptedException e) {
            return;
          }
          try {
            if (gatewayDown.get()) {
              skipped.incrementAndGet();
              metrics.skipped();
              return;
            }
            metrics.running(running.incrementAndGet());
            peak.accumulateAndGet(running.get(), Math::max);
            TestResult r;
            try {
              r = test.get();
            } finally {
              metrics.running(running.decrementAndGet());
            }
            if (r.errorClass() == ErrorClass.GATEWAY_UNAVAILABLE) {
              gatewayDown.set(true);
            }
            results.add(record(r));
          } catch (RuntimeException e) {
            LOG.warn("load test failed inside the tester", e);
          } finally {
            slots.release();
          }
        }));
      }
      try {
        for (Future<?> f : futures) {
          f.get();
        }
      } catch (InterruptedException e) {
        futures.forEach(f -> f.cancel(true));
        throw e;
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("a test task failed", e.getCause());
      }
    }
    return new RunSummary(runId, results, skipped.get(), peak.get());
  }

  /**
   * A result for target {@code index} of the plan, whose tests could not even be started; its
   * test id names the target by its place, so two targets of one pipeline keep a row each.
   */
  private TestResult runOnly(
      String runId, int index, TestPlan.Target t, ErrorClass errorClass, String message) {
    Instant now = Instant.ofEpochMilli(time.nowMs());
    return new TestResult(
        runId,
        plan.name(),
        runId + "-target" + (index + 1) + "-" + t.pipeline(),
        t.kind().name().toLowerCase(java.util.Locale.ROOT),
        "",
        "",
        t.pipeline(),
        t.model(),
        dataset.info().ref(),
        "",
        "",
        now,
        now,
        Outcome.FAILURE,
        errorClass,
        message,
        null,
        null,
        null,
        0,
        0,
        null,
        null,
        0,
        null);
  }

  private TestResult record(TestResult r) {
    // An aborted test is written too: the interrupt that stopped it must not stop its write.
    boolean interrupted = Thread.interrupted();
    try {
      store.write(r, Instant.ofEpochMilli(time.nowMs()));
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    metrics.finished(r);
    return r;
  }
}
