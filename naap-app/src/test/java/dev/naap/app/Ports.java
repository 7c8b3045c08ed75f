package dev.naap.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the servers a test's child processes start on 127.0.0.1, picked before they start.
 *
 * <p>A port the kernel hands out for port 0 comes from its ephemeral range, the range every
 * outgoing connection's local port also comes from: between the pick and the child's bind, the
 * child's own Kafka clients, its broker or another test's connections could take it (a demo once
 * failed "cannot listen on 127.0.0.1:35991"). These ports are below that range, where only an
 * explicit bind takes a port; they are random, so two test JVMs rarely pick the same, and one JVM
 * never hands out a port twice.
 */
final class Ports {

  private static final int LOWEST = 20_000;
  private static final Set<Integer> GIVEN = new HashSet<>();

  private Ports() {}

  /** A port of 127.0.0.1 that nothing listens on now and that this JVM has not handed out. */
  static synchronized int free() throws IOException {
    int below = ephemeralStart();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
      if (!GIVEN.contains(port) && bindable(port)) {
        GIVEN.add(port);
        return port;
      }
    }
    throw new IOException("no free port in " + LOWEST + "-" + (below - 1));
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The first port of the kernel's ephemeral range (Linux; 32 768, its default, elsewhere). */
  private static int ephemeralStart() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      int start = Integer.parseInt(range.split("\\s+")[0]);
      return start > LOWEST + 1_000 ? start : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
