package dev.naap.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A response to a request whose body was not read to its end says {@code Connection: close}, and
 * the connection closes after it. Without this, Jetty drains what has already arrived of the body
 * and, when more is still on its way, closes a connection its response promised to keep open: a
 * client that sent its next request on it sees it reset (RFC 9112, section 9.6). The read-only
 * surfaces leave a body unread whenever they refuse a request (405, 413, a refused query).
 */
final class UnreadBody extends Handler.Wrapper {

  UnreadBody(Handler next) {
    super(next);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!hasBody(request)) {
      return super.handle(request, response, callback);
    }
    Reading reading = new Reading(request);
    return super.handle(reading, new Closing(reading, response), callback);
  }

  /** A body was announced: a length above zero, or chunks (Jetty refuses other codings). */
  private static boolean hasBody(Request request) {
    return request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > 0
        || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
  }

  /** The request, noting when its body has been read to the end (or failed). */
  private static final class Reading extends Request.Wrapper {
    private volatile boolean ended;

    Reading(Request request) {
      super(request);
    }

    @Override
    public Content.Chunk read() {
      Content.Chunk chunk = super.read();
      if (chunk != null && (chunk.isLast() || Content.Chunk.isFailure(chunk))) {
        ended = true;
      }
      return chunk;
    }
  }

  /** The response, adding {@code Connection: close} as it commits if the body was not ended. */
  private static final class Closing extends Response.Wrapper {
    private final Reading request;

    Closing(Reading request, Response response) {
      super(request, response);
      this.request = request;
    }

    @Override
    public void write(boolean last, ByteBuffer content, Callback callback) {
      if (!request.ended && !isCommitted()) {
        getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
      }
      super.write(last, content, callback);
    }
  }
}
