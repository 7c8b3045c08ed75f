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
    Store store =
        Stores.open(new StoreConfig.Embedded(dataDir, mode.equals("pool-timeout") ? 1 : 3));
    store.execute("CREATE TABLE IF NOT EXISTS exit_probe (x UInt32) ENGINE = MergeTree ORDER BY x");
    store.insert("INSERT INTO exit_probe FORMAT JSONEachRow", "{\"x\":1}\n".getBytes());
    System.out.println(
        "rows " + store.queryText("SELECT count() FROM exit_probe", Map.of()).strip());
    switch (mode) {
      case "exit" -> System.exit(0);
      case "return" -> { }
      case "close" -> store.close();
      case "exit-while-busy" -> {
        Thread busy =
            Thread.ofPlatform()
                .daemon()
                .start(
                    () -> {
                      System.out.println(
                          "busy result " + store.queryText("SELECT sleep(1.5)", Map.of()).strip());
                    });
        Thread.sleep(300);
        System.out.println("exiting while busy " + busy.isAlive());
        System.exit(0);
      }
      case "close-reopen" -> {
        store.close();
        try (Store again =
            Stores.open(new StoreConfig.Embedded(dataDir.resolveSibling("other"), 2))) {
          System.out.println("reopened " + again.queryText("SELECT count() FROM system.one",
              Map.of()).strip());
        }
      }
      case "pool-timeout" -> {
        Thread.ofPlatform().daemon().start(() -> store.queryText("SELECT sleep(2)", Map.of()));
        Thread.sleep(300);
        try {
          store.queryText("SELECT 1", Map.of());
          System.out.println("no timeout");
        } catch (StoreException e) {
          System.out.println("timed out with code " + e.code() + ": " + e.getMessage());
        }
      }
      default -> throw new IllegalArgumentException(mode);
    }
  }
}
