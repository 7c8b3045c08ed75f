package dev.naap.api;

import dev.naap.metrics.LiveEvents;
import dev.naap.metrics.Refresher;
import dev.naap.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The network the API's integration tests read, built with naap-metrics' {@link LiveEvents}: ten
 * hours from {@link #START}; each hour one session on orchestrator {@link #A} (PTFF 1.5 s, FPS 20,
 * 21, 19, on GPU {@link #GPU}, region {@code eu}) and one on {@link #B} (PTFF 3 s, FPS 16, 17,
 * region {@code us}); in hour 3 a failed session on A, in hour 4 a session no orchestrator took, in
 * hour 5 a test-load session on B.
 */
final class ApiNetwork {

  static final String A = LiveEvents.A;
  static final String B = LiveEvents.B;
  static final String GPU = "GPU-api-test-0001";
  static final Instant START = Instant.ofEpochMilli(LiveEvents.T0);
  static final int HOURS = 10;
  private static final long HOUR = 3_600_000;

  private ApiNetwork() {}

  static List<String> events() {
    LiveEvents ev = new LiveEvents();
    List<String> e = new ArrayList<>();
    for (int h = 0; h < HOURS; h++) {
      // A gateway publishes capabilities every few minutes; one snapshot more than 2 h old is
      // stale.
      e.add(ev.capabilities(h * HOUR, A, List.of(GPU)));
      long t = h * HOUR + 60_000;
      String a = "a-" + h;
      e.addAll(
          List.of(
              ev.request(a, t),
              ev.ingest(a, A, t + 700),
              ev.processed(a, A, t + 1_500),
              LiveEvents.inRegion(ev.status(a, A, t + 11_500, 20, "ONLINE"), "eu"),
              LiveEvents.inRegion(ev.status(a, A, t + 21_500, 21, "ONLINE"), "eu"),
              LiveEvents.inRegion(ev.status(a, A, t + 31_500, 19, "ONLINE"), "eu"),
              ev.ingestMetrics(a, t + 2_000, 1_000, 100),
              ev.ingestMetrics(a, t + 12_000, 126_000, 1_350)));
      String b = "b-" + h;
      e.addAll(
          List.of(
              ev.request(b, t + 60_000),
              ev.ingest(b, B, t + 61_000),
              ev.processed(b, B, t + 63_000),
              LiveEvents.inRegion(ev.status(b, B, t + 73_000, 16, "ONLINE"), "us"),
              LiveEvents.inRegion(ev.status(b, B, t + 83_000, 17, "ONLINE"), "us")));
    }
    e.addAll(List.of(ev.request("err", 3 * HOUR + 600_000), ev.ingest("err", A, 3 * HOUR + 601_000),
        LiveEvents.inRegion(ev.status("err", A, 3 * HOUR + 611_000, 0, "ERROR"), "eu")));
    e.addAll(
        List.of(
            ev.request("unmet", 4 * HOUR + 600_000),
            ev.noOrchestrators("unmet", 4 * HOUR + 600_500)));
    long t = 5 * HOUR + 900_000;
    e.addAll(
        List.of(
            ev.request("test", t),
            ev.ingest("test", B, t + 1_000),
            ev.processed("test", B, t + 2_000),
            LiveEvents.asTestLoad(
                LiveEvents.inRegion(ev.status("test", B, t + 12_000, 30, "ONLINE"), "us"))));
    return e;
  }

  /**
   * Writes the events with the ingest writer and refreshes the rollups, as {@code naap import}
   * does.
   */
  static void feed(Store store) {
    Clock now = Clock.systemUTC();
    LiveEvents.write(store, events(), now);
    // The refresh watermark trails the clock by 2 s: refresh as of a minute later.
    new Refresher(store, Clock.offset(now, Duration.ofMinutes(1))).refresh();
  }
}
