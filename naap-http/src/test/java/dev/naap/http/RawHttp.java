package dev.naap.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A misbehaving HTTP client on raw sockets, for the tests of every HTTP surface. */
public final class RawHttp {

  private RawHttp() {}

  /** A connection to loopback {@code port}, from local address {@code from} (null: any). */
  public static Socket connect(int port, String from) throws IOException {
    Socket s = new Socket();
    if (from != null) {
      s.bind(new InetSocketAddress(from, 0));
    }
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
    return s;
  }

  /** Sends {@code request} and reads until the server closes ("" if it closed at once). */
  public static String exchange(int port, String from, String request) throws IOException {
    try (Socket s = connect(port, from)) {
      s.setSoTimeout(10_000);
      try {
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
      } catch (IOException e) {
        // Closed before the request was written; read what came back, if anything.
      }
      try {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      } catch (SocketTimeoutException e) {
        throw e;
      } catch (IOException e) {
        return "";
      }
    }
  }

  /**
   * Sends {@code start}, then one byte every 200 ms, never idle; the milliseconds until the server
   * closes the connection (at most 20 s).
   */
  public static long trickle(int port, String start) throws IOException {
    try (Socket s = connect(port, null)) {
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      long t0 = System.nanoTime();
      out.write(start.getBytes(StandardCharsets.US_ASCII));
      s.setSoTimeout(200);
      while (System.nanoTime() - t0 < 20_000_000_000L) {
        try {
          out.write('a');
          out.flush();
          if (in.read() == -1) {
            break;
          }
          in.readAllBytes();
          break;
        } catch (SocketTimeoutException e) {
          // still open
        } catch (IOException e) {
          break;
        }
      }
      return (System.nanoTime() - t0) / 1_000_000;
    }
  }
}
