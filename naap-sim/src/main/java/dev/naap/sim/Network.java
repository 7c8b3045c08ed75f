package dev.naap.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The simulated network: regions, gateways, orchestrators and their GPUs, built from a seed, plus
 * the live state the simulation changes (containers in use, suspensions, dark orchestrators).
 * Not thread-safe: owned by the simulation loop.
 */
final class Network {

  record Region(String name, String continent) {}

  static final List<Region> REGIONS = List.of(
      new Region("us-east", "na"), new Region("us-west", "na"),
      new Region("eu-central", "eu"), new Region("eu-west", "eu"),
      new Region("ap-southeast", "ap"), new Region("ap-northeast", "ap"),
      new Region("sa-east", "sa"), new Region("af-south", "af"));
  private static final double[] ORCH_REGION_WEIGHTS = {0.2, 0.16, 0.2, 0.14, 0.1, 0.1, 0.06, 0.04};

  /**
   * A gateway. {@code host} is the envelope {@code gateway} value ("" when {@code -gatewayHost} is
   * unset); {@code optionalFields} gateways run the upstream data-quality fixes and add
   * {@code gpu_id}, {@code orchestrator_info.region} and {@code is_test_load}.
   */
  record Gateway(int index, String host, String senderAddress, Region region, double demandShare,
      boolean optionalFields, boolean reportsRtt, NoOrchestratorForm noOrchestratorForm,
      boolean integerTimestamps, boolean tester) {}

  /**
   * How a gateway says it found no orchestrator: the {@code gateway_no_orchestrators_available}
   * trace (and an error), or, as go-livepeer since late February 2026, only an
   * {@code ai_stream_events} error "no orchestrators available within 2s timeout" about 2 s after
   * the request.
   */
  enum NoOrchestratorForm { TRACE, TIMEOUT_ERROR }

  /**
   * One runner container on a GPU. Its restart counter and times belong to the container, not to
   * a stream: they carry over from one stream to the next, as a real runner's do.
   */
  static final class Runner {
    final Gpu gpu;
    int restartCount;
    Long lastRestartRunnerMs;
    Long lastOutputRunnerMs;
    boolean busy;
    long coolUntilMs;

    Runner(Gpu gpu) {
      this.gpu = gpu;
    }
  }

  /**
   * One GPU serving one pipeline with {@code slots} warm containers the gateway may fill, then any
   * test containers (SimConfig.testSlots) that only streams pinned to its orchestrator may use.
   */
  static final class Gpu {
    final Orchestrator orchestrator;
    final int device;
    final String uuid;
    final GpuModel model;
    final Pipeline pipeline;
    final int slots;
    final double factor;
    final long memoryFreeBytes;
    final List<Runner> runners = new ArrayList<>();
    int inUse;

    Gpu(Orchestrator o, int device, String uuid, GpuModel model, Pipeline pipeline, int slots,
        double factor, long memoryFreeBytes) {
      this.orchestrator = o;
      this.device = device;
      this.uuid = uuid;
      this.model = model;
      this.pipeline = pipeline;
      this.slots = slots;
      this.factor = factor;
      this.memoryFreeBytes = memoryFreeBytes;
      for (int i = 0; i < slots; i++) {
        runners.add(new Runner(this));
      }
    }

    /** Adds the containers kept for pinned (test) streams; they draw nothing from the seed. */
    void addTestRunners(int n) {
      for (int i = 0; i < n; i++) {
        runners.add(new Runner(this));
      }
    }

    /**
     * An idle runner that is not coming back from a restart, or null; a pinned stream may also
     * take a test container.
     */
    Runner freeRunner(long nowMs, boolean pinned) {
      int limit = pinned ? runners.size() : slots;
      for (int i = 0; i < limit; i++) {
        Runner r = runners.get(i);
        if (!r.busy && r.coolUntilMs <= nowMs) {
          return r;
        }
      }
      return null;
    }

    /** Output fps this GPU sustains for its pipeline when input is not the limit. */
    double capabilityFps() {
      return model.fps(pipeline) * factor;
    }
  }

  /** One orchestrator and its true (hidden) behaviour. */
  static final class Orchestrator {
    /** How long a moving price holds (see {@link #priceAt}). */
    static final long PRICE_STEP_MS = 6 * 3_600_000L;
    final int index;
    final String signerAddress;
    final String onChainAddress;
    final String url;
    final Region region;
    final List<Gpu> gpus = new ArrayList<>();
    final double failureProbability;
    final double slowProbability;
    final double runnerErrorsPerHour;
    final long runnerSkewMs;
    final long pricePerPixelWei;
    final long[] suspendedUntilMs;
    /** Listed in capability snapshots only every {@link #STALE_LISTING_MS}: its snapshot ages. */
    final boolean rarelyListed;
    /** When a {@code network_capabilities} event last listed it (-1: never). */
    long lastListedMs = -1;
    boolean dark;

    Orchestrator(int index, String signerAddress, String onChainAddress, String url, Region region,
        double failureProbability, double slowProbability, double runnerErrorsPerHour,
        long runnerSkewMs, long pricePerPixelWei, int gateways, boolean rarelyListed) {
      this.index = index;
      this.signerAddress = signerAddress;
      this.onChainAddress = onChainAddress;
      this.url = url;
      this.region = region;
      this.failureProbability = failureProbability;
      this.slowProbability = slowProbability;
      this.runnerErrorsPerHour = runnerErrorsPerHour;
      this.runnerSkewMs = runnerSkewMs;
      this.pricePerPixelWei = pricePerPixelWei;
      this.suspendedUntilMs = new long[gateways];
      this.rarelyListed = rarelyListed;
    }

    /**
     * The price it advertises at {@code ms}: every third orchestrator moves its price every {@link
     * #PRICE_STEP_MS} (80 % to 120 % of its base, in steps of 10 %), the others keep theirs.
     */
    long priceAt(long ms) {
      if (index % 3 != 1) {
        return pricePerPixelWei;
      }
      return pricePerPixelWei
          * (8 + Math.floorMod(Math.floorDiv(ms, PRICE_STEP_MS) + index, 5))
          / 10;
    }

    /**
     * Its tickets' face value: 0.0024 ETH (printed in WEI), or 0.012 ETH (printed in ETH) for every
     * fourth.
     */
    long faceValueWei() {
      return index % 4 == 2 ? 12_000_000_000_000_000L : 2_400_000_000_000_000L;
    }

    /** {@code orchestrator_info.address}: the signer address, lower-cased as hexutil prints it. */
    String infoAddress() {
      return signerAddress.toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * A discovery answer: the orchestrators asked, sorted by latency, and the GPU chosen (or null).
   */
  record Selection(Gpu gpu, List<Candidate> candidates) {}

  record Candidate(Orchestrator orchestrator, long latencyMs) {}

  final List<Gateway> gateways;
  final List<Orchestrator> orchestrators;
  private Network(List<Gateway> gateways, List<Orchestrator> orchestrators) {
    this.gateways = gateways;
    this.orchestrators = orchestrators;
  }

  /** A rarely listed orchestrator appears in a capability snapshot once in this long. */
  static final long STALE_LISTING_MS = 6 * 3_600_000L;

  static Network build(SimConfig config, Rng rng) {
    NoOrchestratorForm trace = NoOrchestratorForm.TRACE;
    NoOrchestratorForm timeout = NoOrchestratorForm.TIMEOUT_ERROR;
    List<Gateway> gateways =
        List.of(
            new Gateway(
                0,
                "",
                rng.mixedCaseAddress(),
                REGIONS.get(0),
                0.5,
                false,
                false,
                trace,
                false,
                false),
            new Gateway(
                1,
                "gateway-eu.livepeer-sim.net",
                rng.mixedCaseAddress(),
                REGIONS.get(2),
                0.3,
                false,
                true,
                timeout,
                false,
                false),
            new Gateway(
                2,
                "gateway-ap.livepeer-sim.net",
                rng.mixedCaseAddress(),
                REGIONS.get(4),
                0.2,
                true,
                true,
                trace,
                false,
                false),
            // A scheduled tester's gateways: their own streams only, never flagged as test load.
            new Gateway(
                3,
                "cloud-spe-ai-live-video-tester-fra",
                rng.mixedCaseAddress(),
                REGIONS.get(2),
                0,
                false,
                true,
                timeout,
                true,
                true),
            new Gateway(
                4,
                "cloud-spe-ai-live-video-tester-mdw",
                rng.mixedCaseAddress(),
                REGIONS.get(0),
                0,
                false,
                true,
                timeout,
                true,
                true),
            new Gateway(
                5,
                "cloud-spe-ai-live-video-tester-sea",
                rng.mixedCaseAddress(),
                REGIONS.get(1),
                0,
                false,
                true,
                timeout,
                true,
                true));
    int n = config.orchestrators();
    int[] gpuCount = new int[n];
    java.util.Arrays.fill(gpuCount, 1);
    for (int extra = config.gpus() - n; extra > 0; extra--) {
      gpuCount[rng.below(n)]++;
    }
    double[] supply = new double[Pipeline.values().length];
    for (Pipeline p : Pipeline.values()) {
      supply[p.ordinal()] = p.supplyShare;
    }
    GpuModel[] models = GpuModel.values();
    List<Orchestrator> orchestrators = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Region region = REGIONS.get(rng.weighted(ORCH_REGION_WEIGHTS));
      String signer = rng.mixedCaseAddress();
      String onChain = rng.chance(0.3) ? signer : rng.mixedCaseAddress();
      // One signer often fronts several nodes: in every ten, nodes 1-3 join node 0's signer
      // (four numbered hosts) and node 6 joins node 5's on another domain.
      int m10 = i % 10;
      if (m10 >= 1 && m10 <= 3 || m10 == 6) {
        Orchestrator front = orchestrators.get(i - 1);
        signer = front.signerAddress;
        onChain = front.onChainAddress;
      }
      String url =
          String.format(
              "https://orch-%02d.%s.livepeer-sim.%s:%d",
              i,
              region.name(),
              m10 == 6 ? "org" : "net",
              rng.chance(0.6) ? 8935 : 18935 + 10_000 * (int) rng.between(0, 1));
      // Most orchestrators are reliable; every seventh is flaky, every eleventh is slow.
      double failure = i % 7 == 3 ? rng.uniform(0.08, 0.25) : rng.uniform(0.002, 0.03);
      double slow = i % 11 == 5 ? rng.uniform(0.2, 0.4) : rng.uniform(0.0, 0.02);
      long skew = i % 13 == 8 ? rng.between(1_500, 3_000) * (rng.chance(0.5) ? -1 : 1)
          : Math.round(rng.gaussian(0, 120));
      Orchestrator o = new Orchestrator(i, signer, onChain, url, region, failure, slow,
          rng.uniform(0.1, 1.5), skew, rng.between(1_200, 2_600), gateways.size(), i % 8 == 6);
      GpuModel homogeneous = models[rng.below(models.length)];
      for (int d = 0; d < gpuCount[i]; d++) {
        GpuModel m = rng.chance(0.8) ? homogeneous : models[rng.below(models.length)];
        // Every pipeline is served by at least one GPU: the first GPUs cycle through them.
        Pipeline p = orchestrators.size() < supply.length && d == 0
            ? Pipeline.values()[i] : Pipeline.values()[rng.weighted(supply)];
        int slots =
            p == Pipeline.STREAMDIFFUSION && m.memoryTotalBytes > 30e9 && rng.chance(0.4) ? 2 : 1;
        long used = rng.between(500_000_000L, 20_000_000_000L);
        Gpu gpu = new Gpu(o, d, "GPU-" + uuidBody(rng), m, p, slots,
            rng.uniform(0.92, 1.06), m.memoryTotalBytes - Math.min(used, m.memoryTotalBytes / 2));
        for (Runner r : gpu.runners) {
          // A third of the containers restarted 1-13.6 h before the run and still say so.
          if (rng.chance(0.35)) {
            r.restartCount = (int) rng.between(1, 3);
            r.lastRestartRunnerMs = config.startMs() + skew
                - Math.round(rng.uniform(1.0, 13.6) * 3_600_000);
          }
        }
        gpu.addTestRunners(config.testSlots());
        o.gpus.add(gpu);
      }
      orchestrators.add(o);
    }
    return new Network(gateways, List.copyOf(orchestrators));
  }

  private static String uuidBody(Rng rng) {
    String h = rng.hex(32);
    return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-"
        + h.substring(16, 20) + "-" + h.substring(20);
  }

  static long latencyMs(Region a, Region b, Rng rng) {
    if (a.equals(b)) {
      return rng.between(12, 35);
    }
    return a.continent().equals(b.continent()) ? rng.between(35, 90) : rng.between(110, 260);
  }

  /**
   * Selects an orchestrator with an idle container for {@code pipeline}, as a gateway would: the
   * orchestrators advertising the pipeline that are reachable and not suspended by this gateway,
   * ranked by latency, the choice among the three closest with free capacity being random.
   */
  Selection select(
      Gateway gw, Pipeline pipeline, Region client, long nowMs, Orchestrator exclude, Rng rng) {
    return select(gw, pipeline, client, nowMs, exclude, "", rng);
  }

  /**
   * As above, restricted to orchestrators whose URL contains {@code pin} (the gateway's {@code
   * orchestrator=} query); a pinned stream may also take a GPU's test slots.
   */
  Selection select(Gateway gw, Pipeline pipeline, Region client, long nowMs, Orchestrator exclude,
      String pin, Rng rng) {
    List<Candidate> candidates = new ArrayList<>();
    for (Orchestrator o : orchestrators) {
      if (o.dark
          || o == exclude
          || o.suspendedUntilMs[gw.index()] > nowMs
          || !o.url.contains(pin)) {
        continue;
      }
      if (o.gpus.stream().anyMatch(g -> g.pipeline == pipeline)) {
        candidates.add(new Candidate(o, latencyMs(gw.region(), o.region, rng)
            + (o.region.equals(client) ? 0 : rng.between(0, 20))));
      }
    }
    candidates.sort(Comparator.comparingLong(Candidate::latencyMs)
        .thenComparingInt(c -> c.orchestrator().index));
    boolean pinned = !pin.isEmpty();
    List<Gpu> free = new ArrayList<>();
    for (Candidate c : candidates) {
      for (Gpu g : c.orchestrator().gpus) {
        if (g.pipeline == pipeline && g.freeRunner(nowMs, pinned) != null) {
          free.add(g);
          break;
        }
      }
      if (free.size() == 3) {
        break;
      }
    }
    Gpu chosen =
        free.isEmpty()
            ? null
            : free.get(rng.weighted(new double[] {0.6, 0.25, 0.15}) % free.size());
    return new Selection(
        chosen, List.copyOf(candidates.subList(0, Math.min(8, candidates.size()))));
  }

  Orchestrator orchestrator(int index) {
    return orchestrators.get(index);
  }
}
