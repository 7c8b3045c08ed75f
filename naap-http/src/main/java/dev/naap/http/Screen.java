package dev.naap.http;

import java.net.URI;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses, before a handler sees it, a request the handlers' {@code HttpExchange} cannot carry: too
 * many header fields (431), or a target {@code java.net.URI} rejects (400), which {@code
 * getRequestURI()} would otherwise throw on inside the handler; and {@code CONNECT} (501, and the
 * connection closed): no surface is a proxy, and a handler's 2xx would tell the client that a
 * tunnel is open. Keeps the headers and target for {@link AsSent}.
 */
final class Screen extends Handler.Wrapper {

  private final int maxHeaders;

  Screen(int maxHeaders, Handler next) {
    super(next);
    this.maxHeaders = maxHeaders;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (HttpMethod.CONNECT.is(request.getMethod())) {
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
      Response.writeError(request, response, callback, 501, "this server is not a proxy");
      return true;
    }
    if (request.getHeaders().size() > maxHeaders) {
      Response.writeError(request, response, callback, 431,
          "more than " + maxHeaders + " header fields");
      return true;
    }
    try {
      URI.create(request.getHttpURI().toString());
      AsSent.keep(request);
    } catch (IllegalArgumentException e) {
      Response.writeError(request, response, callback, 400, "the request target is not a URI");
      return true;
    }
    return super.handle(request, response, callback);
  }
}
