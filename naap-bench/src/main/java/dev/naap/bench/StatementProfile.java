package dev.naap.bench;

import dev.naap.store.Store;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where an uncached request's time goes: each call is sent {@code runs} times in a row and the
 * statements it ran on the store are timed one by one (the store's wall time, which includes its
 * queue: the requests are sequential, so there is none). Prints, per call, the request's median
 * and each statement's median; writes each statement with its parameters to {@code out} so that
 * it can be rerun with EXPLAIN.
 */
final class StatementProfile implements Store {

  private record Timed(String sql, Map<String, ?> params, double ms) {}

  private final Store store;
  private final List<Timed> timed = new ArrayList<>();

  StatementProfile(Store store) {
    this.store = store;
  }

  @Override
  public byte[] query(String sql, Map<String, ?> params, String format) {
    long t = System.nanoTime();
    try {
      return store.query(sql, params, format);
    } finally {
      synchronized (timed) {
        timed.add(new Timed(sql, params, (System.nanoTime() - t) / 1e6));
      }
    }
  }

  @Override
  public void insert(String insertStatement, byte[] data) {
    store.insert(insertStatement, data);
  }

  @Override
  public String database() {
    return store.database();
  }

  @Override
  public String description() {
    return store.description();
  }

  @Override
  public void close() {}

  /** Sends each of {@code calls} {@code runs} times and prints where the time went. */
  void run(URI base, List<String> calls, int runs, Path out) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    StringBuilder dump = new StringBuilder();
    for (String call : calls) {
      List<Double> requests = new ArrayList<>();
      Map<String, List<Double>> statements = new LinkedHashMap<>();
      for (int i = 0; i < runs + 2; i++) {
        synchronized (timed) {
          timed.clear();
        }
        long t = System.nanoTime();
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(base.resolve(call)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        double ms = (System.nanoTime() - t) / 1e6;
        if (r.statusCode() != 200) {
          throw new IOException(call + ": " + r.statusCode() + " " + new String(r.body()));
        }
        if (i < 2) {
          continue; // warm-up
        }
        requests.add(ms);
        synchronized (timed) {
          for (Timed s : timed) {
            String name = s.sql().lines().findFirst().orElse("").strip();
            statements.computeIfAbsent(name, k -> new ArrayList<>()).add(s.ms());
            if (i == 2) {
              dump.append("-- ").append(call).append('\n').append("-- params ")
                  .append(s.params()).append('\n').append(s.sql()).append("\n;\n\n");
            }
          }
        }
      }
      System.out.printf("%s: request median %.1f ms%n", call, median(requests));
      statements.forEach((name, ms) -> System.out.printf("    %6.1f ms  x%d  %s%n", median(ms),
          ms.size() / runs, name.length() > 90 ? name.substring(0, 90) : name));
    }
    Files.writeString(out, dump);
    System.out.println("statements written to " + out);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted.get(sorted.size() / 2);
  }
}
