package dev.naap.sim;

import dev.naap.sim.Network.Gateway;
import dev.naap.sim.Network.Gpu;
import dev.naap.sim.Network.Orchestrator;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A simulated Livepeer AI network: a discrete-event simulation on a virtual clock that emits what
 * go-livepeer gateways publish to Kafka, and records its {@link GroundTruth}.
 *
 * <p>Deterministic: the same {@link SimConfig} gives the same messages, byte for byte, in the same
 * order (the {@link Pacer} only decides when they are sent). One instance runs once; not
 * thread-safe, except {@link #stop()}, which may be called from any thread.
 *
 * {@snippet :
 * SimConfig config = SimConfig.builder().seed(7).duration(Duration.ofHours(2)).build();
 * GroundTruth truth = new Simulator(config).run(new FileSink(Path.of("events.ndjson")));
 * }
 */
public final class Simulator {

  /*
   * Implementation notes. Everything happens in one loop over a priority queue of (virtual time,
   * sequence) entries: stream arrivals per gateway (a Poisson process thinned by a daily cycle that
   * peaks at 18:00 UTC and bottoms at a quarter of the peak at 06:00), capability snapshots per
   * gateway, the dark orchestrator's outage, and the streams themselves. A stream keeps one entry
   * at its next due time; when something outside it changes its plans (its orchestrator goes dark)
   * it gets a new entry, and the stale one is recognised by its time and skipped. Every random
   * draw comes from a source split from the seed in a fixed order, so runs repeat exactly.
   */

  private record Entry(long timeMs, long seq, StreamSession session, Runnable action) {}

  private final SimConfig config;
  private final Rng root;
  final Network network;
  final TruthRecorder truth;
  Emitter emitter;
  private final Rng arrivals;
  private final Rng streams;
  private final Rng misc;
  private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) ->
      a.timeMs != b.timeMs ? Long.compare(a.timeMs, b.timeMs) : Long.compare(a.seq, b.seq));
  private final Map<Orchestrator, Set<StreamSession>> active = new IdentityHashMap<>();
  private final Set<StreamSession> all = new LinkedHashSet<>();
  private long seq;
  private long nowMs;
  private volatile boolean stopRequested;
  private volatile boolean running;
  private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> inbox =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final Map<String, StreamSession> external = new java.util.HashMap<>();
  private Pacer pacer = Pacer.none();
  private boolean ran;

  public Simulator(SimConfig config) {
    this.config = config;
    this.root = new Rng(config.seed());
    // The network's source is the first split of its own seed: the seed's first split when the
    // two are one. That split is drawn from the root either way, so the sources below stay put.
    root.split();
    this.network = Network.build(config, new Rng(config.networkSeed()).split());
    this.truth = new TruthRecorder(network.orchestrators.size());
    this.arrivals = root.split();
    this.streams = root.split();
    this.misc = root.split();
  }

  /** Runs the whole span as fast as possible into {@code sink}; returns the ground truth. */
  public GroundTruth run(EventSink sink) {
    return run(sink, Pacer.none());
  }

  /**
   * Runs the whole span (or until {@link #stop()} or an interrupt) into {@code sink}, paced by
   * {@code pacer}. Events held back as late are sent at the end; streams still open are counted as
   * open in the ground truth. The sink is not closed.
   */
  public GroundTruth run(EventSink sink, Pacer pacer) {
    if (ran) {
      throw new IllegalStateException("a Simulator runs once; create a new one");
    }
    ran = true;
    this.pacer = pacer;
    running = true;
    Delivery delivery = new Delivery(config, root.split(), sink, truth);
    emitter = new Emitter(root.split(), delivery);
    long start = config.startMs();
    long end = start + config.durationMs();
    for (Gateway gw : network.gateways) {
      scheduleArrival(gw, start);
      long first = start + 3_000 + gw.index() * 7_000L;
      for (long t = first; t < end; t += config.capabilitiesIntervalMs()) {
        long at = t;
        schedule(at, () -> emitter.emit(at, gw, at, "network_capabilities", null, listed(at)));
      }
      if (gw.tester() && config.scheduledTester()) {
        scheduleTesterStream(gw, start + 60_000 + gw.index() * 97_000L);
      }
    }
    scheduleDarkOrchestrator(start, end);
    try {
      while (!queue.isEmpty() && queue.peek().timeMs < end && !stopRequested) {
        Entry e = queue.peek();
        if (e.session != null && e.session.scheduledAtMs != e.timeMs) {
          queue.poll();
          continue;
        }
        long waitNanos = pacer.waitNanos(e.timeMs);
        drainInbox(e.timeMs);
        if (queue.peek() != e) {
          continue; // a handed-in task (a stream started over HTTP) queued something earlier
        }
        if (waitNanos > 0) {
          java.util.concurrent.TimeUnit.NANOSECONDS.sleep(Math.min(waitNanos, 20_000_000L));
          continue;
        }
        queue.poll();
        nowMs = e.timeMs;
        delivery.advanceTo(nowMs);
        if (e.session != null) {
          e.session.scheduledAtMs = -1;
          e.session.fire(nowMs);
          reschedule(e.session);
        } else {
          e.action.run();
        }
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
    for (StreamSession s : List.copyOf(all)) {
      s.abandon();
    }
    running = false;
    for (Runnable r; (r = inbox.poll()) != null; ) {
      r.run();
    }
    delivery.flush();
    return truth.snapshot(config, network);
  }

  /**
   * Runs {@code task} on the simulation thread at the virtual time matching the wall clock, and
   * completes the future with its result; fails it when the simulation is not running. Safe from
   * any thread: this is how the gateway HTTP surface talks to a live run.
   */
  public <T> java.util.concurrent.CompletableFuture<T> submit(java.util.function.Supplier<T> task) {
    var f = new java.util.concurrent.CompletableFuture<T>();
    Runnable command = () -> {
      if (!running) {
        f.completeExceptionally(new IllegalStateException("the simulation is not running"));
        return;
      }
      try {
        f.complete(task.get());
      } catch (RuntimeException ex) {
        f.completeExceptionally(ex);
      }
    };
    inbox.add(command);
    if (!running && inbox.remove(command)) {
      f.completeExceptionally(new IllegalStateException("the simulation is not running"));
    }
    return f;
  }

  private void drainInbox(long nextEventMs) {
    for (Runnable r; (r = inbox.poll()) != null; ) {
      nowMs = Math.min(nextEventMs, Math.max(nowMs, pacer.virtualNowMs(nowMs)));
      r.run();
    }
  }

  /**
   * Starts a stream driven from outside (the gateway's {@code /start}); simulation thread only.
   * {@code name} is the stream key used by {@code /update}; the returned session's stream id is
   * used by {@code /status}.
   */
  StreamSession startExternal(int gateway, String name, Pipeline pipeline,
      Map<String, Object> params, String streamId, String pin, long durationMs) {
    Rng rng = streams.split();
    Gateway gw = network.gateways.get(gateway);
    StreamSession s = new StreamSession(this, rng, gw, pipeline, gw.region(), nowMs,
        new StreamSession.External(streamId, params, pin, durationMs, true));
    all.add(s);
    external.values().removeIf(x -> x.closed() && nowMs - x.closedAtMs() > 60_000);
    external.put(name, s);
    external.put("id:" + s.streamId, s);
    s.start();
    reschedule(s);
    return s;
  }

  /** An externally started stream by name (or "id:" + stream id); simulation thread only. */
  StreamSession external(String key) {
    StreamSession s = external.get(key);
    return s == null || (s.closed() && nowMs - s.closedAtMs() > 60_000) ? null : s;
  }

  /** Applies a client's {@code /update}; simulation thread only. */
  void updateExternal(StreamSession s, Map<String, Object> params) {
    s.externalUpdate(nowMs, params);
    reschedule(s);
  }

  /** Asks a running {@link #run} to finish at the next event; safe from any thread. */
  public void stop() {
    stopRequested = true;
  }

  // ---------------------------------------------------------------- scheduling

  private void schedule(long atMs, Runnable action) {
    queue.add(new Entry(atMs, seq++, null, action));
  }

  private void reschedule(StreamSession s) {
    long next = s.nextTimeMs();
    if (next < 0) {
      all.remove(s);
      return;
    }
    if (s.scheduledAtMs < 0 || next < s.scheduledAtMs) {
      s.scheduledAtMs = next;
      queue.add(new Entry(next, seq++, s, null));
    }
  }

  /** The daily demand cycle: 1 at 18:00 UTC, 0.25 at 06:00 UTC. */
  static double dailyCycle(long ms) {
    double hour = (ms % 86_400_000L) / 3_600_000.0;
    return 0.25 + 0.75 * (0.5 + 0.5 * Math.cos(2 * Math.PI * (hour - 18) / 24));
  }

  private void scheduleArrival(Gateway gw, long fromMs) {
    double peakPerMs = config.peakStreamsPerHour() * gw.demandShare() / 3_600_000.0;
    if (peakPerMs <= 0) {
      return;
    }
    long t = fromMs;
    do {
      t += Math.max(1, Math.round(arrivals.exponential(1 / peakPerMs)));
    } while (!arrivals.chance(dailyCycle(t)));
    long at = t;
    schedule(at, () -> {
      arrive(gw, at);
      scheduleArrival(gw, at);
    });
  }

  private void arrive(Gateway gw, long now) {
    double[] demand = new double[Pipeline.values().length];
    for (Pipeline p : Pipeline.values()) {
      demand[p.ordinal()] = p.demandShare;
    }
    Rng rng = streams.split();
    Pipeline pipeline = Pipeline.values()[rng.weighted(demand)];
    Network.Region client = rng.chance(0.6) ? gw.region() : rng.pick(Network.REGIONS);
    StreamSession s = new StreamSession(this, rng, gw, pipeline, client, now);
    all.add(s);
    s.start();
    reschedule(s);
  }

  /** A scheduled tester: a test stream through its gateway every 5 minutes, over the pipelines. */
  private void scheduleTesterStream(Gateway gw, long at) {
    schedule(
        at,
        () -> {
          Rng rng = streams.split();
          Pipeline pipeline =
              Pipeline.values()[(int) (at / TESTER_PERIOD_MS % Pipeline.values().length)];
          // The id is the start's unix time in ns, as the tester's.
          String id = "aiJobTesterStream-" + (at * 1_000_000L + rng.between(0, 999_999));
          StreamSession s =
              new StreamSession(
                  this,
                  rng,
                  gw,
                  pipeline,
                  gw.region(),
                  at,
                  new StreamSession.External(id, null, "", rng.between(60_000, 120_000), false));
          all.add(s);
          s.start();
          reschedule(s);
          scheduleTesterStream(gw, at + TESTER_PERIOD_MS);
        });
  }

  private static final long TESTER_PERIOD_MS = 5 * 60_000L;

  private void scheduleDarkOrchestrator(long start, long end) {
    if (!config.darkOrchestrator() || network.orchestrators.size() < 2) {
      return;
    }
    Orchestrator o = network.orchestrator(misc.below(network.orchestrators.size()));
    long from = start + config.durationMs() * 2 / 5;
    long to = Math.min(end, from + 2 * 3_600_000L);
    truth.dark(o, from, to);
    schedule(from, () -> {
      o.dark = true;
      for (StreamSession s : List.copyOf(active.getOrDefault(o, Set.of()))) {
        s.orchestratorDark(from);
        reschedule(s);
      }
    });
    schedule(to, () -> o.dark = false);
  }

  void attach(StreamSession s, Orchestrator o) {
    active.computeIfAbsent(o, k -> new LinkedHashSet<>()).add(s);
  }

  void detach(StreamSession s, Orchestrator o) {
    Set<StreamSession> set = active.get(o);
    if (set != null) {
      set.remove(s);
    }
  }

  // ---------------------------------------------------------------- capabilities

  /**
   * Every simulated orchestrator's region as an operator's region mapping (docs/SCRAPER.md): one
   * {@code host region} line per node. Simulated hosts exist on no network, so a scraper of
   * the simulated gateway learns their regions from this, as from an operator who knows them.
   */
  public String regionMapping() {
    // By node host: one signer fronts nodes in several regions, as on the real network.
    StringBuilder out = new StringBuilder("# simulated orchestrator nodes: host, region\n");
    for (Orchestrator o : network.orchestrators) {
      out.append(java.net.URI.create(o.url).getHost())
          .append(' ')
          .append(o.region.name())
          .append('\n');
    }
    return out.toString();
  }

  /**
   * The reachable orchestrators as {@code common.OrchNetworkCapabilities} elements (the shape of
   * {@code network_capabilities} and of {@code /getNetworkCapabilities}'s {@code orchestrators}).
   */
  List<Map<String, Object>> capabilities() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Orchestrator o : network.orchestrators) {
      if (!o.dark) {
        list.add(capabilities(o, nowMs));
      }
    }
    return list;
  }

  /**
   * A {@code network_capabilities} snapshot at {@code nowMs}: as {@link #capabilities()}, but a
   * rarely listed orchestrator only once in {@link Network#STALE_LISTING_MS}, so its latest
   * snapshot ages past NaaP's staleness limit, as on the real network.
   */
  private List<Map<String, Object>> listed(long nowMs) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Orchestrator o : network.orchestrators) {
      if (!o.dark && (!o.rarelyListed || o.lastListedMs < 0
          || nowMs - o.lastListedMs >= Network.STALE_LISTING_MS)) {
        list.add(capabilities(o, nowMs));
        o.lastListedMs = nowMs;
      }
    }
    return list;
  }

  private static Map<String, Object> capabilities(Orchestrator o, long nowMs) {
    Map<Pipeline, List<Gpu>> byPipeline = new LinkedHashMap<>();
    int slots = 0;
    for (Gpu g : o.gpus) {
      byPipeline.computeIfAbsent(g.pipeline, k -> new ArrayList<>()).add(g);
      slots += g.slots;
    }
    Map<String, Object> capacities = Emitter.struct();
    for (int id : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 26}) {
      capacities.put(Integer.toString(id), 1);
    }
    capacities.put("35", slots);
    Map<String, Object> models = Emitter.goMap();
    List<Map<String, Object>> prices = new ArrayList<>();
    List<Map<String, Object>> hardware = new ArrayList<>();
    byPipeline.forEach((p, gpus) -> {
      int total = gpus.stream().mapToInt(g -> g.slots).sum();
      int inUse = gpus.stream().mapToInt(g -> g.inUse).sum();
      Map<String, Object> m = Emitter.struct();
      m.put("warm", true);
      if (total - inUse > 0) {
        m.put("capacity", total - inUse);
      }
      m.put("runnerVersion", "0.14.1");
      if (inUse > 0) {
        m.put("capacityInUse", inUse);
      }
      models.put(p.id, m);
      Map<String, Object> price = Emitter.struct();
      price.put("pricePerUnit", o.priceAt(nowMs));
      price.put("pixelsPerUnit", 1);
      price.put("capability", 35);
      price.put("constraint", p.id);
      prices.add(price);
      // One hardware entry per runner, its GPU under the key "0" as every real runner reports
      // it: the GPU id, not the key, tells GPUs apart.
      for (Gpu g : gpus) {
        for (int r = 0; r < g.runners.size(); r++) {
          Map<String, Object> info = Emitter.struct();
          info.put("id", g.uuid);
          info.put("name", g.model.nvmlName);
          info.put("major", g.model.major);
          if (g.model.minor != 0) {
            info.put("minor", g.model.minor);
          }
          info.put("memory_free", g.memoryFreeBytes);
          info.put("memory_total", g.model.memoryTotalBytes);
          Map<String, Object> hw = Emitter.struct();
          hw.put("pipeline", "live-video-to-video");
          hw.put("model_id", p.id);
          hw.put("gpu_info", Emitter.obj("0", info));
          hardware.add(hw);
        }
      }
    });
    Map<String, Object> constraints = Emitter.struct();
    constraints.put("minVersion", "0.8.8");
    constraints.put("PerCapability", Emitter.obj("35", Emitter.obj("models", models)));
    Map<String, Object> caps = Emitter.struct();
    caps.put("bitstring", List.of(34_426_871_807L));
    caps.put("capacities", capacities);
    caps.put("version", "0.8.8");
    caps.put("constraints", constraints);
    Map<String, Object> e = Emitter.struct();
    e.put("address", o.onChainAddress);
    e.put("local_address", o.signerAddress);
    e.put("orch_uri", o.url);
    e.put("capabilities", caps);
    e.put("capabilities_prices", prices);
    e.put("hardware", hardware);
    return e;
  }

  SimConfig config() {
    return config;
  }

  /** Virtual time of the event being simulated. */
  long nowMs() {
    return nowMs;
  }
}
