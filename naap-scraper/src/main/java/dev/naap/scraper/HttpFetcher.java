package dev.naap.scraper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * One HTTP GET with hard limits: a connect timeout, one deadline for the whole answer (headers and
 * body, across redirects, so a server that trickles bytes is cut off), a body size limit enforced
 * while reading, and redirects followed by hand up to a limit with loop detection. Failures become
 * a {@link SourceException} with a kind. Thread-safe: one instance serves every source.
 */
final class HttpFetcher {
  static final int MAX_REDIRECTS = 3;

  private final HttpClient client;
  private final Duration attemptTimeout;
  private final long maxBodyBytes;

  HttpFetcher(Duration connectTimeout, Duration attemptTimeout, long maxBodyBytes) {
    this.client = HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
    this.attemptTimeout = attemptTimeout;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** The body of a 200 answer to {@code GET uri}. */
  byte[] get(URI uri) throws SourceException, InterruptedException {
    long deadline = System.nanoTime() + attemptTimeout.toNanos();
    Set<URI> visited = new HashSet<>();
    URI current = uri;
    Integer lastStatus = null;
    for (int hop = 0; ; hop++) {
      if (!visited.add(current)) {
        throw new SourceException(SourceException.Kind.REDIRECT,
            "redirect loop: " + current + " was already visited", lastStatus, null);
      }
      HttpResponse<byte[]> response = send(current, deadline);
      int status = response.statusCode();
      lastStatus = status;
      if (status == 200) {
        return response.body();
      }
      var location = response.headers().firstValue("location");
      if (status >= 300 && status < 400 && location.isPresent()) {
        if (hop >= MAX_REDIRECTS) {
          throw new SourceException(SourceException.Kind.REDIRECT,
              "more than " + MAX_REDIRECTS + " redirects, last to " + location.get(), status, null);
        }
        try {
          current = current.resolve(location.get());
        } catch (IllegalArgumentException e) {
          throw new SourceException(SourceException.Kind.REDIRECT,
              "redirect to an invalid location " + location.get(), status, e);
        }
        if (!"http".equals(current.getScheme()) && !"https".equals(current.getScheme())) {
          throw new SourceException(SourceException.Kind.REDIRECT,
              "redirect to a non-HTTP location " + current, status, null);
        }
        continue;
      }
      throw new SourceException(SourceException.Kind.HTTP_STATUS,
          "HTTP " + status + " from " + current + excerpt(response.body()), status, null);
    }
  }

  private HttpResponse<byte[]> send(URI uri, long deadlineNanos)
      throws SourceException, InterruptedException {
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      throw timeout(uri, null);
    }
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(uri).GET()
          .timeout(Duration.ofNanos(remaining))
          .header("Accept", "application/json")
          .header("User-Agent", "naap-scraper")
          .build();
    } catch (IllegalArgumentException e) {
      throw new SourceException(SourceException.Kind.OTHER, "bad URL " + uri, null, e);
    }
    CompletableFuture<HttpResponse<byte[]>> future =
        client.sendAsync(request, info -> new LimitedBody(maxBodyBytes,
            info.headers().firstValueAsLong("content-length").orElse(-1)));
    try {
      return future.get(remaining, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw timeout(uri, e);
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      throw classify(uri, e.getCause());
    }
  }

  private SourceException timeout(URI uri, Throwable cause) {
    return new SourceException(SourceException.Kind.TIMEOUT,
        "no complete answer from " + uri + " within " + attemptTimeout.toMillis() + " ms",
        null, cause);
  }

  private SourceException classify(URI uri, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BodyTooLargeException) {
        return new SourceException(SourceException.Kind.TOO_LARGE,
            "body from " + uri + " " + t.getMessage(), null, t);
      }
      if (t instanceof SSLException) {
        return new SourceException(SourceException.Kind.TLS,
            "TLS with " + uri + " failed: " + t.getMessage(), null, t);
      }
      if (t instanceof HttpConnectTimeoutException) {
        return new SourceException(SourceException.Kind.TIMEOUT,
            "connect to " + uri + " timed out", null, t);
      }
      if (t instanceof HttpTimeoutException) {
        return timeout(uri, t);
      }
      if (t instanceof ConnectException) {
        return new SourceException(SourceException.Kind.CONNECT,
            "cannot connect to " + uri + ": " + t.getMessage(), null, t);
      }
    }
    if (e instanceof IOException) {
      return new SourceException(SourceException.Kind.CONNECT,
          "connection to " + uri + " failed: " + e, null, e);
    }
    return new SourceException(SourceException.Kind.OTHER,
        "request to " + uri + " failed: " + e, null, e);
  }

  private static String excerpt(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
    return s.isEmpty() ? "" : ": " + s.replaceAll("\\s+", " ");
  }

  /** The body exceeded its limit. */
  static final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(String message) {
      super(message);
    }
  }

  /** Collects a body into memory and fails as soon as it grows past the limit. */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final long max;
    private final long declared;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    LimitedBody(long max, long declared) {
      this.max = max;
      this.declared = declared;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (declared > max) {
        s.cancel();
        result.completeExceptionally(new BodyTooLargeException(
            "declares " + declared + " bytes, limit is " + max));
        return;
      }
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        if (buffer.size() + (long) b.remaining() > max) {
          subscription.cancel();
          result.completeExceptionally(new BodyTooLargeException(
              "exceeds the limit of " + max + " bytes"));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        buffer.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(buffer.toByteArray());
    }
  }
}
