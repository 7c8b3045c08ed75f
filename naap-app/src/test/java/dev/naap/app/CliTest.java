package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.ingest.EventFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code naap} command line, run as a user runs it: a fresh JVM per command. */
class CliTest {

  @TempDir Path dir;

  @Test
  void import_realCaptureTwice_printsTheSummaryLineAndThenOnlyDuplicates() throws Exception {
    String data = dir.resolve("store").toString();
    String capture = EventFixtures.captureFile().toString();

    var first = ChildJvm.run(dir, "import", "--data-dir", data, capture);
    var second = ChildJvm.run(dir, "import", "--data-dir", data, capture);

    assertThat(first.exitCode()).isZero();
    assertThat(lastLine(first.stdout())).isEqualTo("imported: accepted=65 rejected=0 duplicate=0");
    assertThat(second.exitCode()).isZero();
    assertThat(lastLine(second.stdout())).isEqualTo("imported: accepted=0 rejected=0 duplicate=65");
    var sql = ChildJvm.run(dir, "sql", "--data-dir", data,
        "SELECT event_type, count() FROM raw_events FINAL GROUP BY event_type ORDER BY event_type");
    assertThat(sql.exitCode()).isZero();
    assertThat(sql.stdout())
        .isEqualTo(
            """
            ai_stream_status\t17
            create_new_payment\t6
            discovery_results\t1
            network_capabilities\t1
            stream_ingest_metrics\t34
            stream_trace\t6
            """);

    // An insert that failed part-way (a store error, a kill) can leave raw_events rows without
    // the rows of the tables its views feed: --write-again writes them again.
    assertThat(ChildJvm.run(dir, "sql", "--data-dir", data,
        "TRUNCATE TABLE stream_trace_events").exitCode()).isZero();
    var again = ChildJvm.run(dir, "import", "--data-dir", data, "--write-again", capture);
    assertThat(lastLine(again.stdout())).isEqualTo("imported: accepted=65 rejected=0 duplicate=0");
    assertThat(ChildJvm.run(dir, "sql", "--data-dir", data, "SELECT (SELECT count() FROM"
        + " stream_trace_events FINAL), (SELECT count() FROM raw_events FINAL)").stdout())
        .isEqualTo("6\t65\n");
  }

  @Test
  void import_withATestLoadRule_marksTheMatchingStream_andReportsTheOrchestratorStartup()
      throws Exception {
    String data = dir.resolve("store").toString();
    String capture = EventFixtures.captureFile().toString();

    var r =
        ChildJvm.run(
            dir,
            "import",
            "--data-dir",
            data,
            "--test-load-stream-ids",
            "stream-o5s73x-*",
            "--test-load-gateways=",
            capture);

    assertThat(r.exitCode()).isZero();
    var sql =
        ChildJvm.run(
            dir,
            "sql",
            "--data-dir",
            data,
            "SELECT is_test_load, ptff_ms, selection_wait_ms, "
                + "orchestrator_startup_ms, failed FROM segment_facts_current");
    assertThat(sql.exitCode()).isZero();
    assertThat(sql.stdout()).isEqualTo("true\t2655\t2285\t370\tfalse\n");
  }

  @Test
  void import_missingFile_exitsNonZeroAndSaysWhich() throws Exception {
    Path missing = dir.resolve("missing.ndjson");

    var r =
        ChildJvm.run(
            dir, "import", "--data-dir", dir.resolve("store").toString(), missing.toString());

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    assertThat(Files.readString(dir.resolve("run.err"))).contains(missing + ": no such file");
  }

  @Test
  void sql_badQuery_exitsOneWithTheServerError() throws Exception {
    var r =
        ChildJvm.run(
            dir,
            "sql",
            "--data-dir",
            dir.resolve("store").toString(),
            "SELECT * FROM no_such_table");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("run.err"))).contains("no_such_table");
  }

  @Test
  void usageErrors_areAllReportedWithExitCode2_parsingAndRangesFirst_thenTheConfiguration() {
    var err = new java.io.ByteArrayOutputStream();
    int code = Main.run(List.of("ingest", "--bogus", "--batch-max-events", "zero",
        "--metrics-port", "70000", "--max-event-bytes", "10"), new java.io.PrintStream(
        new java.io.ByteArrayOutputStream()), new java.io.PrintStream(err));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("naap ingest: Unknown option: '--bogus'")
        .contains(
            "naap ingest: Invalid value for option '--batch-max-events': 'zero' is not an int")
        .contains("naap ingest: --metrics-port: expected -1..65535, got 70000")
        .contains("naap ingest: --max-event-bytes: expected 1024..67108864, got 10")
        .contains("Usage: naap ingest");

    err.reset();
    code = Main.run(List.of("ingest", "--kafka-user", "u"), new java.io.PrintStream(
        new java.io.ByteArrayOutputStream()), new java.io.PrintStream(err));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("bootstrap-servers: required")
        .contains("at least one non-empty topic is required");
  }

  private static String lastLine(String s) {
    List<String> lines = s.lines().toList();
    return lines.isEmpty() ? "" : lines.getLast();
  }
}
