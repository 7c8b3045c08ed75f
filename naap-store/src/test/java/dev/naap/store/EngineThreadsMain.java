package dev.naap.store;

import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Probe for {@link EngineThreadsTest}: many virtual threads insert and query at once, then the
 * process exits. Mode {@code store} goes through {@link Stores} (calls run on the engine's
 * platform threads); mode {@code streamed} does too, with an empty line in the inserted data, so
 * every insert goes through chDB's streaming INSERT; mode {@code direct} calls libchdb from the
 * virtual threads themselves, as the store did before, on connections opened by the main
 * thread.
 */
public final class EngineThreadsMain {

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    boolean direct = args[1].equals("direct");
    int callers = 64;
    int rounds = 20;
    AtomicInteger failures = new AtomicInteger();
    try (Store store = Stores.open(new StoreConfig.Embedded(dir, 4))) {
      store.execute("CREATE TABLE IF NOT EXISTS probe (id UInt64, s String) ENGINE = MergeTree"
          + " ORDER BY id");
      ChdbLibrary lib = ChdbLibrary.get();
      List<ChdbLibrary.Connection> raw = new ArrayList<>();
      if (direct) {
        // Connections of a second engine view, on this thread; callers use them from virtual
        // threads (one caller per connection at a time, as the old pool did).
        for (int i = 0; i < 4; i++) {
          raw.add(lib.connect(((EmbeddedStore) store).engine().dataDir()));
        }
      }
      byte[] rows = rows(2_000, args[1].equals("streamed"));
      try (ExecutorService callersPool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
          int caller = c;
          done.add(
              callersPool.submit(
                  () -> {
                    for (int r = 0; r < rounds; r++) {
                      try {
                        if (direct) {
                          ChdbLibrary.Connection conn = raw.get(caller % raw.size());
                          synchronized (conn) {
                            lib.insert(
                                conn,
                                "INSERT INTO naap.probe (id, s)".getBytes(StandardCharsets.UTF_8),
                                "JSONEachRow",
                                List.of(ByteBuffer.wrap(rows)),
                                "probe",
                                size -> Arena.ofAuto().allocate(size));
                            Thread.sleep(1); // a virtual thread may move to another carrier here
                            lib.query(
                                conn,
                                "SELECT count() FROM naap.probe".getBytes(StandardCharsets.UTF_8),
                                "probe",
                                "TabSeparated",
                                List.of(),
                                Long.MAX_VALUE);
                          }
                        } else {
                          store.insert("INSERT INTO probe (id, s) FORMAT JSONEachRow", rows);
                          Thread.sleep(1);
                          store.queryText(
                              "SELECT count() FROM probe WHERE id >= {min:UInt64}",
                              Map.of("min", r));
                        }
                      } catch (RuntimeException e) {
                        failures.incrementAndGet();
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      }
      for (ChdbLibrary.Connection c : raw) {
        lib.close(c);
      }
      System.out.println("rows " + store.queryText("SELECT count() FROM probe", Map.of()).strip()
          + ", failures " + failures.get());
    }
  }

  private static byte[] rows(int n, boolean emptyLine) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append("{\"id\":").append(i).append(",\"s\":\"row ").append(i).append("\"}\n");
      if (emptyLine && i == n / 2) {
        b.append('\n'); // JSONEachRow skips it; inline, chDB would end the data here
      }
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
