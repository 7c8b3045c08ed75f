package dev.naap.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interrupts the thread running a request's handler when its client closes the connection, so that
 * a statement the handler waits on is cancelled (an interrupt cancels a store call: the embedded
 * engine stops a read within a tenth of a second) instead of running to its end, up to its 30 s
 * limit, holding an engine connection for nobody.
 *
 * <p>Jetty does not read an HTTP/1.1 connection while its request is handled, so it sees a client
 * leave only when the answer is written. This watches each such connection from one thread of its
 * own, with a selector of its own: once the request's body has been read to its end (or it has
 * none), the socket turning readable with no byte to read is the client's end of stream (or a
 * reset). Bytes (a pipelined request) are left for Jetty, unread. As ClickHouse's {@code
 * cancel_http_readonly_queries_on_client_close}, a client that half-closes its side after its
 * request counts as gone. The handler runs on the thread that calls it ({@code
 * com.sun.net.httpserver} handlers are synchronous); the interrupt reaches it only while it runs,
 * and not once it writes its answer (a write to a client that left fails by itself).
 */
final class ClientGone extends Handler.Wrapper {

  private static final Logger log = LoggerFactory.getLogger(ClientGone.class);
  /** How often the watcher takes new watches and drops ended ones (it wakes on a leave at once). */
  static final long POLL_MILLIS = 100;

  private final Queue<Watch> added = new ConcurrentLinkedQueue<>();
  private volatile Selector selector;
  private volatile Thread watcher;

  ClientGone(Handler next) {
    super(next);
  }

  @Override
  protected void doStart() throws Exception {
    Selector s = Selector.open();
    selector = s;
    watcher = Thread.ofPlatform().daemon().name("naap-http-client-gone").start(() -> watch(s));
    super.doStart();
  }

  @Override
  protected void doStop() throws Exception {
    super.doStop();
    Thread t = watcher;
    Selector s = selector;
    if (s != null) {
      s.close();
    }
    if (t != null) {
      t.join(1_000);
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!(request.getConnectionMetaData().getConnection().getEndPoint()
        instanceof SocketChannelEndPoint endPoint)) {
      return super.handle(request, response, callback);
    }
    Watch watch = new Watch(Thread.currentThread(), endPoint.getChannel(), !hasBody(request));
    Request watched = watch.bodyRead ? request : new Reading(request, watch);
    added.add(watch);
    try {
      return super.handle(watched, new Writing(request, response, watch), callback);
    } finally {
      watch.end();
    }
  }

  /** A body was announced: a length above zero, or chunks (Jetty refuses other codings). */
  private static boolean hasBody(Request request) {
    return request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > 0
        || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
  }

  private void watch(Selector s) {
    Set<Watch> watching = new HashSet<>();
    try {
      while (s.isOpen()) {
        s.select(POLL_MILLIS);
        long now = System.nanoTime();
        for (SelectionKey key : s.selectedKeys()) {
          Watch w = (Watch) key.attachment();
          if (w.bodyRead && endOfStream(w.channel)) {
            key.cancel();
            watching.remove(w);
            w.gone();
          } else {
            // Bytes to read (a body not read yet, a pipelined request): readiness stays on, so
            // the key rests for a poll, or the loop would spin.
            rest(key, 0);
            w.restingSince = now;
          }
        }
        s.selectedKeys().clear();
        boolean cancelled = false;
        for (Iterator<Watch> i = watching.iterator(); i.hasNext(); ) {
          Watch w = i.next();
          if (w.ended || !w.key.isValid()) {
            w.key.cancel();
            i.remove();
            cancelled = true;
          } else if (w.restingSince != 0 && now - w.restingSince >= POLL_MILLIS * 1_000_000) {
            w.restingSince = 0;
            rest(w.key, SelectionKey.OP_READ);
          }
        }
        if (cancelled) {
          s.selectNow(); // deregisters them: a keep-alive channel comes back with its next request
          s.selectedKeys().clear();
        }
        for (Watch w; (w = added.poll()) != null; ) {
          if (w.ended) {
            continue;
          }
          try {
            SelectionKey previous = w.channel.keyFor(s);
            if (previous != null) {
              // The connection's previous request, ended since the pass above: registering now
              // would share its key, and its cancel would drop this watch.
              previous.cancel();
              watching.remove((Watch) previous.attachment());
              s.selectNow();
              s.selectedKeys().clear();
            }
            w.key = w.channel.register(s, SelectionKey.OP_READ, w);
            watching.add(w);
          } catch (IOException | RuntimeException e) {
            w.gone(); // closed already: nobody is left to answer
          }
        }
      }
    } catch (IOException | ClosedSelectorException e) {
      if (s.isOpen()) {
        log.warn("stopped watching for clients that leave: {}", e.toString());
      }
    }
  }

  /** Sets {@code key}'s interest, unless its channel was closed meanwhile (by Jetty). */
  private static void rest(SelectionKey key, int ops) {
    try {
      key.interestOps(ops);
    } catch (CancelledKeyException e) {
      // dropped at the next round
    }
  }

  /** Whether the readable {@code channel} has nothing to read: its end, or a reset. */
  private static boolean endOfStream(SocketChannel channel) {
    try {
      return channel.socket().getInputStream().available() == 0;
    } catch (IOException e) {
      return true;
    } catch (RuntimeException e) {
      return false; // not a socket this can read the state of: left to Jetty
    }
  }

  /** One request being handled: its thread, until the handler returns. */
  private static final class Watch {
    final SocketChannel channel;
    volatile boolean bodyRead;
    volatile boolean ended;
    /** Only the watcher's thread uses these. */
    SelectionKey key;
    long restingSince;
    private Thread handler;
    private final Thread thread;

    Watch(Thread handler, SocketChannel channel, boolean bodyRead) {
      this.handler = handler;
      this.thread = handler;
      this.channel = channel;
      this.bodyRead = bodyRead;
    }

    synchronized void gone() {
      if (handler != null) {
        handler.interrupt();
        handler = null;
      }
    }

    /** The handler returned: no interrupt may reach its thread after this. */
    synchronized void end() {
      handler = null;
      ended = true;
    }

    /**
     * The handler writes its answer: the statement is done, and a write to a client that left
     * fails by itself. An interrupt would fail it too, but as a write cut short that Jetty logs
     * (a warning and a stack trace per client that left), so none reaches it, and one sent for
     * this leave and not yet seen is taken back.
     */
    synchronized void writing() {
      if (handler == null && !ended && Thread.currentThread() == thread) {
        Thread.interrupted(); // gone() interrupted this thread: the write fails on the close
      }
      end();
    }
  }

  /** The response, ending the watch when the handler starts writing it. */
  private static final class Writing extends Response.Wrapper {
    private final Watch watch;

    Writing(Request request, Response response, Watch watch) {
      super(request, response);
      this.watch = watch;
    }

    @Override
    public void write(boolean last, ByteBuffer content, Callback callback) {
      if (!watch.ended) {
        watch.writing();
      }
      super.write(last, content, callback);
    }
  }

  /** The request, noting when its body has been read to the end. */
  private static final class Reading extends Request.Wrapper {
    private final Watch watch;

    Reading(Request request, Watch watch) {
      super(request);
      this.watch = watch;
    }

    @Override
    public Content.Chunk read() {
      Content.Chunk chunk = super.read();
      if (chunk != null && (chunk.isLast() || Content.Chunk.isFailure(chunk))) {
        watch.bodyRead = true;
      }
      return chunk;
    }
  }
}
