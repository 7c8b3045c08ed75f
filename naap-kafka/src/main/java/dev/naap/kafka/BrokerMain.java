package dev.naap.kafka;

import java.io.IOException;
import java.io.InputStream;

/**
 * The broker child's main: Kafka's own, plus a watchdog on the parent. The parent holds the write
 * end of this process's stdin; when the parent dies, however it dies (SIGKILL included), the pipe
 * closes, the watchdog reads end-of-file and the broker exits through its shutdown hook, so no
 * broker outlives its parent. The child runs in a session of its own ({@code setsid}), so that a
 * terminal's Ctrl-C, which reaches the whole foreground process group, does not stop it before the
 * parent's consumers and producers have closed: the parent stops it after them.
 */
public final class BrokerMain {

  private BrokerMain() {}

  public static void main(String[] args) throws Exception {
    Thread.ofPlatform().daemon().name("naap-parent-watchdog").start(() -> {
      try (InputStream in = System.in) {
        while (in.read() != -1) {
          // the parent writes nothing; only end-of-file matters
        }
      } catch (IOException e) {
        // a broken pipe is the same news
      }
      System.err.println("naap-kafka: the parent process is gone; stopping the broker");
      System.exit(0);
    });
    kafka.Kafka.main(args);
  }
}
