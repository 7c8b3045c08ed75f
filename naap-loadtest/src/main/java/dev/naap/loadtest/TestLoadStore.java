package dev.naap.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.naap.store.Rows;
import dev.naap.store.Sql;
import dev.naap.store.Store;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The load tester's writes (stream registrations in {@code test_load_streams}, results in
 * {@code test_load_results}) and the counts its fair rotation reads back. The store, not memory,
 * is the truth, so a restarted tester continues the rotation. Thread-safe.
 */
public final class TestLoadStore {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private final Store store;

  public TestLoadStore(Store store) {
    this.store = store;
  }

  /** Registers {@code streamId} as test load; returns once it is durable. */
  public void registerStream(String streamId, String runId, Instant at) {
    ObjectNode row = MAPPER.createObjectNode();
    row.put("stream_id", streamId);
    row.put("run_id", runId);
    row.put("registered_at", TIME.format(at));
    store.insert(
        "INSERT INTO test_load_streams (stream_id, run_id, registered_at) FORMAT JSONEachRow",
        (row + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Writes one test's result row. */
  public void write(TestResult r, Instant writtenAt) {
    ObjectNode row = MAPPER.createObjectNode();
    row.put("run_id", r.runId());
    row.put("plan", r.plan());
    row.put("test_id", r.testId());
    row.put("kind", r.kind());
    row.put("orchestrator", r.orchestrator());
    row.put("served_by", r.servedBy());
    row.put("pipeline", r.pipeline());
    row.put("model", r.model());
    row.put("dataset", r.dataset());
    row.put("prompt_id", r.promptId());
    row.put("prompt", r.prompt());
    row.put("started_at", TIME.format(r.startedAt()));
    row.put("ended_at", TIME.format(r.endedAt()));
    row.put("outcome", r.outcome().label());
    row.put("error_class", r.errorClass().label());
    row.put("error_message", r.errorMessage());
    row.put("startup_ms", r.startupMs());
    row.put("prompt_change_ms", r.promptChangeMs());
    row.put("prompt_applied_ms", r.promptAppliedMs());
    row.put("prompt_changes_sent", r.promptChangesSent());
    row.put("prompt_changes_seen", r.promptChangesSeen());
    row.put("output_fps", r.outputFps());
    row.put("fps_jitter", r.fpsJitter());
    row.put("status_samples", r.statusSamples());
    row.put("latency_ms", r.latencyMs());
    row.put("written_at", TIME.format(writtenAt));
    store.insert("INSERT INTO test_load_results FORMAT JSONEachRow",
        (row + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Live tests so far per orchestrator pin for {@code plan} and {@code pipeline}: what the
   * rotation balances. Aborted tests do not count, so a stopped run's orchestrators come first.
   */
  public Map<String, Long> testCounts(String plan, String pipeline) {
    Map<String, Long> counts = new HashMap<>();
    for (Rows.Row r : Rows.query(store, Sql.load(TestLoadStore.class, "test_counts.sql"),
        Map.of("plan", plan, "pipeline", pipeline), List.of("orchestrator", "tests"))) {
      counts.put(r.string("orchestrator"), r.count("tests"));
    }
    return counts;
  }
}
