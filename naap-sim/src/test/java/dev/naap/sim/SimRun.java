package dev.naap.sim;

import dev.naap.events.Event;
import dev.naap.events.EventParser;
import dev.naap.events.ParseResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One simulation run kept in memory, every message parsed by the real event contract. */
final class SimRun {

  /** 2026-01-08T16:00Z: the run covers the evening peak, so capacity runs out. */
  static final long PEAK_START_MS = 1_767_888_000_000L;

  final List<String> keys = new ArrayList<>();
  final List<byte[]> messages = new ArrayList<>();
  final List<Event> accepted = new ArrayList<>();
  final List<ParseResult.Rejected> rejected = new ArrayList<>();
  final GroundTruth truth;

  SimRun(SimConfig config) {
    truth = new Simulator(config).run(new EventSink() {
      @Override
      public void send(String key, byte[] value) {
        keys.add(key);
        messages.add(value);
      }
    });
    EventParser parser = new EventParser();
    for (byte[] m : messages) {
      switch (parser.parse(m)) {
        case ParseResult.Accepted a -> accepted.add(a.event());
        case ParseResult.Rejected r -> rejected.add(r);
      }
    }
  }

  static SimConfig.Builder peak(long seed, Duration duration) {
    return SimConfig.builder().seed(seed).startMs(PEAK_START_MS).duration(duration)
        .peakStreamsPerHour(900);
  }

  private static SimRun perfect;
  private static SimRun quirky;

  /** 1 h at the peak, every event exactly once and in order. */
  static synchronized SimRun perfect() {
    if (perfect == null) {
      perfect = new SimRun(peak(42, Duration.ofHours(1)).perfectDelivery().build());
    }
    return perfect;
  }

  /** 1 h at the peak with losses, duplicates, late events and 1 % malformed messages. */
  static synchronized SimRun quirky() {
    if (quirky == null) {
      quirky = new SimRun(peak(7, Duration.ofHours(1)).lossRate(0.01).duplicateRate(0.01)
          .lateRate(0.01).malformedRate(0.01).build());
    }
    return quirky;
  }
}
