package dev.naap.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The scheduler: runs never overlap, overruns skip ticks, a failing gateway keeps the schedule,
 * stop is prompt.
 */
class LoadtestSchedulerTest {

  @Test
  void runsNeverOverlap_andAnOverrunSkipsTheMissedTicks() throws Exception {
    AtomicInteger active = new AtomicInteger();
    AtomicInteger maxActive = new AtomicInteger();
    List<Long> starts = Collections.synchronizedList(new ArrayList<>());
    LoadtestScheduler scheduler = new LoadtestScheduler(() -> {
      maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
      starts.add(System.nanoTime());
      try {
        // Every third run takes 2.5 intervals.
        Thread.sleep(starts.size() % 3 == 0 ? 250 : 20);
      } finally {
        active.decrementAndGet();
      }
      return new RunSummary("r" + starts.size(), List.of(), 0, 0);
    }, Duration.ofMillis(100), TimeSource.system(), LoadtestMetrics.unregistered());
    Thread t = Thread.ofPlatform().start(scheduler::run);
    Thread.sleep(1_050);
    scheduler.stop();
    t.join(2_000);
    assertThat(t.isAlive()).isFalse();
    assertThat(maxActive.get()).isEqualTo(1);
    // Ticks at 0, 100, 200 (long: to 450), 500, 600, 700 (long: to 950), 1000: 7 runs, not 11.
    assertThat(starts.size()).isBetween(6, 8);
    for (int i = 1; i < starts.size(); i++) {
      long gapMs = (starts.get(i) - starts.get(i - 1)) / 1_000_000;
      assertThat(gapMs).isGreaterThanOrEqualTo(60); // never back to back to catch up
    }
  }

  @Test
  void stop_interruptsARunningRun_promptly() throws Exception {
    AtomicInteger interrupted = new AtomicInteger();
    LoadtestScheduler scheduler = new LoadtestScheduler(() -> {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
        throw e;
      }
      return null;
    }, Duration.ofMinutes(10), TimeSource.system(), LoadtestMetrics.unregistered());
    Thread t = Thread.ofPlatform().start(scheduler::run);
    Thread.sleep(200);
    long before = System.nanoTime();
    scheduler.stop();
    t.join(2_000);
    assertThat(t.isAlive()).isFalse();
    assertThat((System.nanoTime() - before) / 1_000_000).isLessThan(1_000);
    assertThat(interrupted.get()).isEqualTo(1);
  }

  @Test
  void aGatewayThatIsDown_recordsAFailurePerRun_andKeepsTheSchedule() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (Store store = TestEngine.uniqueStore("loadtest_schedule")) {
      TestLoadStore writes = new TestLoadStore(store);
      GatewayClient client = new GatewayClient(URI.create("http://127.0.0.1:" + port),
          Duration.ofMillis(300), Duration.ofSeconds(1));
      TestPlan plan = TestPlanLoader.parse("{\"name\": \"down\", \"interval\": \"1s\"}".getBytes());
      TimeSource time = TimeSource.scaled(5); // the 1 s interval passes every 200 ms
      PlanRunner runner =
          new PlanRunner(
              plan,
              DatasetCatalog.builtIn().open(plan.dataset()),
              client,
              new LiveVideoDriver(client, new HookIngest(client), writes, time),
              new BatchDriver(client, time),
              writes,
              LoadtestMetrics.unregistered(),
              time);
      LoadtestScheduler scheduler = new LoadtestScheduler(runner::runOnce, plan.interval(), time,
          LoadtestMetrics.unregistered());
      Thread t = Thread.ofPlatform().start(scheduler::run);
      Thread.sleep(1_100);
      scheduler.stop();
      t.join(5_000);
      String rows = store.queryText("SELECT count(), uniqExact(run_id), groupUniqArray(error_class)"
          + " FROM test_load_results FINAL WHERE plan = 'down'", Map.of()).strip();
      String[] cols = rows.split("\t");
      assertThat(Integer.parseInt(cols[0])).isBetween(4, 7); // one per run, every 200 ms
      assertThat(cols[1]).isEqualTo(cols[0]);
      assertThat(cols[2]).isEqualTo("['gateway_unavailable']");
    }
  }
}
