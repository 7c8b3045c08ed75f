package dev.naap.metrics.query;

import static dev.naap.metrics.LiveEvents.A;
import static dev.naap.metrics.LiveEvents.B;
import static dev.naap.metrics.LiveEvents.asTestLoad;
import static dev.naap.metrics.LiveEvents.inRegion;

import dev.naap.metrics.LiveEvents;
import dev.naap.metrics.LiveEvents.Offer;
import dev.naap.metrics.Refresher;
import dev.naap.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A small network worked by hand, on the UTC day {@link #day} (the day of three hours ago, so that
 * every event is in the past and near now). Times are minutes:seconds after midnight.
 *
 * <pre>
 * s1  gw-1  A (eu)  request 58:30, ingest 58:31, first frame 58:32 (PTFF 2 000 ms),
 *                   FPS 20 @59:00, 22 @60:00, 24 @61:00, 26 @61:30    time 58:30–61:30 = 180 s
 * s2  gw-1  B (us)  request 59:10, ingest 59:11, first frame 59:14 (PTFF 4 000 ms),
 *                   FPS 10 @59:30, 12 @60:20                          time 59:10–60:20 = 70 s
 * s3  gw-2  —       request 59:40, no orchestrator 59:45 (pipeline '') time 5 s
 * s5  gw-1  A (eu)  request 70:00, ingest 70:01, ERROR with FPS 0 @70:11: failed, time 11 s
 * s4  gw-1  A (eu)  test load: request 75:00, ingest 75:01, first frame 75:02, FPS 30 @75:10
 * capabilities at 00:00 (gw-1): A has GPU-A1, 1 idle + 1 in use; B has GPU-B1, 2 idle + 0 in use
 * </pre>
 */
final class QueryNetwork {

  static final Instant day = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.DAYS);

  private QueryNetwork() {}

  static long at(int minutes, int seconds) {
    return (minutes * 60L + seconds) * 1000;
  }

  static Instant time(int minutes, int seconds) {
    return day.plusMillis(at(minutes, seconds));
  }

  static List<String> events() {
    LiveEvents ev = new LiveEvents(day.toEpochMilli());
    List<String> e = new ArrayList<>();
    e.add(ev.capacities(0, new Offer(A, "GPU-A1", 1, 1), new Offer(B, "GPU-B1", 2, 0)));
    e.addAll(
        List.of(
            ev.request("s1", at(58, 30)),
            ev.ingest("s1", A, at(58, 31)),
            ev.processed("s1", A, at(58, 32)),
            inRegion(ev.status("s1", A, at(59, 0), 20, "ONLINE"), "eu"),
            inRegion(ev.status("s1", A, at(60, 0), 22, "ONLINE"), "eu"),
            inRegion(ev.status("s1", A, at(61, 0), 24, "ONLINE"), "eu"),
            inRegion(ev.status("s1", A, at(61, 30), 26, "ONLINE"), "eu")));
    e.addAll(
        List.of(
            ev.request("s2", at(59, 10)),
            ev.ingest("s2", B, at(59, 11)),
            ev.processed("s2", B, at(59, 14)),
            inRegion(ev.status("s2", B, at(59, 30), 10, "ONLINE"), "us"),
            inRegion(ev.status("s2", B, at(60, 20), 12, "ONLINE"), "us")));
    e.addAll(List.of(ev.request("s5", at(70, 0)), ev.ingest("s5", A, at(70, 1)),
        inRegion(ev.status("s5", A, at(70, 11), 0, "ERROR"), "eu")));
    e.addAll(
        List.of(
            ev.request("s4", at(75, 0)),
            ev.ingest("s4", A, at(75, 1)),
            ev.processed("s4", A, at(75, 2)),
            asTestLoad(inRegion(ev.status("s4", A, at(75, 10), 30, "ONLINE"), "eu"))));
    ev.onGateway("gw-2");
    e.addAll(List.of(ev.request("s3", at(59, 40)), ev.noOrchestrators("s3", at(59, 45))));
    return e;
  }

  /** Writes the network into {@code store} and refreshes the rollups over all of it. */
  static void load(Store store) {
    LiveEvents.write(store, events(), Clock.systemUTC());
    new Refresher(store, Clock.systemUTC()).refreshUpTo(Instant.now());
  }
}
