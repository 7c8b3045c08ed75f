package dev.naap.scraper;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.naap.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator metadata scraper: one {@link #runOnce() run} fetches every gateway's {@code
 * /getNetworkCapabilities} (and {@code /registeredOrchestrators}) at once, probes the reachability
 * of every orchestrator found, resolves regions, writes time-versioned snapshots and logs the run
 * and each source in {@code scrape_runs} / {@code scrape_sources}. {@link #run()} repeats it on a
 * fixed schedule with jitter until {@link #stop()}.
 *
 * <p>Failures stay inside their source: a source that fails is recorded with its reason and
 * leaves its last good snapshot as it is, and one that keeps failing is backed off ({@link
 * SourceBackoff}). Runs never overlap: {@link #runOnce()} holds a lock and returns a {@code
 * skipped} summary if another run holds it. Thread-safe.
 */
public final class Scraper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Scraper.class);
  static final String CAPABILITIES = "getNetworkCapabilities";
  static final String REGISTERED = "registeredOrchestrators";

  private final ScraperConfig config;
  private final Store store;
  private final ScrapeMetrics metrics;
  private final Clock clock;
  private final HttpFetcher fetcher;
  private final CapabilitiesReader reader;
  private final VersionedWriter writer;
  private static final int MAX_REMEMBERED = 100_000;
  private final HostResolver hosts;
  private final Reachability reachability;
  private final RegionResolver regions;
  private final SourceBackoff backoff;
  private final ReentrantLock running = new ReentrantLock();
  /** The last region geolocated per service URI, kept while its host fails to resolve. */
  private final Map<String, RegionResolver.Region> lastGeolocated = new ConcurrentHashMap<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  /**
   * The run's thread while it waits on the network, which a stop interrupts: a run may wait a
   * minute on hung gateways, and a stop must end within 10 s. Never during a store call, which an
   * interrupt would cancel mid-statement.
   */
  private Thread onNetwork;

  /**
   * A scraper writing to {@code store}. Opens the region mapping, geo database and region table of
   * {@code config}.
   *
   * @throws IllegalArgumentException if one of those files cannot be read
   */
  public Scraper(ScraperConfig config, Store store, ScrapeMetrics metrics, Clock clock) {
    this(config, store, metrics, clock, java.net.InetAddress::getByName);
  }

  /** As above, asking {@code nameService} for host addresses (tests give their own). */
  Scraper(ScraperConfig config, Store store, ScrapeMetrics metrics, Clock clock,
      HostResolver.Lookup nameService) {
    this.config = config;
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
    this.fetcher = new HttpFetcher(config.connectTimeout(), config.attemptTimeout(),
        config.maxBodyBytes());
    this.reader = new CapabilitiesReader(config.maxBodyBytes());
    this.writer = new VersionedWriter(store);
    this.regions = RegionResolver.open(config.regionMapping(), config.geoDatabase(),
        config.regionTable());
    this.hosts = new HostResolver(config.dnsTimeout(), nameService, clock);
    this.reachability = new Reachability(config.reachabilityTimeout(), hosts);
    this.backoff = new SourceBackoff(config.maxSkippedRuns());
  }

  /**
   * One source's outcome in one run.
   *
   * @param status {@code ok}, {@code failed}, {@code backoff} (sat out) or {@code unavailable}
   *     (the gateway does not serve the endpoint)
   * @param errorKind {@code ""} when ok, else a {@link SourceException.Kind} label
   */
  public record SourceOutcome(String source, String endpoint, String status, String errorKind,
      String error, int attempts, int orchestrators, int gpus, int versionsWritten,
      int versionsClosed) {}

  /**
   * One run's outcome.
   *
   * @param status {@code ok} (every source ok), {@code partial}, {@code failed} (none ok) or
   *     {@code skipped} (another run was in progress; nothing was done)
   */
  public record RunSummary(String runId, Instant startedAt, Instant finishedAt, String status,
      List<SourceOutcome> sources) {}

  /** Runs the schedule until {@link #stop()}: a run every interval, each up to jitter late. */
  public void run() throws InterruptedException {
    long intervalNanos = config.interval().toNanos();
    long slot = System.nanoTime();
    while (true) {
      long jitter = config.jitter().isZero() ? 0
          : ThreadLocalRandom.current().nextLong(config.jitter().toNanos() + 1);
      long wait = slot + jitter - System.nanoTime();
      if (wait > 0 && stopped.await(wait, TimeUnit.NANOSECONDS)) {
        return;
      }
      if (stopped.getCount() == 0) {
        return;
      }
      try {
        RunSummary summary = runOnce();
        log.info("scrape run {}: {}", summary.runId(), summary.status());
      } catch (RuntimeException e) {
        log.error("scrape run failed; the next one runs on schedule", e);
      }
      slot += intervalNanos;
      long now = System.nanoTime();
      if (now > slot) {
        log.warn("scrape run overran its interval of {}; the next starts now", config.interval());
        slot = now;
      }
    }
  }

  /**
   * Makes {@link #run()} return. A run waiting on the network ends at once (its thread is
   * interrupted), its row in {@code scrape_runs} saying {@code stopped}; one writing its
   * snapshots finishes them.
   */
  public void stop() {
    stopped.countDown();
    synchronized (stopped) {
      if (onNetwork != null) {
        onNetwork.interrupt();
      }
    }
  }

  /** One run over every source. Never throws for a source's failure; see the summary. */
  public RunSummary runOnce() throws InterruptedException {
    if (!running.tryLock()) {
      Instant now = clock.instant();
      return new RunSummary("", now, now, "skipped", List.of());
    }
    try {
      if (stopped.getCount() == 0) {
        throw new InterruptedException("the scraper is stopped");
      }
      return doRun();
    } finally {
      running.unlock();
    }
  }

  private record Fetched(String source, String endpoint, int attempts, Object result,
      SourceException error, Instant startedAt, Instant finishedAt, long bytes) {}

  private RunSummary doRun() throws InterruptedException {
    String runId = UUID.randomUUID().toString();
    Instant started = clock.instant();
    writeRun(runId, started, null, "running", "", 0, 0, 0, 0);
    try {
      return doRun(runId, started);
    } catch (InterruptedException e) {
      try { // the run's row says how it ended; its snapshots so far are written, the rest not
        writeRun(runId, started, clock.instant(), "stopped", "the scraper was stopped", 0, 0, 0,
            0);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private RunSummary doRun(String runId, Instant started) throws InterruptedException {
    long t0 = System.nanoTime();
    List<SourceOutcome> outcomes = new ArrayList<>();
    Map<String, Fetched> capabilities = new LinkedHashMap<>();
    Map<String, Fetched> registered = new LinkedHashMap<>();
    Map<String, Reachability.Probe> probes;
    Map<String, HostResolver.Result> addresses;
    Instant probedAt;
    onNetwork(true);
    try {
      fetchAll(outcomes, capabilities, registered, started);
      probedAt = clock.instant();
      probes = probeAll(capabilities.values());
      addresses = addresses(capabilities.values(), probes);
    } finally {
      onNetwork(false);
    }
    if (config.reachability()) {
      writeReachability(runId, probedAt, probes);
    }
    SnapshotWrites writes = new SnapshotWrites();
    int orchestratorsSeen = 0;
    int versionsWritten = 0;
    for (Fetched f : capabilities.values()) {
      SourceOutcome o = writeCapabilities(runId, f, probes, addresses, writes);
      outcomes.add(o);
      metrics.sourceOutcome(f.source(), "ok".equals(o.status()), System.currentTimeMillis());
      // A source that answered is not backed off when the store could not take its snapshot.
      if (f.error() == null) {
        backoff.succeeded(f.source());
      } else {
        backoff.failed(f.source());
      }
      if ("ok".equals(o.status())) {
        orchestratorsSeen += o.orchestrators();
        versionsWritten += o.versionsWritten();
      } else {
        metrics.error(f.source(), CAPABILITIES, o.errorKind());
      }
    }
    for (Fetched f : registered.values()) {
      SourceOutcome o = writeRegistered(runId, f, writes);
      outcomes.add(o);
      if ("failed".equals(o.status())) {
        metrics.error(f.source(), REGISTERED, o.errorKind());
      }
    }
    long failed = outcomes.stream()
        .filter(o -> CAPABILITIES.equals(o.endpoint()) && !"ok".equals(o.status())).count();
    long total = config.gateways().size();
    String status = failed == 0 ? "ok" : failed == total ? "failed" : "partial";
    String error = outcomes.stream().filter(o -> !o.error().isEmpty() && !"ok".equals(o.status()))
        .map(o -> o.source() + " " + o.endpoint() + ": " + o.error()).reduce((a, b) -> a + "; " + b)
        .orElse("");
    Instant finished = clock.instant();
    writeRun(runId, started, finished, status, error, (int) total, (int) failed,
        orchestratorsSeen, versionsWritten);
    writeSources(runId, outcomes, capabilities, registered, started, finished);
    metrics.run(status, System.nanoTime() - t0);
    return new RunSummary(runId, started, finished, status, List.copyOf(outcomes));
  }

  /** Marks the run's thread as waiting on the network (a stop interrupts it) or not. */
  private void onNetwork(boolean waiting) throws InterruptedException {
    synchronized (stopped) {
      onNetwork = waiting ? Thread.currentThread() : null;
    }
    if (!waiting && Thread.interrupted()) { // a stop just after the last wait: not into the store
      throw new InterruptedException("the scraper is stopped");
    }
  }

  /**
   * Fetches every source's endpoints in parallel into {@code capabilities} and {@code
   * registered}; a source sitting out goes to {@code outcomes}.
   */
  private void fetchAll(List<SourceOutcome> outcomes, Map<String, Fetched> capabilities,
      Map<String, Fetched> registered, Instant started) throws InterruptedException {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Map<String, Future<Fetched>> capFutures = new LinkedHashMap<>();
      Map<String, Future<Fetched>> regFutures = new LinkedHashMap<>();
      for (URI gateway : config.gateways()) {
        String source = sourceName(gateway);
        if (backoff.skip(source)) {
          outcomes.add(new SourceOutcome(source, CAPABILITIES, "backoff", "",
              "sitting out after " + backoff.failures(source) + " failed runs", 0, 0, 0, 0, 0));
          continue;
        }
        capFutures.put(source, pool.submit(() -> fetch(source, CAPABILITIES, started)));
        if (config.registeredOrchestrators()) {
          regFutures.put(source, pool.submit(() -> fetch(source, REGISTERED, started)));
        }
      }
      try {
        for (var e : capFutures.entrySet()) {
          capabilities.put(e.getKey(), join(e.getValue()));
        }
        for (var e : regFutures.entrySet()) {
          registered.put(e.getKey(), join(e.getValue()));
        }
      } catch (InterruptedException e) {
        pool.shutdownNow(); // the fetches end at once; closing the pool would wait for them
        throw e;
      }
    }
  }

  private static Fetched join(Future<Fetched> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a fetch task threw", e.getCause());
    }
  }

  /** Fetches and parses one endpoint of one source, retrying retryable failures with backoff. */
  private Fetched fetch(String source, String endpoint, Instant runStart)
      throws InterruptedException {
    Instant started = clock.instant();
    URI uri = URI.create(source + "/" + endpoint);
    Duration wait = config.retryBackoff();
    for (int attempt = 1; ; attempt++) {
      try {
        byte[] body = fetcher.get(uri);
        Object parsed = CAPABILITIES.equals(endpoint)
            ? reader.read(body, runStart.toEpochMilli())
            : RegisteredReader.read(body);
        return new Fetched(source, endpoint, attempt, parsed, null, started, clock.instant(),
            body.length);
      } catch (SourceException e) {
        if (!e.kind().retryable || attempt >= config.attempts()
            || (REGISTERED.equals(endpoint) && unavailable(e))) {
          return new Fetched(source, endpoint, attempt, null, e, started, clock.instant(), 0);
        }
        log.debug("{} attempt {} failed, retrying in {}: {}", uri, attempt, wait, e.getMessage());
        Thread.sleep(wait.toMillis());
        wait = min(wait.multipliedBy(2), config.retryBackoffMax());
      }
    }
  }

  private static boolean unavailable(SourceException e) {
    return e.kind() == SourceException.Kind.HTTP_STATUS && e.httpStatus() != null
        && (e.httpStatus() == 404 || e.httpStatus() == 400 || e.httpStatus() == 405);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  // ---------------------------------------------------------------------------------------------
  // Reachability and region

  private Map<String, Reachability.Probe> probeAll(Iterable<Fetched> fetched)
      throws InterruptedException {
    Map<String, Reachability.Probe> probes = new HashMap<>();
    if (!config.reachability()) {
      return probes;
    }
    Set<String> uris = new LinkedHashSet<>();
    for (Fetched f : fetched) {
      if (f.result() instanceof CapabilitiesReader.Answer a) {
        a.orchestrators().forEach(o -> uris.add(o.orchUri()));
      }
    }
    Semaphore slots = new Semaphore(config.reachabilityParallelism());
    Map<String, Future<Reachability.Probe>> futures = new LinkedHashMap<>();
    Duration budget = config.reachabilityDeadline();
    long deadline = System.nanoTime() + budget.toNanos();
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    try {
      for (String uri : uris) {
        futures.put(uri, pool.submit(() -> {
          slots.acquire();
          try {
            return reachability.probe(uri);
          } finally {
            slots.release();
          }
        }));
      }
      for (var e : futures.entrySet()) {
        long left = Math.max(0, deadline - System.nanoTime());
        try {
          probes.put(e.getKey(), e.getValue().get(left, TimeUnit.NANOSECONDS));
        } catch (TimeoutException ex) {
          probes.put(e.getKey(), Reachability.unfinished(e.getKey(),
              "the probes of the run did not end within " + budget.toMillis() + " ms"));
        } catch (ExecutionException ex) {
          log.warn("reachability probe of {} threw", e.getKey(), ex.getCause());
        }
      }
    } finally {
      // Interrupts the probes left (a virtual thread's blocked socket is closed by it) and does
      // not wait for them: the snapshots are not held up by one slow orchestrator.
      pool.shutdownNow();
    }
    metrics.unreachable((int) probes.values().stream().filter(p -> !p.ok()).count());
    return probes;
  }

  /**
   * Records the run's probes, made from {@code at} on, in {@code orchestrator_reachability}: a
   * store call, so outside {@link #probeAll}, which a stop interrupts.
   */
  private void writeReachability(String runId, Instant at,
      Map<String, Reachability.Probe> probes) {
    List<ObjectNode> rows = new ArrayList<>();
    for (Reachability.Probe p : probes.values()) {
      ObjectNode r = VersionedWriter.MAPPER.createObjectNode();
      r.put("observed_at", VersionedWriter.format(at));
      r.put("observed_from", config.observedFrom());
      r.put("run_id", runId);
      r.put("orch_uri", p.orchUri());
      r.put("host", p.host());
      r.put("port", p.port());
      r.put("ok", p.ok());
      putNullable(r, "tcp_connect_ms", p.tcpConnectMs());
      putNullable(r, "tls_handshake_ms", p.tlsHandshakeMs());
      r.put("error_kind", p.errorKind());
      r.put("error", p.error());
      rows.add(r);
    }
    try {
      insert("orchestrator_reachability", rows);
    } catch (RuntimeException e) {
      log.warn("cannot write reachability rows", e);
    }
  }

  /**
   * The address of each host that a region needs (a database is open, no mapping line names the
   * orchestrator): the probe's when it resolved one; the probe's failure when it already waited
   * for the name in this run (a pending lookup is not waited for twice); else looked up, all at
   * once within one deadline ({@link HostResolver#resolveAll}), not one deadline per host.
   */
  private Map<String, HostResolver.Result> addresses(Iterable<Fetched> fetched,
      Map<String, Reachability.Probe> probes) {
    Map<String, HostResolver.Result> known = new HashMap<>();
    Set<String> lookUp = new LinkedHashSet<>();
    for (Fetched f : fetched) {
      if (!(f.result() instanceof CapabilitiesReader.Answer a)) {
        continue;
      }
      for (OrchestratorSnapshot s : a.orchestrators()) {
        Reachability.Probe probe = probes.get(s.orchUri());
        String host = probe != null ? probe.host() : hostOf(s.orchUri());
        if (!regions.needsAddress(s.address(), s.localAddress(), host)) {
          continue;
        }
        if (probe != null && probe.ip() != null) {
          known.put(host, new HostResolver.Result(probe.ip(), "", false));
        } else if (probe != null && "dns".equals(probe.errorKind())) {
          known.putIfAbsent(host, new HostResolver.Result(null, probe.error(), false));
        } else {
          lookUp.add(host);
        }
      }
    }
    lookUp.removeAll(known.keySet());
    known.putAll(hosts.resolveAll(lookUp));
    return known;
  }

  private OrchestratorSnapshot withRegion(OrchestratorSnapshot s,
      Map<String, Reachability.Probe> probes, Map<String, HostResolver.Result> addresses) {
    Reachability.Probe probe = probes.get(s.orchUri());
    String host = probe != null ? probe.host() : hostOf(s.orchUri());
    HostResolver.Result address = addresses.get(host);
    RegionResolver.Region region = regions.resolve(s.address(), s.localAddress(), host,
        () -> address == null ? null : address.ip());
    if (region.equals(RegionResolver.UNKNOWN) && address != null && !address.ok()) {
      // A name service that fails for a while does not make a known orchestrator's region
      // flap to unknown and back (each flap would be a new version).
      region = lastGeolocated.getOrDefault(s.orchUri(), region);
    } else if (region.source().equals("geoip") && lastGeolocated.size() < MAX_REMEMBERED) {
      lastGeolocated.put(s.orchUri(), region);
    }
    return s.withRegion(region.name(), region.source());
  }

  private static String hostOf(String uri) {
    try {
      String host = URI.create(uri).getHost();
      return host == null ? "" : host;
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  /**
   * The snapshot writes of one run. A write that throws is tried again, up to {@code attempts}
   * tries with the fetches' waits; once one has failed every try the store is taken as down and
   * the run's later writes are tried once, so that the waits do not add up over the sources.
   */
  private final class SnapshotWrites {
    private boolean storeDown;

    <T> T apply(String what, Supplier<T> write) throws InterruptedException {
      int tries = storeDown ? 1 : config.attempts();
      Duration wait = config.retryBackoff();
      for (int attempt = 1; ; attempt++) {
        try {
          return write.get();
        } catch (RuntimeException e) {
          if (attempt >= tries) {
            storeDown = true;
            throw e;
          }
          log.debug("cannot write {} (try {}), retrying in {}: {}", what, attempt, wait,
              e.toString());
          Thread.sleep(wait.toMillis());
          wait = min(wait.multipliedBy(2), config.retryBackoffMax());
        }
      }
    }
  }

  private SourceOutcome writeCapabilities(String runId, Fetched f,
      Map<String, Reachability.Probe> probes, Map<String, HostResolver.Result> addresses,
      SnapshotWrites writes) throws InterruptedException {
    if (f.error() != null) {
      return failed(f, f.error());
    }
    var answer = (CapabilitiesReader.Answer) f.result();
    Map<String, VersionedWriter.Version> versions = new LinkedHashMap<>();
    Set<String> gpuIds = new LinkedHashSet<>();
    for (OrchestratorSnapshot s : answer.orchestrators()) {
      OrchestratorSnapshot located = withRegion(s, probes, addresses);
      versions.put(s.orchUri(), Rows.orchestrator(located));
      s.gpus().forEach(g -> gpuIds.add(g.id()));
    }
    try {
      var result = writes.apply("the snapshot of " + f.source(), () -> writer.apply(
          "orchestrator_versions", "orch_uri", f.source(), runId, versions, f.startedAt()));
      metrics.seen(f.source(), versions.size(), gpuIds.size());
      metrics.versionsWritten("orchestrator_versions", result.written());
      metrics.versionsUpdated("orchestrator_versions", result.updated());
      return new SourceOutcome(f.source(), f.endpoint(), "ok", "",
          answer.skipped() == 0 ? "" : answer.skipped() + " entries without a new orch_uri skipped",
          f.attempts(), versions.size(), gpuIds.size(), result.written(), result.closed());
    } catch (RuntimeException e) {
      log.warn("cannot write the snapshot of {}", f.source(), e);
      return failed(f, new SourceException(SourceException.Kind.STORE,
          "cannot write the snapshot: " + e.getMessage(), null, e));
    }
  }

  private SourceOutcome writeRegistered(String runId, Fetched f, SnapshotWrites writes)
      throws InterruptedException {
    if (f.error() != null) {
      if (unavailable(f.error())) {
        return new SourceOutcome(f.source(), f.endpoint(), "unavailable",
            f.error().kind().label(), f.error().getMessage(), f.attempts(), 0, 0, 0, 0);
      }
      return failed(f, f.error());
    }
    @SuppressWarnings("unchecked")
    var transcoders = (Map<String, RegisteredReader.Registered>) f.result();
    Map<String, VersionedWriter.Version> versions = new LinkedHashMap<>();
    transcoders.forEach((address, t) -> versions.put(address, Rows.registered(t)));
    try {
      var result = writes.apply("the registered orchestrators of " + f.source(),
          () -> writer.apply("registered_orchestrator_versions", "address", f.source(), runId,
              versions, f.startedAt()));
      metrics.versionsWritten("registered_orchestrator_versions", result.written());
      return new SourceOutcome(f.source(), f.endpoint(), "ok", "", "", f.attempts(),
          versions.size(), 0, result.written(), result.closed());
    } catch (RuntimeException e) {
      log.warn("cannot write the registered orchestrators of {}", f.source(), e);
      return failed(f, new SourceException(SourceException.Kind.STORE,
          "cannot write: " + e.getMessage(), null, e));
    }
  }

  private static SourceOutcome failed(Fetched f, SourceException e) {
    return new SourceOutcome(f.source(), f.endpoint(), "failed", e.kind().label(),
        String.valueOf(e.getMessage()), f.attempts(), 0, 0, 0, 0);
  }

  private void writeRun(String runId, Instant started, Instant finished, String status,
      String error, int sources, int sourcesFailed, int orchestrators, int versions) {
    ObjectNode r = VersionedWriter.MAPPER.createObjectNode();
    r.put("run_id", runId);
    r.put("started_at", VersionedWriter.format(started));
    if (finished == null) {
      r.putNull("finished_at");
    } else {
      r.put("finished_at", VersionedWriter.format(finished));
    }
    r.put("status", status);
    r.put("error", error);
    r.put("sources", sources);
    r.put("sources_failed", sourcesFailed);
    r.put("orchestrators", orchestrators);
    r.put("versions_written", versions);
    r.put("written_at", VersionedWriter.format(finished == null ? started : finished));
    try {
      insert("scrape_runs", List.of(r));
    } catch (RuntimeException e) {
      log.warn("cannot write the run log of {}", runId, e);
    }
  }

  private void writeSources(String runId, List<SourceOutcome> outcomes,
      Map<String, Fetched> capabilities, Map<String, Fetched> registered, Instant runStart,
      Instant runEnd) {
    List<ObjectNode> rows = new ArrayList<>();
    for (SourceOutcome o : outcomes) {
      Fetched f = (CAPABILITIES.equals(o.endpoint()) ? capabilities : registered).get(o.source());
      ObjectNode r = VersionedWriter.MAPPER.createObjectNode();
      r.put("run_id", runId);
      r.put("source", o.source());
      r.put("endpoint", o.endpoint());
      r.put("started_at", VersionedWriter.format(f == null ? runStart : f.startedAt()));
      r.put("finished_at", VersionedWriter.format(f == null ? runEnd : f.finishedAt()));
      r.put("status", o.status());
      r.put("error_kind", o.errorKind());
      r.put("error", o.error());
      Integer http = f == null || f.error() == null ? null : f.error().httpStatus();
      if (http == null) {
        r.putNull("http_status");
      } else {
        r.put("http_status", http);
      }
      r.put("attempts", o.attempts());
      r.put("bytes", f == null ? 0 : f.bytes());
      r.put("orchestrators", o.orchestrators());
      r.put("gpus", o.gpus());
      r.put("versions_written", o.versionsWritten());
      r.put("versions_closed", o.versionsClosed());
      rows.add(r);
    }
    try {
      insert("scrape_sources", rows);
    } catch (RuntimeException e) {
      log.warn("cannot write the source log of {}", runId, e);
    }
  }

  private void insert(String table, List<ObjectNode> rows) {
    if (rows.isEmpty()) {
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (ObjectNode row : rows) {
        out.write(VersionedWriter.MAPPER.writeValueAsBytes(row));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    store.insert("INSERT INTO " + table + " FORMAT JSONEachRow", out.toByteArray());
  }

  private static void putNullable(ObjectNode r, String field, Double v) {
    if (v == null) {
      r.putNull(field);
    } else {
      r.put(field, v);
    }
  }

  /** The source label of a gateway: its URL without a trailing slash. */
  static String sourceName(URI gateway) {
    String s = gateway.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }

  /** Closes the geo database and the lookup threads; the store stays the caller's. */
  @Override
  public void close() {
    stop();
    reachability.close();
    hosts.close();
    try {
      regions.close();
    } catch (IOException e) {
      log.warn("cannot close the geo database", e);
    }
  }
}
