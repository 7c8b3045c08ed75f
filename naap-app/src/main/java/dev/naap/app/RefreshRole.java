package dev.naap.app;

import dev.naap.metrics.LocalLeaseHolder;
import dev.naap.metrics.RefreshLease;
import dev.naap.metrics.RefreshLoop;
import dev.naap.metrics.Refresher;
import dev.naap.metrics.Retention;
import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The refresher role, run by {@code naap refresh}, by default inside {@code naap ingest} and in
 * {@code naap demo} ({@link RefreshOptions} starts it): the rollup refresh under the store's
 * {@link RefreshLease} (one refresher at a time across every process on the store) and retention,
 * each on a platform thread. Closing stops both and releases the lease.
 */
final class RefreshRole implements Lifecycle.Stoppable {

  private final Thread refresh;
  private final Thread retire;
  private final RefreshLease lease;
  private final AtomicBoolean stopping = new AtomicBoolean();

  /**
   * Starts refreshing every {@code interval} while holding the lease, and retention; {@code
   * config} says whether the store has a data directory here ({@link #lease}).
   */
  RefreshRole(Store store, StoreConfig config, Duration interval, Duration leaseTtl,
      Retention.Policy retention, PrometheusRegistry registry) {
    lease = lease(store, config, leaseTtl);
    Refresher refresher = new Refresher(store, Clock.systemUTC(), lease::check);
    refresh = Thread.ofPlatform().name("naap-refresh")
        .start(new RefreshLoop(refresher, lease, interval, Clock.systemUTC(), registry));
    // Dropping expired partitions is idempotent: every refresher may do it.
    retire = Thread.ofPlatform().daemon().name("naap-retention")
        .start(new Retention(store, retention, Clock.systemUTC()));
  }

  /** This process's name in the lease table: host, process id and a random suffix. */
  String holder() {
    return lease.holder();
  }

  /**
   * The refresh lease of this process on {@code store}: on an embedded store, a later process of
   * the same data directory on this host takes it back at once if this one dies holding it ({@link
   * LocalLeaseHolder}); elsewhere, others wait for the ttl.
   */
  static RefreshLease lease(Store store, StoreConfig config, Duration ttl) {
    LocalLeaseHolder local = config instanceof StoreConfig.Embedded e
        ? new LocalLeaseHolder(e.dataDir(), host())
        : null;
    return new RefreshLease(store, holderName(), ttl, local);
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  static String holderName() {
    String random = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    String name = host() + "-" + ProcessHandle.current().pid() + "-" + random;
    name = name.replaceAll("[^A-Za-z0-9._:@\\-]", "_");
    return name.length() <= 200 ? name : name.substring(name.length() - 200);
  }

  /**
   * Interrupts the refresh and retention, once: the refresh releases the lease on its way out, and
   * a second interrupt would cancel that release (a stop asks, then closing asks again).
   */
  @Override
  public void beginStop() {
    if (stopping.compareAndSet(false, true)) {
      refresh.interrupt();
      retire.interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    beginStop();
    refresh.join();
    retire.join();
  }
}
