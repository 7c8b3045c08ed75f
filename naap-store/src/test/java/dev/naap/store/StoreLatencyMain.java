package dev.naap.store;

import dev.naap.store.http.ClickHouseHttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The measurements quoted in docs/STORE.md ("Measured"). Not a JMH benchmark: wall-clock medians of
 * repeated calls after a warm-up, enough to compare orders of magnitude. Workloads: a parameterised
 * one-row SELECT (2,000 calls after 500 warm-up, one thread), the same through the HTTP facade with
 * {@code StoreConfig.Server}, a 100,000-row JSONEachRow insert (about 2.9 MB), and 8 threads x 200
 * parameterised SELECTs on 4 connections.
 *
 * <p>Run: {@code cd naap-store && LD_PRELOAD=$JAVA_HOME/lib/libjsig.so java
 * --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:<deps>
 * dev.naap.store.StoreLatencyMain}
 */
public final class StoreLatencyMain {
  private StoreLatencyMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("naap-latency");
    try (Store embedded = Stores.open(new StoreConfig.Embedded(dir, 4));
        ClickHouseHttpServer http = new ClickHouseHttpServer(embedded,
            ClickHouseHttpServer.Config.loopback(0, "latency").withWrites()).start();
        Store server = Stores.open(new StoreConfig.Server(http.url(), null, "latency", "naap"))) {
      System.out.printf("point query, embedded: median %.3f ms%n", medianMs(embedded));
      System.out.printf("point query, via HTTP facade: median %.3f ms%n", medianMs(server));
      embedded.execute("CREATE TABLE IF NOT EXISTS lat (id UInt64, s String) ENGINE = MergeTree"
          + " ORDER BY id");
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 100_000; i++) {
        sb.append("{\"id\":").append(i).append(",\"s\":\"row ").append(i).append("\"}\n");
      }
      byte[] rows = sb.toString().getBytes(StandardCharsets.UTF_8);
      for (Store s : List.of(embedded, server)) {
        long t0 = System.nanoTime();
        s.insert("INSERT INTO lat (id, s) FORMAT JSONEachRow", rows);
        System.out.printf("insert 100k rows (%d bytes), %s: %d ms%n", rows.length,
            s == embedded ? "embedded" : "via HTTP facade", (System.nanoTime() - t0) / 1_000_000);
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      long t0 = System.nanoTime();
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 200; i++) {
            embedded.queryText("SELECT {n:UInt32} + 1", Map.of("n", i));
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      pool.shutdown();
      System.out.printf("8 threads x 200 point queries on 4 connections: %d ms%n",
          (System.nanoTime() - t0) / 1_000_000);
    }
  }

  private static double medianMs(Store s) {
    for (int i = 0; i < 500; i++) {
      s.queryText("SELECT {n:UInt32} + 1", Map.of("n", i));
    }
    long[] ns = new long[2000];
    for (int i = 0; i < ns.length; i++) {
      long t0 = System.nanoTime();
      s.queryText("SELECT {n:UInt32} + 1", Map.of("n", i));
      ns[i] = System.nanoTime() - t0;
    }
    java.util.Arrays.sort(ns);
    return ns[ns.length / 2] / 1e6;
  }
}
