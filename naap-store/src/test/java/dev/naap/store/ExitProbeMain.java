package dev.naap.store;

import java.nio.file.Path;
import java.util.Map;

/**
 * Started by {@link ChdbCore177ExitTest} in its own JVM: uses the engine, then ends in the way
 * named by {@code args[1]}, without closing the store unless told to.
 */
public final class ExitProbeMain {
  private ExitProbeMain() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    String mode = args[1];
    Store store = Stores.open(new StoreConfig.Embedded(dataDir, 3));
    store.execute("CREATE TABLE IF NOT EXISTS exit_probe (x UInt32) ENGINE = MergeTree ORDER BY x");
    store.insert("INSERT INTO exit_probe FORMAT JSONEachRow", "{\"x\":1}\n".getBytes());
    System.out.println("rows " + store.queryText("SELECT count() FROM exit_probe", Map.of()).strip());
    switch (mode) {
      case "exit" -> System.exit(0);
      case "return" -> { }
      case "close" -> store.close();
      case "exit-while-busy" -> {
        Thread busy = Thread.ofPlatform().daemon().start(() -> {
          System.out.println("busy result " + store.queryText("SELECT sleep(1.5)", Map.of()).strip());
        });
        Thread.sleep(300);
        System.out.println("exiting while busy " + busy.isAlive());
        System.exit(0);
      }
      default -> throw new IllegalArgumentException(mode);
    }
  }
}
