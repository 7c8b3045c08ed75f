package dev.naap.store;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
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
 * platform threads); mode {@code emptyLine} does too, with an empty line in the inserted data
 * (chDB ended inline data there; the store's spool file takes it whole); mode {@code streamed}
 * sends three inserts through chDB's streaming INSERT.
 */
public final class EngineThreadsMain {

  public static void main(String[] args) throws Throwable {
    Path dir = Path.of(args[0]);
    if (args[1].equals("streamed")) {
      streamed(dir);
      return;
    }
    int callers = 64;
    int rounds = 20;
    AtomicInteger failures = new AtomicInteger();
    try (Store store = Stores.open(new StoreConfig.Embedded(dir, 4))) {
      store.execute("CREATE TABLE IF NOT EXISTS probe (id UInt64, s String) ENGINE = MergeTree"
          + " ORDER BY id");
      byte[] rows = rows(2_000, args[1].equals("emptyLine"));
      try (ExecutorService callersPool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
          done.add(
              callersPool.submit(
                  () -> {
                    for (int r = 0; r < rounds; r++) {
                      try {
                        store.insert("INSERT INTO probe (id, s) FORMAT JSONEachRow", rows);
                        Thread.sleep(1);
                        store.queryText(
                            "SELECT count() FROM probe WHERE id >= {min:UInt64}",
                            Map.of("min", r));
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
      System.out.println("rows " + store.queryText("SELECT count() FROM probe", Map.of()).strip()
          + ", failures " + failures.get());
    }
  }

  /**
   * Three inserts through chDB's streaming INSERT on a platform thread, the way the store sent
   * data holding an empty line before its spool file: chDB 26.7 logs a Fatal line for each.
   */
  @SuppressWarnings("restricted")
  private static void streamed(Path dir) throws Throwable {
    try (Store store = Stores.open(new StoreConfig.Embedded(dir, 1))) {
      store.execute("CREATE TABLE IF NOT EXISTS probe (id UInt64, s String) ENGINE = MergeTree"
          + " ORDER BY id");
      ChdbLibrary lib = ChdbLibrary.get();
      Linker linker = Linker.nativeLinker();
      SymbolLookup chdb = SymbolLookup.libraryLookup(lib.path(), Arena.global());
      MethodHandle start = linker.downcallHandle(chdb.find("chdb_stream_insert_n").orElseThrow(),
          FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
      MethodHandle append = linker.downcallHandle(chdb.find("chdb_stream_append").orElseThrow(),
          FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
      MethodHandle done = linker.downcallHandle(chdb.find("chdb_stream_done").orElseThrow(),
          FunctionDescriptor.of(ADDRESS, ADDRESS));
      ChdbLibrary.Connection conn = lib.connect(((EmbeddedStore) store).engine().dataDir());
      try (Arena arena = Arena.ofConfined()) {
        byte[] insert = "INSERT INTO naap.probe (id, s)".getBytes(StandardCharsets.UTF_8);
        byte[] rows = rows(2_000, true);
        for (int i = 0; i < 3; i++) {
          MemorySegment stream = (MemorySegment) start.invokeExact(conn.handle(),
              arena.allocateFrom(JAVA_BYTE, insert), (long) insert.length,
              arena.allocateFrom("JSONEachRow"), (long) "JSONEachRow".length());
          int appended = (int) append.invokeExact(stream, arena.allocateFrom(JAVA_BYTE, rows),
              (long) rows.length);
          MemorySegment result = (MemorySegment) done.invokeExact(stream);
          System.out.println("streamed insert " + i + ": append " + appended + ", result "
              + !result.equals(MemorySegment.NULL));
        }
      } finally {
        lib.close(conn);
      }
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
