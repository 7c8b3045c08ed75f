package dev.naap.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything that shapes one simulation run. Immutable; build with {@link #builder()}, which
 * validates every field and reports all problems at once.
 *
 * @param seed the source of randomness of everything but the network: with {@code networkSeed},
 *     the only one, so the same config gives the same bytes
 * @param networkSeed the network's own: its orchestrators, nodes, GPUs, regions and prices
 *     (default {@code seed}); a run that continues another (the demo, restarted) keeps the
 *     network's seed and changes {@code seed}, so the same network carries new streams
 * @param orchestrators orchestrators in the network (default 40)
 * @param gpus GPUs over all orchestrators, at least one each (default 80)
 * @param startMs virtual unix-ms time of the first event
 * @param durationMs virtual span simulated from {@code startMs}
 * @param peakStreamsPerHour stream requests per hour over all gateways at the daily peak (18:00
 *     UTC); the trough is a quarter of it (default 360)
 * @param lossRate probability that the producer drops an event (default 0.0005)
 * @param duplicateRate probability that an event is sent twice (default 0.001)
 * @param lateRate probability that an event is delayed by 30 s to 10 min (default 0.002)
 * @param malformedRate malformed messages injected per event, in addition to the events (default 0)
 * @param capabilitiesIntervalMs period of each gateway's {@code network_capabilities} snapshot
 *     (default 25 min, go-livepeer's {@code -liveAICapReportInterval})
 * @param darkOrchestrator whether one orchestrator goes dark for two hours (or to the end) at 40 %
 *     of the run (default true)
 * @param trickleLossRate probability that a session which would be healthy loses its trickle
 *     stream right after the first ingest ("stream not found") and the gateway swaps back to the
 *     same orchestrator (default 0.04)
 * @param scheduledTester whether the tester's gateways run their scheduled test streams, one every
 *     5 minutes each (default true)
 * @param testSlots containers each GPU keeps for streams pinned to its orchestrator (the load
 *     tester's), beyond those the gateway's own selection may fill; an operator who takes part in
 *     the network's test rotation keeps one free so that tests do not queue behind users' streams
 *     (default 1; 0: tests compete with demand for the same containers)
 */
public record SimConfig(
    long seed,
    long networkSeed,
    int orchestrators,
    int gpus,
    long startMs,
    long durationMs,
    double peakStreamsPerHour,
    double lossRate,
    double duplicateRate,
    double lateRate,
    double malformedRate,
    long capabilitiesIntervalMs,
    boolean darkOrchestrator,
    double trickleLossRate,
    boolean scheduledTester,
    int testSlots) {

  /** Earliest start accepted (2015-01-01, the event contract's lower bound) plus a margin. */
  static final long MIN_START_MS = 1_420_070_400_000L + 86_400_000L;

  /** A builder with the defaults above, start at 2026-01-08T00:00Z and a 1 h span. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link SimConfig}; not thread-safe. */
  public static final class Builder {
    private long seed = 1;
    private Long networkSeed;
    private int orchestrators = 40;
    private int gpus = 80;
    private long startMs = 1_767_830_400_000L;
    private long durationMs = Duration.ofHours(1).toMillis();
    private double peakStreamsPerHour = 360;
    private double lossRate = 0.0005;
    private double duplicateRate = 0.001;
    private double lateRate = 0.002;
    private double malformedRate = 0;
    private long capabilitiesIntervalMs = Duration.ofMinutes(25).toMillis();
    private boolean darkOrchestrator = true;
    private double trickleLossRate = 0.04;
    private boolean scheduledTester = true;
    private int testSlots = 1;

    private Builder() {}

    public Builder seed(long v) { seed = v; return this; }

    public Builder networkSeed(long v) { networkSeed = v; return this; }

    public Builder orchestrators(int v) { orchestrators = v; return this; }

    public Builder gpus(int v) { gpus = v; return this; }

    public Builder startMs(long v) { startMs = v; return this; }

    public Builder duration(Duration v) { durationMs = v.toMillis(); return this; }

    public Builder peakStreamsPerHour(double v) { peakStreamsPerHour = v; return this; }

    public Builder lossRate(double v) { lossRate = v; return this; }

    public Builder duplicateRate(double v) { duplicateRate = v; return this; }

    public Builder lateRate(double v) { lateRate = v; return this; }

    public Builder malformedRate(double v) { malformedRate = v; return this; }

    /**
     * Sets loss, duplicate, late and malformed rates to zero: every event exactly once, in order.
     */
    public Builder perfectDelivery() {
      lossRate = 0;
      duplicateRate = 0;
      lateRate = 0;
      malformedRate = 0;
      return this;
    }

    public Builder capabilitiesInterval(Duration v) {
      capabilitiesIntervalMs = v.toMillis();
      return this;
    }

    public Builder darkOrchestrator(boolean v) { darkOrchestrator = v; return this; }

    public Builder trickleLossRate(double v) { trickleLossRate = v; return this; }

    public Builder scheduledTester(boolean v) { scheduledTester = v; return this; }

    public Builder testSlots(int v) { testSlots = v; return this; }

    /** Validates and builds; the exception names every bad field, its value and the limit. */
    public SimConfig build() {
      List<String> errors = new ArrayList<>();
      if (orchestrators < 1 || orchestrators > 10_000) {
        errors.add("orchestrators: expected 1..10000, got " + orchestrators);
      }
      if (gpus < orchestrators || gpus > 100_000) {
        errors.add("gpus: expected orchestrators (" + orchestrators + ")..100000, got " + gpus);
      }
      if (startMs < MIN_START_MS || startMs > 4_000_000_000_000L) {
        errors.add("startMs: expected a unix-ms time between 2015 and 2096, got " + startMs);
      }
      if (durationMs < 0 || durationMs > Duration.ofDays(366).toMillis()) {
        errors.add("duration: expected 0..366 days, got " + durationMs + " ms");
      }
      if (!(peakStreamsPerHour >= 0 && peakStreamsPerHour <= 1_000_000)) {
        errors.add("peakStreamsPerHour: expected 0..1000000, got " + peakStreamsPerHour);
      }
      rate(errors, "lossRate", lossRate);
      rate(errors, "duplicateRate", duplicateRate);
      rate(errors, "lateRate", lateRate);
      rate(errors, "malformedRate", malformedRate);
      rate(errors, "trickleLossRate", trickleLossRate);
      if (capabilitiesIntervalMs < 1_000) {
        errors.add(
            "capabilitiesInterval: expected at least 1 s, got " + capabilitiesIntervalMs + " ms");
      }
      if (testSlots < 0 || testSlots > 8) {
        errors.add("testSlots: expected 0..8, got " + testSlots);
      }
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid simulator config: " + String.join("; ", errors));
      }
      return new SimConfig(
          seed,
          networkSeed == null ? seed : networkSeed,
          orchestrators,
          gpus,
          startMs,
          durationMs,
          peakStreamsPerHour,
          lossRate,
          duplicateRate,
          lateRate,
          malformedRate,
          capabilitiesIntervalMs,
          darkOrchestrator,
          trickleLossRate,
          scheduledTester,
          testSlots);
    }

    private static void rate(List<String> errors, String name, double v) {
      if (!(v >= 0 && v <= 0.5)) {
        errors.add(name + ": expected 0..0.5, got " + v);
      }
    }
  }
}
