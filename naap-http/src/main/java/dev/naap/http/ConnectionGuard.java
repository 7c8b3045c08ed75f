package dev.naap.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.component.Graceful;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Counts a connector's connections from accept, per client ({@link Clients#of}) and in all,
 * closing a new one over either cap before any byte of it is read; and closes a connection whose
 * request is still being read past its deadline, which Jetty's idle timeout alone misses for a
 * client that trickles a byte now and then. Jetty has no such total deadline, so every {@link
 * #CHECK_MILLIS} this looks at the parser of each open connection. When a graceful stop begins,
 * it closes the connections that wait between requests ({@link #shutdown()}).
 */
final class ConnectionGuard extends AbstractLifeCycle implements Connection.Listener, Graceful {

  /** How often read deadlines are checked: a slow client is closed within deadline + this. */
  static final long CHECK_MILLIS = 500;

  private final Limits limits;
  private final Scheduler scheduler;
  private final AtomicInteger total = new AtomicInteger();
  /** Open connections per client (an IPv6 one's /64); one leaves at zero: the map stays bounded. */
  private final Map<InetAddress, Integer> perClient = new ConcurrentHashMap<>();
  /** Every counted connection, and how far its current request had got at the last check. */
  private final Map<Connection, Progress> open = new ConcurrentHashMap<>();
  private volatile Scheduler.Task check;
  private volatile boolean shutdown;

  ConnectionGuard(Limits limits, Scheduler scheduler) {
    this.limits = limits;
    this.scheduler = scheduler;
  }

  @Override
  public void onOpened(Connection connection) {
    InetAddress client = client(connection);
    open.put(connection, new Progress(client));
    boolean overTotal = total.incrementAndGet() > limits.maxConnections();
    boolean overClient = perClient.merge(client, 1, Integer::sum)
        > limits.maxConnectionsPerClient();
    if (overTotal || overClient) {
      connection.getEndPoint().close(); // onClosed follows and uncounts it
    }
  }

  @Override
  public void onClosed(Connection connection) {
    Progress progress = open.remove(connection);
    if (progress != null) {
      total.decrementAndGet();
      perClient.computeIfPresent(progress.client, (a, n) -> n <= 1 ? null : n - 1);
    }
  }

  /** Open connections now, counted as the caps count them. */
  int openConnections() {
    return total.get();
  }

  /** Remote addresses with an open connection now. */
  int clients() {
    return perClient.size();
  }

  @Override
  protected void doStart() {
    shutdown = false;
    schedule();
  }

  @Override
  protected void doStop() {
    Scheduler.Task task = check;
    if (task != null) {
      task.cancel();
    }
  }

  /**
   * A graceful stop begins: closes the connections that wait between requests. Jetty would wait
   * for each to be idle for its shutdown idle timeout (1 s) first, and a keep-alive client's
   * connection always is; a connection with a request in flight is left to finish it (Jetty
   * closes it after its response).
   */
  @Override
  public CompletableFuture<Void> shutdown() {
    shutdown = true;
    open.keySet().forEach(connection -> {
      if (connection instanceof HttpConnection http
          && http.getParser().getState() == HttpParser.State.START) {
        connection.getEndPoint().close();
      }
    });
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  private void schedule() {
    try {
      check = scheduler.schedule(this::checkDeadlines, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The server is stopping.
    }
  }

  private void checkDeadlines() {
    long now = System.nanoTime();
    open.forEach((connection, progress) -> {
      if (connection instanceof HttpConnection http && overdue(http, progress, now)) {
        connection.getEndPoint().close();
      }
    });
    if (isRunning()) {
      schedule();
    }
  }

  /**
   * Whether the request {@code http} is reading has taken too long. Its parser belongs to the
   * connection's own thread: these reads race with it, at worst deciding one check late.
   */
  private boolean overdue(HttpConnection http, Progress progress, long now) {
    HttpParser parser = http.getParser();
    HttpParser.State state = parser.getState();
    long messages = http.getMessagesIn();
    long bytes = http.getBytesIn();
    if (messages != progress.messages) {
      progress.messages = messages;
      progress.bytes = bytes;
      progress.paddingSince = 0;
    }
    if (state == HttpParser.State.START) {
      // Between requests. Bytes that began no request are padding (blank lines), read forever
      // unless they have a deadline of their own.
      if (bytes == progress.bytes) {
        progress.paddingSince = 0;
        return false;
      }
      if (progress.paddingSince == 0) {
        progress.paddingSince = now;
      }
      return now - progress.paddingSince > limits.headerDeadline().toNanos();
    }
    long age = now - parser.getBeginNanoTime();
    if (state.ordinal() < HttpParser.State.CONTENT.ordinal()) {
      return age > limits.headerDeadline().toNanos();
    }
    return parser.inContentState() && age > limits.bodyDeadline().toNanos();
  }

  private static InetAddress client(Connection connection) {
    if (connection.getEndPoint().getRemoteSocketAddress() instanceof InetSocketAddress a) {
      return Clients.of(a.getAddress());
    }
    return InetAddress.getLoopbackAddress(); // not an IP socket: all such clients count as one
  }

  /** Where one connection's current request stood at the last check. */
  private static final class Progress {
    final InetAddress client;
    long messages;
    long bytes;
    long paddingSince;

    Progress(InetAddress client) {
      this.client = client;
    }
  }
}
