package dev.naap.scraper;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Resolves orchestrator hosts to addresses with a deadline and a cache. IP literals (v4, v6,
 * bracketed or not) are parsed, never looked up. The system resolver cannot be interrupted, so a
 * lookup runs on a small pool of daemon threads and the caller stops waiting at the deadline; the
 * pending lookup stays shared by later callers until it ends. {@link #resolveAll} starts a set of
 * lookups at once (the pool bounds how many run) and waits for the set within one deadline.
 * Answers are kept for {@link #TTL}, failures for {@link #NEGATIVE_TTL}, at most {@link
 * #MAX_ENTRIES} hosts. Thread-safe.
 */
final class HostResolver implements AutoCloseable {
  static final Duration TTL = Duration.ofMinutes(30);
  static final Duration NEGATIVE_TTL = Duration.ofMinutes(2);
  static final int MAX_ENTRIES = 10_000;
  private static final int THREADS = 8;
  private static final int QUEUE = 1_024;

  /** The name service; {@link InetAddress#getByName} in production. */
  @FunctionalInterface
  interface Lookup {
    InetAddress lookup(String host) throws UnknownHostException;
  }

  /**
   * A lookup's outcome: {@code ip}, or {@code error} (why not) with {@code ip} null.
   *
   * @param timedOut whether the deadline passed before the name service answered
   */
  record Result(InetAddress ip, String error, boolean timedOut) {
    boolean ok() {
      return ip != null;
    }
  }

  private record Cached(CompletableFuture<Result> answer, Instant expires) {}

  private final Duration timeout;
  private final Lookup lookup;
  private final Clock clock;
  private final ExecutorService pool;
  private final Map<String, Cached> cache = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  HostResolver(Duration timeout, Lookup lookup, Clock clock) {
    this.timeout = timeout;
    this.lookup = lookup;
    this.clock = clock;
    ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(QUEUE),
        Thread.ofPlatform().daemon().name("naap-scraper-dns-", 0).factory());
    executor.allowCoreThreadTimeOut(true);
    this.pool = executor;
  }

  /** The address of {@code host} (a name or an IP literal), or why there is none. */
  Result resolve(String host) {
    if (host == null || host.isEmpty()) {
      return new Result(null, "no host", false);
    }
    InetAddress literal = literalIp(host);
    if (literal != null) {
      return new Result(literal, "", false);
    }
    return await(host, answer(host.toLowerCase(Locale.ROOT)), System.nanoTime()
        + timeout.toNanos());
  }

  /**
   * The addresses of {@code names} (null and duplicates allowed), looked up at once within one
   * deadline, {@code timeout}, for the whole set: a lookup still pending then is timed out.
   */
  Map<String, Result> resolveAll(Collection<String> names) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, CompletableFuture<Result>> pending = new LinkedHashMap<>();
    Map<String, Result> results = new HashMap<>();
    for (String host : names) {
      if (host == null || host.isEmpty() || literalIp(host) != null) {
        results.put(host, resolve(host));
      } else {
        pending.computeIfAbsent(host, h -> answer(h.toLowerCase(Locale.ROOT)));
      }
    }
    pending.forEach((host, answer) -> results.put(host, await(host, answer, deadline)));
    return results;
  }

  private Result await(String host, CompletableFuture<Result> answer, long deadlineNanos) {
    try {
      return answer.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return new Result(null, "lookup of " + host + " timed out after " + timeout, true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(null, "interrupted", false);
    } catch (ExecutionException e) {
      return new Result(null, "lookup of " + host + " failed: " + e.getCause(), false);
    }
  }

  private CompletableFuture<Result> answer(String host) {
    Instant now = clock.instant();
    synchronized (cache) {
      Cached e = cache.get(host);
      if (e != null && (!e.answer().isDone() || now.isBefore(e.expires()))) {
        return e.answer();
      }
      CompletableFuture<Result> answer = new CompletableFuture<>();
      // Until it is done, a lookup is shared whatever its age; its expiry is set when it ends.
      cache.put(host, new Cached(answer, Instant.MAX));
      try {
        pool.execute(() -> complete(host, answer));
      } catch (RejectedExecutionException ex) {
        cache.remove(host);
        answer.complete(new Result(null, "too many lookups pending", false));
      }
      return answer;
    }
  }

  private void complete(String host, CompletableFuture<Result> answer) {
    Result result;
    try {
      result = new Result(lookup.lookup(host), "", false);
    } catch (UnknownHostException e) {
      result = new Result(null, "unknown host " + host, false);
    } catch (RuntimeException e) {
      result = new Result(null, "lookup of " + host + " failed: " + e, false);
    }
    Instant expires = clock.instant().plus(result.ok() ? TTL : NEGATIVE_TTL);
    synchronized (cache) {
      if (cache.get(host) instanceof Cached e && e.answer() == answer) {
        cache.put(host, new Cached(answer, expires));
      }
    }
    answer.complete(result);
  }

  /** The address of an IP literal, bracketed or not; null for a host name (no lookup). */
  static InetAddress literalIp(String host) {
    if (host == null || host.isEmpty()
        || !(host.matches("[0-9.]+") || host.contains(":") || host.startsWith("["))) {
      return null;
    }
    try {
      return InetAddress.ofLiteral(host.replace("[", "").replace("]", ""));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Stops the lookup threads; pending lookups are abandoned. */
  @Override
  public void close() {
    pool.shutdownNow();
  }
}
