package dev.naap.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;

/**
 * An exchange whose request headers and target are as the client sent them, as the JDK's own
 * server gives them: Jetty's exchange splits each header at its commas and drops quotes (an
 * {@code Accept} list, an {@code If-None-Match} tag) and gives an absolute target built from
 * {@code Host}. {@link Screen} stores both on the request; everything else is Jetty's exchange.
 */
final class AsSent extends HttpExchange {

  private static final String HEADERS = AsSent.class.getName() + ".headers";
  private static final String TARGET = AsSent.class.getName() + ".target";

  private final HttpExchange jetty;

  AsSent(HttpExchange jetty) {
    this.jetty = jetty;
  }

  /** Keeps {@code request}'s headers and target for {@link AsSent}; the target must parse. */
  static void keep(Request request) {
    Headers headers = new Headers();
    for (HttpField field : request.getHeaders()) {
      if (field.getValue() != null) {
        headers.add(field.getName(), field.getValue());
      }
    }
    request.setAttribute(HEADERS, headers);
    request.setAttribute(TARGET, URI.create(request.getHttpURI().getPathQuery()));
  }

  @Override
  public Headers getRequestHeaders() {
    return (Headers) jetty.getAttribute(HEADERS);
  }

  @Override
  public URI getRequestURI() {
    return (URI) jetty.getAttribute(TARGET);
  }

  @Override
  public Headers getResponseHeaders() {
    return jetty.getResponseHeaders();
  }

  @Override
  public String getRequestMethod() {
    return jetty.getRequestMethod();
  }

  @Override
  public HttpContext getHttpContext() {
    return jetty.getHttpContext();
  }

  @Override
  public void close() {
    jetty.close();
  }

  @Override
  public InputStream getRequestBody() {
    return jetty.getRequestBody();
  }

  @Override
  public OutputStream getResponseBody() {
    return jetty.getResponseBody();
  }

  @Override
  public void sendResponseHeaders(int status, long length) throws IOException {
    jetty.sendResponseHeaders(status, length);
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return jetty.getRemoteAddress();
  }

  @Override
  public int getResponseCode() {
    return jetty.getResponseCode();
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return jetty.getLocalAddress();
  }

  @Override
  public String getProtocol() {
    return jetty.getProtocol();
  }

  @Override
  public Object getAttribute(String name) {
    return jetty.getAttribute(name);
  }

  @Override
  public void setAttribute(String name, Object value) {
    jetty.setAttribute(name, value);
  }

  @Override
  public void setStreams(InputStream in, OutputStream out) {
    jetty.setStreams(in, out);
  }

  @Override
  public HttpPrincipal getPrincipal() {
    return jetty.getPrincipal();
  }
}
