package dev.naap.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Accumulates the {@link GroundTruth} while the simulation runs. Not thread-safe. */
final class TruthRecorder {

  private static final int REQUESTED = 0, STARTED = 1, NO_ORCH = 2, LOADING_ONLY = 3, SWAPPED = 4,
      OPEN = 5, FLAGGED = 6, TESTER = 7;

  private final Map<String, long[]> demand = new TreeMap<>();
  private final Map<String, long[]> delivery = new TreeMap<>();
  private final Map<String, Long> malformed = new TreeMap<>();
  private final Map<String, Fees> fees = new TreeMap<>();
  private final List<GroundTruth.PromptChange> promptChanges = new ArrayList<>();
  private final Map<Network.Gpu, double[]> gpuFps = new java.util.IdentityHashMap<>();
  private final long[] orchSessions;
  private final long[] orchFailed;
  private final long[] orchFailedAsDefined;
  private final long[] orchSwapsBack;
  // Per node index and pipeline: segments, failed segments, then per GPU resolution.
  private final Map<String, long[]> nodePipeline = new TreeMap<>();
  private final Map<String, Map<String, Long>> resolutions = new TreeMap<>();
  private final long[] darkFrom;
  private final long[] darkTo;
  // Per gateway host: the sessions' time summed (ms) and how many sessions each minute overlaps.
  private final Map<String, long[]> sessionMs = new TreeMap<>();
  private final Map<String, Map<Long, Long>> concurrent = new TreeMap<>();

  TruthRecorder(int orchestrators) {
    orchSessions = new long[orchestrators];
    orchFailed = new long[orchestrators];
    orchFailedAsDefined = new long[orchestrators];
    orchSwapsBack = new long[orchestrators];
    darkFrom = new long[orchestrators];
    darkTo = new long[orchestrators];
  }

  private long[] cell(Network.Gateway gw, Pipeline p, Network.Region r) {
    return demand.computeIfAbsent(gw.index() + "|" + p.id + "|" + r.name(), k -> new long[8]);
  }

  void requested(
      Network.Gateway gw, Pipeline p, Network.Region r, boolean flagged, boolean tester) {
    long[] c = cell(gw, p, r);
    c[REQUESTED]++;
    c[FLAGGED] += flagged ? 1 : 0;
    c[TESTER] += tester ? 1 : 0;
  }

  void started(Network.Gateway gw, Pipeline p, Network.Region r) { cell(gw, p, r)[STARTED]++; }

  void noOrchestrator(Network.Gateway gw, Pipeline p, Network.Region r) {
    cell(gw, p, r)[NO_ORCH]++;
  }

  void loadingOnly(Network.Gateway gw, Pipeline p, Network.Region r) {
    cell(gw, p, r)[LOADING_ONLY]++;
  }

  void swapped(Network.Gateway gw, Pipeline p, Network.Region r) { cell(gw, p, r)[SWAPPED]++; }

  void open(Network.Gateway gw, Pipeline p, Network.Region r) { cell(gw, p, r)[OPEN]++; }

  /**
   * A session's time [first, last] (unix ms, docs/METRICS.md "Network demand"): it counts in every
   * minute from the one it starts in to the one it ends in, both included.
   */
  void sessionTime(Network.Gateway gw, long firstMs, long lastMs) {
    sessionMs.computeIfAbsent(gw.host(), k -> new long[1])[0] += lastMs - firstMs;
    Map<Long, Long> minutes = concurrent.computeIfAbsent(gw.host(), k -> new TreeMap<>());
    for (long m = Math.floorDiv(firstMs, 60_000L) * 60_000L; m <= lastMs; m += 60_000L) {
      minutes.merge(m, 1L, Long::sum);
    }
  }

  /** One segment; {@code pipeline} null when no event of its stream named it. */
  void orchestratorSession(
      Network.Gpu gpu,
      Pipeline pipeline,
      boolean failed,
      boolean failedAsDefined,
      String gpuResolution,
      boolean swappedBack) {
    Network.Orchestrator o = gpu.orchestrator;
    orchSessions[o.index]++;
    if (failed) {
      orchFailed[o.index]++;
    }
    if (failedAsDefined) {
      orchFailedAsDefined[o.index]++;
    }
    if (swappedBack) {
      orchSwapsBack[o.index]++;
    }
    String key = nodeKey(o, pipeline == null ? "" : pipeline.id);
    long[] np = nodePipeline.computeIfAbsent(key, k -> new long[2]);
    np[0]++;
    np[1] += failedAsDefined ? 1 : 0;
    resolutions.computeIfAbsent(key, k -> new TreeMap<>()).merge(gpuResolution, 1L, Long::sum);
  }

  private static String nodeKey(Network.Orchestrator o, String pipeline) {
    return String.format("%06d|%s", o.index, pipeline);
  }

  void dark(Network.Orchestrator o, long fromMs, long toMs) {
    darkFrom[o.index] = fromMs;
    darkTo[o.index] = toMs;
  }

  void statusFps(Network.Gpu gpu, double fps) {
    if (fps > 0) {
      double[] a = gpuFps.computeIfAbsent(gpu, g -> new double[2]);
      a[0] += fps;
      a[1]++;
    }
  }

  void promptChange(String streamId, String orchestrator, long updateMs, long appliedMs) {
    promptChanges.add(new GroundTruth.PromptChange(streamId, orchestrator, updateMs, appliedMs));
  }

  /** Counts one generated event under its family and under family/subtype. */
  void generated(String key) { count(key, 0); }

  void lost(String key) { count(key, 1); }

  void duplicated(String key) { count(key, 2); }

  void late(String key) { count(key, 3); }

  /**
   * A delivered create_new_payment to {@code o}: its expected value (face x win probability x
   * tickets).
   */
  void payment(Network.Orchestrator o, java.math.BigDecimal expectedWei, int tickets) {
    Fees f = fees.computeIfAbsent(o.infoAddress(), k -> new Fees());
    f.payments++;
    f.tickets += tickets;
    f.expectedWei = f.expectedWei.add(expectedWei);
  }

  /** A delivered create_signed_ticket for {@code o}. */
  void signedTicket(
      Network.Orchestrator o, java.math.BigInteger computedWei, int tickets, double seconds) {
    Fees f = fees.computeIfAbsent(o.infoAddress(), k -> new Fees());
    f.signedTickets++;
    f.tickets += tickets;
    f.computedWei = f.computedWei.add(computedWei);
    f.billableSeconds += seconds;
  }

  private static final class Fees {
    long payments;
    long signedTickets;
    long tickets;
    java.math.BigDecimal expectedWei = java.math.BigDecimal.ZERO;
    java.math.BigInteger computedWei = java.math.BigInteger.ZERO;
    double billableSeconds;
  }

  void malformed(String kind) { malformed.merge(kind, 1L, Long::sum); }

  private void count(String key, int slot) {
    delivery.computeIfAbsent(key, k -> new long[4])[slot]++;
    int slash = key.indexOf('/');
    if (slash > 0) {
      delivery.computeIfAbsent(key.substring(0, slash), k -> new long[4])[slot]++;
    }
  }

  GroundTruth snapshot(SimConfig config, Network network) {
    List<GroundTruth.GatewayTruth> gws = network.gateways.stream()
        .map(g -> new GroundTruth.GatewayTruth(g.index(), g.host(), g.senderAddress(),
            g.region().name(), g.optionalFields(),
            g.noOrchestratorForm().name().toLowerCase(java.util.Locale.ROOT), g.integerTimestamps(),
            g.tester())).toList();
    List<GroundTruth.OrchestratorTruth> orchs = new ArrayList<>();
    List<GroundTruth.GpuTruth> gpus = new ArrayList<>();
    List<GroundTruth.NodePipelineTruth> nodes = new ArrayList<>();
    for (Network.Orchestrator o : network.orchestrators) {
      orchs.add(new GroundTruth.OrchestratorTruth(o.infoAddress(), o.onChainAddress, o.url,
          o.region.name(), o.failureProbability, o.slowProbability, o.runnerErrorsPerHour,
          o.runnerSkewMs, orchSessions[o.index], orchFailed[o.index], orchFailedAsDefined[o.index],
          orchSwapsBack[o.index], o.rarelyListed, darkFrom[o.index], darkTo[o.index]));
      for (Network.Gpu g : o.gpus) {
        double[] a = gpuFps.getOrDefault(g, new double[2]);
        gpus.add(
            new GroundTruth.GpuTruth(
                o.infoAddress(),
                o.url,
                g.uuid,
                g.model.nvmlName,
                g.pipeline.id,
                g.slots,
                g.capabilityFps(),
                a[1] == 0 ? 0 : a[0] / a[1],
                (long) a[1]));
      }
      for (Pipeline p : Pipeline.values()) {
        List<Network.Gpu> serving = o.gpus.stream().filter(g -> g.pipeline == p).toList();
        if (serving.isEmpty()) {
          continue;
        }
        String key = nodeKey(o, p.id);
        double sum = 0;
        long samples = 0;
        for (Network.Gpu g : serving) {
          double[] a = gpuFps.getOrDefault(g, new double[2]);
          sum += a[0];
          samples += (long) a[1];
        }
        long[] np = nodePipeline.getOrDefault(key, new long[2]);
        nodes.add(new GroundTruth.NodePipelineTruth(o.url, o.infoAddress(), p.id,
            serving.stream().map(g -> g.uuid).distinct().toList(), np[0], np[1], samples,
            samples == 0 ? 0 : sum / samples,
            new TreeMap<>(resolutions.getOrDefault(key, Map.of()))));
      }
      long[] unnamed = nodePipeline.get(nodeKey(o, ""));
      if (unnamed != null) {
        // Segments of streams that never named their pipeline: no model, so no GPU.
        nodes.add(new GroundTruth.NodePipelineTruth(o.url, o.infoAddress(), "", List.of(),
            unnamed[0], unnamed[1], 0, 0, new TreeMap<>(resolutions.get(nodeKey(o, "")))));
      }
    }
    List<GroundTruth.DemandCell> cells = new ArrayList<>();
    demand.forEach((k, v) -> {
      String[] parts = k.split("\\|", -1);
      String host = network.gateways.get(Integer.parseInt(parts[0])).host();
      cells.add(new GroundTruth.DemandCell(host, parts[1], parts[2], v[REQUESTED], v[STARTED],
          v[NO_ORCH], v[LOADING_ONLY], v[SWAPPED], v[OPEN], v[FLAGGED], v[TESTER]));
    });
    Map<String, GroundTruth.DeliveryCount> del = new TreeMap<>();
    delivery.forEach((k, v) -> del.put(k, new GroundTruth.DeliveryCount(v[0], v[1], v[2], v[3])));
    List<GroundTruth.FeeTruth> feeTruth = new ArrayList<>();
    fees.forEach(
        (signer, f) ->
            feeTruth.add(
                new GroundTruth.FeeTruth(
                    signer,
                    f.payments,
                    f.signedTickets,
                    f.tickets,
                    f.expectedWei.stripTrailingZeros().toPlainString(),
                    f.computedWei.toString(),
                    f.billableSeconds)));
    List<GroundTruth.SessionTime> times = new ArrayList<>();
    sessionMs.forEach((host, ms) -> times.add(
        new GroundTruth.SessionTime(host, ms[0], new TreeMap<>(concurrent.get(host)))));
    return new GroundTruth(
        config,
        config.seed(),
        config.startMs(),
        config.startMs() + config.durationMs(),
        gws,
        orchs,
        gpus,
        nodes,
        cells,
        del,
        new TreeMap<>(malformed),
        List.copyOf(promptChanges),
        List.copyOf(feeTruth),
        List.copyOf(times));
  }
}
