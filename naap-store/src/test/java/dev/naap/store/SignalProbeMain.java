package dev.naap.store;

import java.nio.file.Path;
import java.util.Map;

/**
 * Started by {@link ChdbCore221SignalHandlersTest} in its own JVM: with the engine running, makes
 * C2-compiled code take implicit null checks (SIGSEGV turned into NullPointerException by the
 * JVM's handler), then checks the engine still answers.
 *
 * <p>A loop that passes null from the start would not do: the JIT would see the nulls coming and
 * compile an explicit check, and no signal would be raised. So each probe method is first warmed
 * with non-null arguments until C2 compiles it (-Xbatch makes that synchronous), and only then
 * called with null.
 */
public final class SignalProbeMain {
  static final int WARM_CALLS = 3_000_000;

  private SignalProbeMain() {}

  static int stringLength(String s) {
    return s.length();
  }

  static int firstElement(int[] a) {
    return a[0];
  }

  public static void main(String[] args) {
    Path dataDir = Path.of(args[0]);
    int npeCalls = Integer.parseInt(args[1]);
    try (Store store = Stores.open(new StoreConfig.Embedded(dataDir, 2))) {
      System.out.println("engine answers " + store.queryText("SELECT 40 + 2", Map.of()).strip());
      long sink = 0;
      String[] strings = {"a", "bb", "ccc"};
      for (int i = 0; i < WARM_CALLS; i++) {
        sink += stringLength(strings[i % 3]);
      }
      int[][] arrays = {{1}, {2}, {3}};
      for (int i = 0; i < WARM_CALLS; i++) {
        sink += firstElement(arrays[i % 3]);
      }
      System.out.println("warmed, sink " + sink);
      System.out.println("null phase");
      int npes = 0;
      for (int i = 0; i < npeCalls / 2; i++) {
        try {
          sink += stringLength(null);
        } catch (NullPointerException e) {
          npes++;
        }
        try {
          sink += firstElement(null);
        } catch (NullPointerException e) {
          npes++;
        }
      }
      System.out.println("npes " + npes);
      System.out.println("engine still answers "
          + store.queryText("SELECT {s:String}", Map.of("s", "alive")).strip());
    }
  }
}
