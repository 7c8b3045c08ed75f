package dev.naap.sim;

import dev.naap.sim.Network.Gateway;
import dev.naap.sim.Network.Gpu;
import dev.naap.sim.Network.Orchestrator;
import dev.naap.sim.Network.Region;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.LongConsumer;

/**
 * One live video-to-video stream, from the client's request to the close of its ingest, as the
 * gateway and the runners serving it report it. Not thread-safe: driven by the simulation loop.
 *
 * <p>Lifecycle (gateway clock; runner timestamps add the orchestrator's skew):
 *
 * <pre>
 * request ─► selection ─► [orchestrator session: discovery, payment, first ingest, runner first
 *   ingest, runner first processed, gateway first processed, few processed; status every 10 s,
 *   payments, runner errors/restarts] ─► swap (slow, watchdog, dark) ─► next orchestrator session
 *   … ─► ingest closed
 * </pre>
 *
 * Ingest metrics (every 5 s) and prompt changes belong to the stream and continue across swaps. An
 * orchestrator session is healthy, loading only (never outputs) or crashing (runner errors and
 * restarts, no output), drawn once from the orchestrator's failure probability.
 */
final class StreamSession {

  /** Pixels per second go-livepeer bills a live stream at: 1280x720 at 30 frames/s. */
  static final long BILLED_PIXELS_PER_SECOND = 1280L * 720 * 30;
  /** eth.FormatUnits prints ETH from 0.01 ETH on. */
  private static final long FACE_IN_ETH_FROM_WEI = 10_000_000_000_000_000L;

  /**
   * The gateway (gateway-ap) that pays through a remote signer: create_signed_ticket, no payments.
   */
  static final int REMOTE_SIGNER_GATEWAY = 2;

  /**
   * How an orchestrator session goes. {@code TRICKLE_LOST}: the gateway's trickle subscription
   * finds no stream right after the first ingest ("stream not found"), it swaps and re-selects the
   * same orchestrator, which then serves; drawn only for sessions that would have been healthy.
   */
  private enum Outcome { HEALTHY, LOADING_ONLY, CRASH, TRICKLE_LOST }

  private record OneShot(long atMs, long seq, int epoch, LongConsumer action) {}

  private static final long STATUS_PERIOD_MS = 10_000;
  private static final long METRICS_PERIOD_MS = 5_000;
  private static final long WATCHDOG_MS = 30_000;
  /**
   * Request to first ingest of a stream's first orchestrator session: client set-up and selection,
   * 9-19 s on the real network. A stream started over the HTTP surface skips the client set-up:
   * MediaMTX calls the start hook once the publisher is connected.
   */
  static final long SELECTION_WAIT_MIN_MS = 9_000, SELECTION_WAIT_MAX_MS = 19_000;
  /** A runner that restarted during a session is not selected again for this long (recreated). */
  private static final long RESTART_COOL_DOWN_MS = 30_000;

  private final Simulator sim;
  private final Rng rng;
  final Gateway gw;
  final Pipeline pipeline;
  final Region client;
  final String streamId;
  final String requestId;
  private final boolean testLoad;

  /**
   * A scheduled tester's stream ({@code aiJobTesterStream-…}): test load by rule, never flagged.
   */
  private final boolean testerStream;

  private final boolean viaHook;
  private final long endMs;
  private final double clientFps;
  private final boolean poorLink;
  private final double bitrateBps;
  private final long t0;
  private final String pin;
  private long closedAtMs = -1;
  // The session's time as NaaP reads it from the events delivered: [first, last] of any family,
  // but for the stray errors after a delivered close (docs/METRICS.md, "Network demand").
  private long firstEventMs = Long.MAX_VALUE;
  private long lastEventMs = Long.MIN_VALUE;
  private boolean closeDelivered;
  private Map<String, Object> lastStatus;
  private Object lastStats;
  private String lastGatewayError;
  private long lastGatewayErrorMs;
  private Map<String, Object> params;
  private String paramsHash;

  private final PriorityQueue<OneShot> pending = new PriorityQueue<>((a, b) ->
      a.atMs != b.atMs ? Long.compare(a.atMs, b.atMs) : Long.compare(a.seq, b.seq));
  private long oneShotSeq;
  long scheduledAtMs = -1;
  private boolean closed;
  private boolean noOrchReported;
  private boolean everOnline;
  private boolean fewProcessedSeen;
  private boolean swapReported;
  private int orchSessions;
  private final List<Long> swapTimes = new ArrayList<>();

  // Stream-level timers and counters.
  private long nextMetricsMs;
  private long nextParamsMs = -1;
  private long bytesIn;
  private long bytesOut;
  private long videoPackets;
  private long audioPackets;
  private long lostPackets;

  // The current orchestrator session; epoch invalidates one-shots of earlier sessions.
  private int epoch;
  Gpu gpu;
  private Outcome outcome;
  private long runnerStartMs;
  private long firstOutputMs = -1;
  private long nextStatusMs = -1;
  private long nextPaymentMs = -1;
  private long lastPaymentMs = -1;
  private long nextErrorMs = -1;
  private long slowAtMs = -1;
  private long watchdogMs = -1;
  private String watchdogReason = "";
  private int payments;
  private String sessionIdHex;
  private String manifestIdHex;
  private String state;
  private long stateSinceRunnerMs;
  private long lastStatusRunnerMs;
  private long paramsAppliedRunnerMs;
  // The params the runner last applied, as its status reports them.
  private Map<String, Object> runnerParams;
  private String runnerParamsHash;
  private long runnerParamsAppliedMs;
  private long lastParamsChangeMs = -1;
  private int sessionRestarts;
  private Network.Runner runner;
  private long runnerIngestMs = -1;
  // Where the stream's next selection starts from (the request, or the swap), for the 2 s timeout.
  private long selectionFromMs;
  // A swap back to the same orchestrator: the GPU to re-select.
  private Gpu reselect;
  private String lastUrl;

  /**
   * Started over the gateway's HTTP surface: its client, not the simulation, changes its prompt.
   */
  private final boolean external;

  // What the events emitted for the current orchestrator session show, for the ground truth.
  private boolean observed;
  private boolean sawIngest;
  private boolean sawOutput;
  private boolean sawTrouble;
  private boolean sawStatus;
  private long observedFromMs = -1;
  private long listedAtObserved = -1;
  private long lastObservedMs = -1;
  private Long lastErrorRunnerMs;
  private String lastError;
  private Long lastRestartRunnerMs;
  private List<String> lastRestartLogs;
  private boolean fatal;
  private Orchestrator excluded;
  private Gpu lastGpu;
  private boolean lastSwapBack;
  // This orchestrator session re-selected the node the stream just swapped away from.
  private boolean swappedBack;
  // Some event of the stream named its pipeline; segments wait for its end to be counted, as
  // whether they have a known model (for their GPU) depends on every event of the stream.
  private boolean pipelineNamed;
  private final List<Segment> segments = new ArrayList<>();

  private record Segment(Gpu gpu, boolean failed, boolean failedAsDefined, String gpuResolution,
      boolean swappedBack) {}

  /**
   * A stream started through the gateway HTTP surface: its id (blank: generated), params (null:
   * generated), orchestrator pin (URL substring, "" for any) and how long the client publishes.
   */
  record External(String streamId, Map<String, Object> params, String pin, long durationMs,
      boolean viaHook) {}

  StreamSession(Simulator sim, Rng rng, Gateway gw, Pipeline pipeline, Region client, long t0) {
    this(sim, rng, gw, pipeline, client, t0, null);
  }

  StreamSession(Simulator sim, Rng rng, Gateway gw, Pipeline pipeline, Region client, long t0,
      External ext) {
    this.sim = sim;
    this.rng = rng;
    this.gw = gw;
    this.pipeline = pipeline;
    this.client = client;
    this.t0 = t0;
    String generatedId = "stream-" + rng.alnum(6) + "-" + rng.alnum(8);
    this.streamId = ext != null && !ext.streamId().isBlank() ? ext.streamId() : generatedId;
    this.requestId = rng.hex(8);
    this.viaHook = ext != null && ext.viaHook();
    this.testLoad = gw.optionalFields() && (viaHook || rng.chance(0.1));
    this.testerStream = gw.tester();
    this.pin = ext == null ? "" : ext.pin();
    this.external = ext != null;
    long durationMs = ext != null ? ext.durationMs() : Math.round(Math.min(4 * 3_600_000.0,
        Math.max(8_000, rng.logNormal(150_000, 1.3))));
    this.endMs = t0 + durationMs;
    this.poorLink = rng.chance(0.08);
    this.clientFps = poorLink ? rng.uniform(9, 16) : rng.uniform(19, 30);
    this.bitrateBps = rng.uniform(0.7e6, 2.2e6);
    Map<String, Object> initial = Prompts.initial(pipeline, rng);
    this.params = ext != null && ext.params() != null ? ext.params() : initial;
    this.paramsHash = sim.emitter.paramsHash(params);
    this.nextMetricsMs = t0 + METRICS_PERIOD_MS + rng.between(250, 400);
  }

  // ---------------------------------------------------------------- scheduling

  /** The next virtual time this stream has something to do, or -1 when it is over. */
  long nextTimeMs() {
    if (closed) {
      return -1;
    }
    long next = endMs;
    if (!pending.isEmpty()) {
      next = Math.min(next, pending.peek().atMs);
    }
    for (long t : new long[] {nextMetricsMs, nextParamsMs, nextStatusMs, nextPaymentMs,
        nextErrorMs, slowAtMs, watchdogMs}) {
      if (t >= 0) {
        next = Math.min(next, t);
      }
    }
    return next;
  }

  private void at(long atMs, LongConsumer action) {
    pending.add(new OneShot(atMs, oneShotSeq++, epoch, action));
  }

  /** Does everything due at {@code now}. */
  void fire(long now) {
    while (!closed && !pending.isEmpty() && pending.peek().atMs <= now) {
      OneShot o = pending.poll();
      if (o.epoch == epoch) {
        o.action.accept(o.atMs);
      }
    }
    if (closed) {
      return;
    }
    if (nextStatusMs >= 0 && nextStatusMs <= now) {
      status(nextStatusMs);
    }
    if (nextMetricsMs >= 0 && nextMetricsMs <= now) {
      metrics(nextMetricsMs);
    }
    if (nextPaymentMs >= 0 && nextPaymentMs <= now) {
      payment(nextPaymentMs);
    }
    if (nextParamsMs >= 0 && nextParamsMs <= now) {
      paramsUpdate(nextParamsMs);
    }
    if (nextErrorMs >= 0 && nextErrorMs <= now) {
      runnerError(nextErrorMs);
    }
    if (slowAtMs >= 0 && slowAtMs <= now) {
      slowAtMs = -1;
      swap(now, "orchestrator is slow", false);
    }
    if (!closed && watchdogMs >= 0 && watchdogMs <= now) {
      watchdogMs = -1;
      swap(now, watchdogReason, false);
    }
    if (!closed && endMs <= now) {
      close(now, null);
    }
  }

  // ---------------------------------------------------------------- lifecycle

  /** The client's request reaches the gateway. */
  void start() {
    trace(t0, t0, "gateway_receive_stream_request", null);
    sim.truth.requested(gw, pipeline, client, testLoad, testerStream);
    selectionFromMs = t0;
    at(t0 + rng.between(150, 400), this::selectAndStart);
  }

  private void selectAndStart(long now) {
    Gpu back = reselect;
    reselect = null;
    if (back != null && back.freeRunner(now, !pin.isEmpty()) != null && !back.orchestrator.dark) {
      startOrchestratorSession(now + rng.between(50, 150), back);
      return;
    }
    Network.Selection sel = sim.network.select(gw, pipeline, client, now, excluded, pin, rng);
    if (sel.gpu() == null) {
      if (gw.noOrchestratorForm() == Network.NoOrchestratorForm.TIMEOUT_ERROR) {
        // No trace: only an error once the gateway's 2 s selection timeout has passed.
        at(selectionFromMs + rng.between(2_000, 2_150), t -> {
          noOrchestrator();
          gatewayError(t, "no orchestrators available within 2s timeout");
          at(t + rng.between(300, 2_000), t2 -> close(t2, null));
        });
        return;
      }
      trace(now, now, "gateway_no_orchestrators_available", null);
      noOrchestrator();
      gatewayError(now + 1, "no orchestrators available");
      long closeAt = now + rng.between(800, 4_000);
      at(closeAt, t -> close(t, null));
      return;
    }
    if (orchSessions == 0) {
      discovery(now + rng.between(200, 300), sel);
    }
    startOrchestratorSession(now + rng.between(250, 320), sel.gpu());
  }

  private void noOrchestrator() {
    if (!noOrchReported) {
      noOrchReported = true;
      sim.truth.noOrchestrator(gw, pipeline, client);
    }
  }

  private void startOrchestratorSession(long now, Gpu chosen) {
    epoch++;
    orchSessions++;
    swappedBack = lastSwapBack && lastGpu != null && lastGpu.orchestrator == chosen.orchestrator;
    lastSwapBack = false;
    gpu = chosen;
    gpu.inUse++;
    runner = gpu.freeRunner(now, !pin.isEmpty());
    runner.busy = true;
    lastUrl = gpu.orchestrator.url;
    sim.attach(this, gpu.orchestrator);
    Orchestrator o = gpu.orchestrator;
    double r = rng.uniform();
    outcome = r < o.failureProbability * 0.7 ? Outcome.LOADING_ONLY
        : r < o.failureProbability ? Outcome.CRASH : Outcome.HEALTHY;
    if (outcome == Outcome.HEALTHY && !swappedBack && rng.chance(sim.config().trickleLossRate())) {
      outcome = Outcome.TRICKLE_LOST;
    }
    sessionIdHex = rng.hex(8);
    manifestIdHex = rng.hex(8);
    payments = 0;
    sessionRestarts = 0;
    runnerIngestMs = -1;
    sawStatus = false;
    observedFromMs = -1;
    listedAtObserved = -1;
    lastObservedMs = -1;
    sawIngest = false;
    sawOutput = false;
    sawTrouble = false;
    lastErrorRunnerMs = null;
    lastError = null;
    lastRestartRunnerMs = null;
    lastRestartLogs = null;
    fatal = false;
    firstOutputMs = -1;
    slowAtMs = -1;
    nextErrorMs = -1;
    watchdogMs = -1;
    payment(now + 1);
    runnerStartMs = now + rng.between(40, 80);
    paramsAppliedRunnerMs = runnerStartMs + o.runnerSkewMs;
    state = "LOADING";
    stateSinceRunnerMs = runnerStartMs + o.runnerSkewMs;
    lastStatusRunnerMs = stateSinceRunnerMs;
    nextStatusMs = runnerStartMs + STATUS_PERIOD_MS;
    // The first ingest leaves once the client's media flows: 9-19 s after the request for a new
    // stream, at once after a swap (the media is already there).
    long firstIngest = orchSessions == 1 && !viaHook
        ? Math.max(now + 300, t0 + rng.between(SELECTION_WAIT_MIN_MS, SELECTION_WAIT_MAX_MS))
        : now + rng.between(200, 800);
    boolean replay = orchSessions > 1;
    at(firstIngest, t -> {
      trace(t, t, "gateway_send_first_ingest_segment", gpu);
      runnerIngestMs = t + rng.between(0, 1);
      trace(runnerIngestMs, t + 2 + o.runnerSkewMs, "runner_receive_first_ingest_segment", gpu);
      if (replay) {
        // The gateway replays the cached params to the new orchestrator's stream.
        paramsUpdateEvent(t + 2);
      }
    });
    // Orchestrator startup (first ingest to first processed segment): pipeline load and warm-up.
    long startup = Math.max(400, Math.min(8_000,
        Math.round(rng.logNormal(gpu.model.startupMs(pipeline), 0.35))));
    switch (outcome) {
      case HEALTHY -> {
        long runnerOut = firstIngest + startup;
        long gwFirst = runnerOut + rng.between(180, 420);
        at(runnerOut, t -> {
          firstOutputMs = t;
          trace(t + 1, t + o.runnerSkewMs, "runner_send_first_processed_segment", gpu);
        });
        at(gwFirst, t -> trace(t, t, "gateway_receive_first_processed_segment", gpu));
        at(gwFirst + rng.between(3_500, 4_600), t -> {
          trace(t, t, "gateway_receive_few_processed_segments", gpu);
          if (!fewProcessedSeen) {
            fewProcessedSeen = true;
            sim.truth.started(gw, pipeline, client);
          }
          if (nextParamsMs < 0 && !external) {
            // A stream started over HTTP changes prompts only when its client sends /update.
            nextParamsMs = t + Math.round(rng.exponential(75_000));
          }
        });
        if (rng.chance(o.slowProbability)) {
          slowAtMs = gwFirst + Math.round(rng.exponential(60_000));
        }
        // Runner errors happen while it processes, so from the first ingest on.
        nextErrorMs = firstIngest + Math.round(rng.exponential(3_600_000 / o.runnerErrorsPerHour));
      }
      case TRICKLE_LOST -> at(firstIngest + rng.between(600, 3_000), t -> swap(t, rng.pick(List.of(
          "trickle subscribe stopping, stream not found, err=End of stream",
          "trickle subscribe stopping, stream not found, err=stream not found")), true));
      case LOADING_ONLY -> {
        // Half the clients give up before the gateway's output watchdog fires.
        if (rng.chance(0.5)) {
          at(firstIngest + rng.between(8_000, 26_000), t -> close(t, "whip disconnected"));
        }
        armWatchdog(firstIngest + WATCHDOG_MS, "timeout waiting for segments");
      }
      case CRASH -> {
        long crash = firstIngest + rng.between(1_000, 4_000);
        at(crash, this::crashLoop);
        armWatchdog(firstIngest + WATCHDOG_MS, "timeout waiting for segments");
      }
    }
  }

  private void armWatchdog(long atMs, String reason) {
    watchdogMs = atMs;
    watchdogReason = reason;
  }

  /** A crashing runner: an error, then restarts until it gives up; it never outputs. */
  private void crashLoop(long now) {
    runnerErrorEvent(now, "Pipeline process exited unexpectedly (exit code 1)");
    if (sessionRestarts < 3) {
      at(now + rng.between(3_000, 8_000), t -> {
        restartEvent(t);
        at(t + rng.between(4_000, 9_000), this::crashLoop);
      });
    } else {
      fatal = true;
    }
  }

  /** The orchestrator stops answering: no more runner events; the gateway notices after 30 s. */
  void orchestratorDark(long now) {
    if (closed || gpu == null) {
      return;
    }
    epoch++;
    nextStatusMs = -1;
    nextPaymentMs = -1;
    nextErrorMs = -1;
    slowAtMs = -1;
    armWatchdog(
        now + WATCHDOG_MS + rng.between(0, 2_000), "trickle subscribe error, swapping: EOF");
  }

  /** Swaps away from the current orchestrator; {@code back}: the gateway re-selects it. */
  private void swap(long now, String reason, boolean back) {
    swapTimes.removeIf(t -> t < now - 180_000);
    if (swapTimes.size() >= 2) {
      close(now, reason);
      return;
    }
    swapTimes.add(now);
    selectionFromMs = now;
    Gpu old = gpu;
    observed(); // the swap event names the orchestrator it leaves
    gatewayError(now, reason);
    Map<String, Object> d = Emitter.goMap();
    d.put("message", reason);
    d.put("orchestrator_info", orchInfo(old));
    putPipeline(d);
    d.put("pipeline_id", "");
    d.put("request_id", requestId);
    d.put("stream_id", streamId);
    d.put("type", "orchestrator_swap");
    optional(d, null);
    emitOwn(now, now + 1, "stream_trace", "orchestrator_swap", d);
    if (!swapReported) {
      swapReported = true;
      sim.truth.swapped(gw, pipeline, client);
    }
    releaseOrchestrator(now);
    if (back) {
      reselect = old;
      lastSwapBack = true;
    } else {
      // A suspended orchestrator gets penalty 5; selection runs every 6 minutes: ~30 minutes out.
      old.orchestrator.suspendedUntilMs[gw.index()] = now + 30 * 60_000L;
      excluded = old.orchestrator;
    }
    at(now + rng.between(100, 400), this::selectAndStart);
  }

  private void releaseOrchestrator(long now) {
    epoch++;
    settleOrchestratorSession();
    if (gpu != null) {
      lastGpu = gpu;
      gpu.inUse--;
      runner.busy = false;
      if (sessionRestarts > 0) {
        runner.coolUntilMs = now + RESTART_COOL_DOWN_MS;
      }
      runner = null;
      sim.detach(this, gpu.orchestrator);
      gpu = null;
    }
    nextStatusMs = -1;
    nextPaymentMs = -1;
    nextErrorMs = -1;
    slowAtMs = -1;
    watchdogMs = -1;
  }

  /** The ingest ends: the client left, or the gateway gave up ({@code error} not null). */
  void close(long now, String error) {
    if (closed) {
      return;
    }
    if (error != null) {
      gatewayError(now, error);
    }
    releaseOrchestrator(now);
    trace(now + 1, now + 1, "gateway_ingest_stream_closed", null);
    if (lastUrl != null && rng.chance(0.2)) {
      // Stray errors after the close: no orchestrator_info, no capability; they belong to no
      // segment.
      strayError(
          now + rng.between(20, 900),
          "Error publishing, wrote "
              + rng.between(2_000, 90_000)
              + " dropping Post \""
              + lastUrl
              + "/ai/trickle/"
              + streamId
              + "\": connection reset by peer");
      if (rng.chance(0.5)) {
        strayError(now + rng.between(900, 2_500),
            "trickle subscribe error reading: Channel exists but sequence does not");
      }
    }
    if (orchSessions > 0 && !everOnline) {
      sim.truth.loadingOnly(gw, pipeline, client);
    }
    recordSegments();
    recordTime();
    closed = true;
    closedAtMs = now;
    nextMetricsMs = -1;
    nextParamsMs = -1;
    pending.clear();
  }

  /** The run ended with this stream still open. */
  void abandon() {
    if (!closed) {
      settleOrchestratorSession();
      recordSegments();
      recordTime();
      sim.truth.open(gw, pipeline, client);
      closed = true;
    }
  }

  boolean closed() {
    return closed;
  }

  long closedAtMs() {
    return closedAtMs;
  }

  /** A client's {@code /update}: new params now (cached until an orchestrator is attached). */
  void externalUpdate(long now, Map<String, Object> newParams) {
    params = newParams;
    paramsHash = sim.emitter.paramsHash(params);
    lastParamsChangeMs = now;
    if (gpu != null && !closed) {
      paramsUpdateEvent(now);
      sim.truth.promptChange(streamId, gpu.orchestrator.url, now,
          paramsAppliedRunnerMs - gpu.orchestrator.runnerSkewMs);
    } else {
      sim.truth.promptChange(streamId, "", now, -1);
    }
  }

  /**
   * What the gateway's {@code GET /live/video-to-video/{streamId}/status} answers: the last status
   * payload plus {@code gateway_status}.
   */
  Map<String, Object> gatewayStatus() {
    Map<String, Object> body = Emitter.goMap();
    if (lastStatus != null) {
      body.putAll(lastStatus);
    }
    Map<String, Object> gs = Emitter.goMap();
    gs.put("whep_url", "");
    gs.put("ingest_metrics", Emitter.obj("stats", lastStats));
    if (lastGatewayError != null) {
      gs.put(
          "error",
          Emitter.obj("error_message", lastGatewayError, "error_time", lastGatewayErrorMs));
    }
    body.put("gateway_status", gs);
    return body;
  }

  // ---------------------------------------------------------------- periodic reports

  private void status(long now) {
    observed();
    Orchestrator o = gpu.orchestrator;
    long rt = now + o.runnerSkewMs + rng.between(0, 15);
    // Before the first ingest reaches the runner there is no input: fps 0, last_input_time null.
    boolean input = runnerIngestMs >= 0 && runnerIngestMs <= now;
    double inFps = input ? Math.max(0, rng.gaussian(clientFps, clientFps * 0.04)) : 0;
    double outFps = 0;
    String newState;
    boolean recentError = lastErrorRunnerMs != null && rt - lastErrorRunnerMs < 15_000;
    boolean recentRestart = lastRestartRunnerMs != null && rt - lastRestartRunnerMs < 60_000;
    if (fatal || (outcome == Outcome.CRASH && lastErrorRunnerMs != null)) {
      newState = "ERROR";
    } else if (firstOutputMs < 0 || firstOutputMs > now) {
      newState = "LOADING";
    } else {
      double cap = gpu.capabilityFps() * rng.gaussian(1, 0.04);
      outFps = Math.max(0.5, Math.min(cap, inFps * rng.uniform(0.93, 0.99)));
      boolean reloading =
          lastParamsChangeMs >= 0 && now - lastParamsChangeMs < 10_000 && rng.chance(0.4);
      if (recentError || recentRestart || reloading) {
        outFps *= rng.uniform(0.45, 0.75);
        newState = "DEGRADED_INFERENCE";
      } else if (inFps < 15) {
        newState = "DEGRADED_INPUT";
      } else if (outFps < Math.min(10, 0.8 * inFps)) {
        newState = "DEGRADED_INFERENCE";
      } else {
        newState = "ONLINE";
      }
    }
    if (!newState.equals(state)) {
      state = newState;
      stateSinceRunnerMs = rt - rng.between(0, 9_000);
      stateSinceRunnerMs = Math.max(stateSinceRunnerMs, lastStatusRunnerMs);
    }
    if ("ONLINE".equals(state)) {
      everOnline = true;
    }
    sim.truth.statusFps(gpu, outFps);
    Map<String, Object> inference = Emitter.goMap();
    inference.put("fps", outFps);
    inference.put("last_error", lastError);
    sawOutput |= outFps > 0;
    sawStatus = true;
    // A restart counts only through its event (restartEvent): the counter is the container's.
    sawTrouble |= lastError != null || "ERROR".equals(state);
    inference.put("last_error_time", lastErrorRunnerMs);
    if (outFps > 0) {
      runner.lastOutputRunnerMs = rt - rng.between(20, 120);
    }
    // The runner's last output: on a stream's first statuses, the previous stream's.
    inference.put("last_output_time", runner.lastOutputRunnerMs);
    if (rt >= paramsAppliedRunnerMs) {
      // The runner reports only params it has applied: a change still on its way is not shown.
      runnerParams = params;
      runnerParamsHash = paramsHash;
      runnerParamsAppliedMs = paramsAppliedRunnerMs;
    }
    inference.put("last_params", runnerParams);
    inference.put("last_params_hash", runnerParamsHash);
    inference.put("last_params_update_time", runnerParamsAppliedMs);
    inference.put("last_restart_logs", lastRestartLogs);
    inference.put("last_restart_time", runner.lastRestartRunnerMs);
    inference.put("restart_count", runner.restartCount);
    Map<String, Object> inputStatus = Emitter.goMap();
    inputStatus.put("fps", inFps);
    inputStatus.put("last_input_time", input ? rt - rng.between(20, 120) : null);
    Map<String, Object> d = Emitter.goMap();
    d.put("inference_status", inference);
    d.put("input_status", inputStatus);
    d.put("last_state_update_time", stateSinceRunnerMs);
    d.put("last_status_timestamp", lastStatusRunnerMs);
    d.put("orchestrator_info", orchInfo(gpu));
    putPipeline(d);
    d.put("pipeline_id", "");
    d.put("request_id", requestId);
    d.put("start_time", runnerStartMs + o.runnerSkewMs);
    d.put("state", state);
    d.put("stream_id", streamId);
    d.put("timestamp", rt);
    d.put("type", "status");
    optional(d, gpu);
    emitOwn(now, now + rng.between(1, 4), "ai_stream_status", null, d);
    lastStatus = d;
    lastStatusRunnerMs = rt;
    nextStatusMs = now + STATUS_PERIOD_MS + rng.between(-5, 5);
  }

  private void metrics(long now) {
    double seconds = METRICS_PERIOD_MS / 1000.0;
    long inBytes = Math.round(bitrateBps / 8 * seconds * rng.uniform(0.7, 1.3));
    bytesIn += inBytes;
    bytesOut += Math.round(730 * seconds * rng.uniform(0.9, 1.1));
    long newVideo = Math.max(1, inBytes / 1_150);
    videoPackets += newVideo;
    audioPackets += 250;
    long newLost = poorLink ? Math.round(newVideo * rng.uniform(0.005, 0.05)) : 0;
    lostPackets += newLost;
    double lossPct = poorLink ? 100.0 * newLost / (newLost + newVideo) : 0;
    double elapsed = (now - t0) / 1000.0;
    long rttNanos =
        gw.reportsRtt() ? Math.round(Network.latencyMs(gw.region(), client, rng) * 1e6) : 0;
    double videoJitter = poorLink && rng.chance(0.6) ? rng.uniform(40, 120) : rng.logNormal(5, 0.4);
    double audioJitter = poorLink ? rng.uniform(22, 60) : rng.gaussian(19.91, 0.01);
    Map<String, Object> peer = Emitter.struct();
    peer.put("ID", "iceTransport");
    peer.put("BytesReceived", bytesIn);
    peer.put("BytesSent", bytesOut);
    Map<String, Object> stats = Emitter.struct();
    stats.put("peer_conn_stats", peer);
    stats.put("track_stats", List.of(
        track("video", videoJitter, lostPackets, videoPackets, lossPct, rttNanos,
            round(elapsed - 0.1 + rng.uniform(-0.06, 0.06), 3)),
        track("audio", audioJitter, 0, audioPackets, 0, rttNanos, round(elapsed - 0.1399, 4))));
    stats.put("conn_quality", videoJitter > 50 || lossPct > 2 ? "bad" : "good");
    Map<String, Object> d = Emitter.goMap();
    d.put("pipeline_id", "");
    d.put("request_id", requestId);
    d.put("stats", stats);
    d.put("stream_id", streamId);
    d.put("timestamp", now);
    optional(d, null);
    emitOwn(now, now, "stream_ingest_metrics", null, d);
    lastStats = stats;
    nextMetricsMs = now + METRICS_PERIOD_MS + rng.between(0, 1);
  }

  private static Map<String, Object> track(String type, double jitterMs, long lost, long received,
      double lossPct, long rttNanos, double lastInputTs) {
    Map<String, Object> t = Emitter.struct();
    t.put("type", type);
    t.put("jitter", jitterMs);
    t.put("packets_lost", lost);
    t.put("packets_received", received);
    t.put("packet_loss_pct", goFloat(lossPct));
    t.put("rtt", rttNanos);
    t.put("last_input_ts", lastInputTs);
    t.put("last_output_ts", 0);
    t.put("latency", 0);
    List<String> warnings = new ArrayList<>();
    if (jitterMs > 50) {
      warnings.add("jitter greater than 50 ms");
    }
    if (lossPct > 2) {
      warnings.add("packet loss greater than 2%");
    }
    if (!warnings.isEmpty()) {
      t.put("warnings", warnings);
    }
    return t;
  }

  /** Go prints an integral float64 without a fraction ({@code 0}, not {@code 0.0}). */
  private static Object goFloat(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : (Object) v;
  }

  private static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(Math.max(0, v) * f) / f;
  }

  /**
   * One live payment, as the gateway's {@code create_new_payment} or, on a gateway that signs
   * through a remote signer, the signer's {@code create_signed_ticket}: the first when the
   * orchestrator session starts, two more 6 s apart, then one every ~54 s
   * ({@code -livePaymentInterval}). Tickets carry the orchestrator's face value; their number
   * follows its price at the time (go-livepeer pays live video as 1280x720 at 30 frames/s).
   */
  private void payment(long now) {
    Orchestrator o = gpu.orchestrator;
    boolean first = payments == 0;
    long price = o.priceAt(now);
    long face = first ? o.faceValueWei() / 1000 * 1001 : o.faceValueWei();
    // Expected value per ticket 2.4e12 wei at either face value; the first's is 0.1 % less.
    String winProb = o.faceValueWei() > FACE_IN_ETH_FROM_WEI
        ? (first ? "0.0001998002" : "0.0002000000") : (first ? "0.0009990010" : "0.0010000000");
    long sinceLast = first ? 0 : now - lastPaymentMs;
    int tickets =
        first ? 2 : (int) Math.max(1, Math.round(price * BILLED_PIXELS_PER_SECOND * 54.0 / 2.4e12));
    boolean delivered;
    if (gw.index() == REMOTE_SIGNER_GATEWAY) {
      delivered = signedTicket(now, o, price, tickets, first ? 60_000 : sinceLast);
    } else {
      Map<String, Object> d = Emitter.goMap();
      d.put("capability", "");
      d.put("clientIP", "");
      d.put("faceValue", formatUnits(face));
      d.put("manifestID", first ? "35_" + pipeline.id : manifestIdHex);
      d.put("numTickets", Integer.toString(tickets));
      d.put("orchestrator", o.url);
      d.put("price", price + "." + String.format("%03d", o.index * 37 % 1000) + " wei/pixel");
      d.put("recipient", o.onChainAddress);
      d.put("requestID", first ? requestId : "");
      d.put("sender", gw.senderAddress());
      d.put("sessionID", sessionIdHex);
      d.put("winProb", winProb);
      delivered = sim.emitter.emit(now, gw, now, "create_new_payment", null, d);
      if (delivered) {
        sim.truth.payment(
            o,
            new java.math.BigDecimal(face)
                .multiply(new java.math.BigDecimal(winProb))
                .multiply(java.math.BigDecimal.valueOf(tickets)),
            tickets);
      }
    }
    payments++;
    lastPaymentMs = now;
    nextPaymentMs = now + (payments < 3 ? 6_000 : 54_000) + rng.between(-10, 10);
  }

  /** A remote signer's {@code create_signed_ticket} billing {@code billedMs} at {@code price}. */
  private boolean signedTicket(long now, Orchestrator o, long price, int tickets, long billedMs) {
    double seconds = billedMs / 1000.0;
    long pixels = Math.round(seconds * BILLED_PIXELS_PER_SECOND);
    java.math.BigInteger fee =
        java.math.BigInteger.valueOf(price).multiply(java.math.BigInteger.valueOf(pixels));
    Map<String, Object> d = Emitter.goMap();
    d.put("app", pipeline.ordinal() % 2 == 0 ? "daydream" : "streamplace");
    d.put("auth_id", "");
    d.put("billable_secs", seconds);
    d.put("computed_fee", fee.toString());
    d.put("cost", Long.toString(price));
    d.put("current_time", java.time.Instant.ofEpochMilli(now).toString());
    d.put("current_time_unix", now);
    d.put("manifest_id", "35_" + pipeline.id);
    d.put("num_tickets", tickets);
    d.put("orch_address", o.infoAddress());
    d.put("orch_url", o.url);
    d.put("pipeline", "live-video-to-video");
    d.put("pixels", pixels);
    d.put("pm_session_id", sessionIdHex);
    d.put("previous_time", java.time.Instant.ofEpochMilli(now - billedMs).toString());
    d.put("previous_time_unix", now - billedMs);
    d.put("request_id", requestId);
    d.put("sequence_number", payments);
    d.put("session_balance", "0");
    d.put("session_id", sessionIdHex);
    d.put("session_status", payments == 0 ? "new" : "continuing");
    boolean delivered = sim.emitter.emit(now, gw, now, "create_signed_ticket", null, d);
    if (delivered) {
      sim.truth.signedTicket(o, fee, tickets, seconds);
    }
    return delivered;
  }

  /**
   * go-livepeer's {@code eth.FormatUnits(v, "ETH")}: wei below 0.01 ETH, else ETH with its
   * decimals.
   */
  static String formatUnits(long wei) {
    return wei < FACE_IN_ETH_FROM_WEI
        ? wei + " WEI"
        : java.math.BigDecimal.valueOf(wei).movePointLeft(18).stripTrailingZeros().toPlainString()
            + " ETH";
  }

  // ---------------------------------------------------------------- prompts and trouble

  private void paramsUpdate(long now) {
    params = Prompts.update(pipeline, params, rng);
    paramsHash = sim.emitter.paramsHash(params);
    lastParamsChangeMs = now;
    if (gpu != null) {
      paramsUpdateEvent(now);
    }
    nextParamsMs = now + Math.round(Math.max(5_000, rng.exponential(75_000)));
  }

  private void paramsUpdateEvent(long now) {
    observed();
    Map<String, Object> d = Emitter.goMap();
    d.put("orchestrator_info", orchInfo(gpu));
    d.put("params", params);
    putPipeline(d);
    d.put("pipeline_id", "");
    d.put("request_id", requestId);
    d.put("stream_id", streamId);
    d.put("type", "params_update");
    optional(d, null);
    emitOwn(now, now, "ai_stream_events", "params_update", d);
    paramsAppliedRunnerMs = now + gpu.orchestrator.runnerSkewMs + rng.between(100, 600);
  }

  private void runnerError(long now) {
    Orchestrator o = gpu.orchestrator;
    runnerErrorEvent(now, rng.pick(List.of("CUDA error: an illegal memory access was encountered",
        "Error processing frame: CUDA out of memory", "Timeout waiting for input frames",
        "Pipeline process exited unexpectedly (exit code 137)")));
    if (rng.chance(0.35)) {
      at(now + rng.between(2_000, 6_000), t -> {
        restartEvent(t);
        if (sessionRestarts >= 3) {
          fatal = true;
          armWatchdog(t + WATCHDOG_MS, "timeout waiting for segments");
        }
      });
    }
    nextErrorMs =
        now + Math.round(Math.max(10_000, rng.exponential(3_600_000 / o.runnerErrorsPerHour)));
  }

  private void runnerErrorEvent(long now, String message) {
    long rt = now + gpu.orchestrator.runnerSkewMs;
    lastErrorRunnerMs = rt;
    lastError = message;
    Map<String, Object> d = relayed("error");
    d.put("message", message);
    d.put("time", rt / 1000.0);
    d.put("timestamp", rt);
    emitOwn(now, now + rng.between(1, 5), "ai_stream_events", "error", d);
  }

  private void restartEvent(long now) {
    long rt = now + gpu.orchestrator.runnerSkewMs;
    sessionRestarts++;
    runner.restartCount++;
    runner.lastRestartRunnerMs = rt;
    sawTrouble = true;
    lastRestartRunnerMs = rt;
    lastRestartLogs = List.of("INFO: restarting pipeline process", "INFO: loading " + pipeline.id,
        "WARNING: previous process exited with code 1");
    Map<String, Object> d = relayed("restart");
    d.put("restart_count", runner.restartCount);
    d.put("restart_logs", lastRestartLogs);
    d.put("restart_time", rt / 1000.0);
    d.put("timestamp", rt);
    emitOwn(now, now + rng.between(1, 5), "ai_stream_events", "restart", d);
  }

  /** An event naming the current orchestrator is emitted. */
  private void observed() {
    if (!observed && gpu != null) {
      observedFromMs = sim.nowMs();
      listedAtObserved = gpu.orchestrator.lastListedMs;
    }
    lastObservedMs = sim.nowMs();
    observed = true;
  }

  /**
   * The current orchestrator session ends (a swap, the stream's end, the run's end). The ground
   * truth counts it only if an event named its orchestrator (one whose stream ended before that
   * left no trace anyone could see), with its drawn outcome and whether what was emitted meets
   * the failure definition of docs/METRICS.md.
   */
  private void settleOrchestratorSession() {
    if (gpu != null && observed) {
      segments.add(new Segment(gpu, outcome == Outcome.LOADING_ONLY || outcome == Outcome.CRASH,
          sawTrouble || (sawIngest && !sawOutput), gpuResolution(), swappedBack));
    }
    observed = false;
  }

  /**
   * The stream is over: its segments go into the ground truth. A stream none of whose events named
   * its pipeline has segments of an unknown pipeline ("") and so an unknown GPU.
   */
  private void recordSegments() {
    for (Segment s : segments) {
      sim.truth.orchestratorSession(s.gpu(), pipelineNamed ? s.gpu().pipeline : null, s.failed(),
          s.failedAsDefined(), pipelineNamed ? s.gpuResolution() : "unknown", s.swappedBack());
    }
    segments.clear();
  }

  /**
   * How NaaP should resolve this segment's GPU: {@code reported} when a status carried its GPU id
   * (the gateways with the optional fields); else from the node's capability snapshot: the latest
   * at or before the segment's start (its first event) unless older than
   * {@link GroundTruth#STALE_SNAPSHOT_MS}, else one listed during the segment; with neither,
   * {@code stale} (or {@code unknown} when the node was never listed before). From a snapshot:
   * {@code ambiguous} when the node (URL) advertises several GPUs for the pipeline, else
   * {@code capabilities}.
   */
  private String gpuResolution() {
    if (gw.optionalFields() && sawStatus) {
      return "reported";
    }
    long listedBefore = listedAtObserved;
    boolean fresh =
        listedBefore >= 0 && observedFromMs - listedBefore <= GroundTruth.STALE_SNAPSHOT_MS;
    long latest = gpu.orchestrator.lastListedMs;
    boolean listedDuring = latest > observedFromMs && latest <= lastObservedMs;
    if (!fresh && !listedDuring) {
      return listedBefore < 0 ? "unknown" : "stale";
    }
    long gpus = gpu.orchestrator.gpus.stream().filter(g -> g.pipeline == pipeline).count();
    return gpus > 1 ? "ambiguous" : "capabilities";
  }

  private Map<String, Object> relayed(String type) {
    observed();
    Map<String, Object> d = Emitter.goMap();
    d.put("orchestrator_info", orchInfo(gpu));
    putPipeline(d);
    d.put("pipeline_id", "");
    d.put("request_id", requestId);
    d.put("stream_id", streamId);
    d.put("type", type);
    optional(d, null);
    return d;
  }

  /**
   * Emits an event of the session's families (trace, status, runner and gateway events, ingest
   * metrics) and, when it is delivered, widens the session's time by the time NaaP reads on it
   * (docs/EVENTS.md): {@code data.timestamp} where the payload has one (the gateway's errors and
   * params updates never do), else the envelope's.
   */
  private boolean emitOwn(long now, long envelopeMs, String type, String subtype,
      Map<String, Object> d) {
    boolean delivered = sim.emitter.emit(now, gw, envelopeMs, type, subtype, d);
    if (delivered) {
      sessionTime(d.get("timestamp") instanceof Long dataMs ? dataMs : envelopeMs);
    }
    return delivered;
  }

  private void sessionTime(long t) {
    firstEventMs = Math.min(firstEventMs, t);
    lastEventMs = Math.max(lastEventMs, t);
  }

  /** The session's time, once: none when none of its events was delivered. */
  private void recordTime() {
    if (firstEventMs <= lastEventMs) {
      sim.truth.sessionTime(gw, firstEventMs, lastEventMs);
    }
  }

  private void strayError(long at, String message) {
    Map<String, Object> d = Emitter.goMap();
    d.put("capability", "");
    d.put("message", message);
    putPipeline(d);
    d.put("pipeline_id", "");
    d.put("request_id", requestId);
    d.put("stream_id", streamId);
    d.put("type", "error");
    if (sim.emitter.emit(at, gw, at, "ai_stream_events", "error", d) && !closeDelivered) {
      sessionTime(at); // its close was lost: nothing tells it from the session's own errors
    }
  }

  private void gatewayError(long now, String message) {
    Map<String, Object> d = Emitter.goMap();
    d.put("capability", "live-video-to-video");
    d.put("message", message);
    putPipeline(d);
    d.put("pipeline_id", "");
    d.put("request_id", requestId);
    d.put("stream_id", streamId);
    d.put("type", "error");
    emitOwn(now, now, "ai_stream_events", "error", d);
    lastGatewayError = message;
    lastGatewayErrorMs = now;
  }

  // ---------------------------------------------------------------- shared payload parts

  /** Names the pipeline in a payload; traces do not, so a session may never name it. */
  private void putPipeline(Map<String, Object> d) {
    d.put("pipeline", pipeline.id);
    pipelineNamed = true;
  }

  /** The gateway's GetOrchestrator round: the orchestrators asked, sorted by latency. */
  private void discovery(long now, Network.Selection sel) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Network.Candidate c : sel.candidates()) {
      list.add(Emitter.obj("address", c.orchestrator().infoAddress(),
          "latency_ms", Long.toString(c.latencyMs()), "url", c.orchestrator().url));
    }
    sim.emitter.emit(now, gw, now, "discovery_results", null, list);
  }

  private void trace(long envelopeMs, long dataMs, String subtype, Gpu on) {
    if (on != null) {
      observed();
      sawIngest |= subtype.equals("gateway_send_first_ingest_segment");
      sawOutput |= subtype.equals("gateway_receive_first_processed_segment");
    }
    Map<String, Object> d = Emitter.goMap();
    d.put("orchestrator_info", orchInfo(on));
    d.put("pipeline_id", "");
    d.put("request_id", requestId);
    d.put("stream_id", streamId);
    d.put("timestamp", dataMs);
    d.put("type", subtype);
    optional(d, null);
    boolean delivered = emitOwn(envelopeMs, envelopeMs, "stream_trace", subtype, d);
    closeDelivered |= delivered && subtype.equals("gateway_ingest_stream_closed");
  }

  private Map<String, Object> orchInfo(Gpu on) {
    Map<String, Object> info = Emitter.struct();
    info.put("address", on == null ? "" : on.orchestrator.infoAddress());
    info.put("url", on == null ? "" : on.orchestrator.url);
    if (on != null && gw.optionalFields()) {
      info.put("gpu_id", on.uuid);
      info.put("region", on.orchestrator.region.name());
    }
    return info;
  }

  /** The upstream data-quality fields, on the gateways that send them. */
  private void optional(Map<String, Object> d, Gpu on) {
    if (gw.optionalFields()) {
      d.put("is_test_load", testLoad);
      if (on != null) {
        d.put("gpu_id", on.uuid);
      }
    }
  }
}
