package dev.naap.http;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Every error Jetty answers itself, in the surface's {@link ErrorFormat}: never Jetty's HTML, a
 * stack trace or a Java class name. Jetty's own reason is kept only when it is a plain phrase
 * ("Duplicate Content-Length"); otherwise the detail is the status's own sentence.
 */
final class ErrorPage extends ErrorHandler {

  /** A reason plain enough to show: words and punctuation, no dotted name, no exception. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9 ,:;'()/_=-]{1,120}");

  private static final Map<Integer, String> DETAILS = Map.of(
      400, "the request is malformed",
      408, "the request was not read in time",
      413, "the request is too large",
      414, "the request target is too long",
      431, "the request's header fields are too large or too many",
      500, "the request failed; the server logged it",
      501, "the request uses a feature this server does not implement",
      503, "the server is stopping",
      505, "the HTTP version is not supported");

  private final ErrorFormat format;

  ErrorPage(ErrorFormat format) {
    this.format = format;
    setShowStacks(false);
    setShowCauses(false);
    setShowMessageInTitle(false);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = request.getAttribute(ERROR_STATUS) instanceof Integer s ? s : response.getStatus();
    if (status < 400 || status > 599) {
      status = 500;
    }
    String reason = request.getAttribute(ERROR_MESSAGE) instanceof String m ? m : null;
    response.setStatus(status);
    HttpFields.Mutable headers = response.getHeaders();
    headers(headers);
    byte[] body = body(status, reason);
    if (HttpMethod.HEAD.is(request.getMethod())) {
      headers.put(HttpHeader.CONTENT_LENGTH, body.length);
      response.write(true, null, callback);
    } else {
      response.write(true, ByteBuffer.wrap(body), callback);
    }
    return true;
  }

  /** Errors found while parsing, before there is a request to hand to {@link #handle}. */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    headers(fields);
    return ByteBuffer.wrap(body(status, reason));
  }

  /** As every answer of the surfaces: never kept, never sniffed, run or framed by a browser. */
  private void headers(HttpFields.Mutable headers) {
    headers.put(HttpHeader.CONTENT_TYPE, format.contentType());
    headers.put(HttpHeader.CACHE_CONTROL, "no-store");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("X-Frame-Options", HttpServers.FRAME_OPTIONS);
    headers.put("Content-Security-Policy", HttpServers.DATA_POLICY);
  }

  private byte[] body(int status, String reason) {
    String title = HttpStatus.getMessage(status);
    String detail = reason != null && PLAIN.matcher(reason).matches()
        && !reason.equalsIgnoreCase(title) && !reason.toLowerCase().contains("exception")
        ? reason
        : DETAILS.getOrDefault(status, title.toLowerCase());
    return format.body(status, title, detail);
  }
}
