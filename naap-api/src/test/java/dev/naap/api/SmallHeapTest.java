package dev.naap.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The response cache filled with distinct large responses, far past what the heap holds, in a JVM
 * with a 160 MiB heap: the byte budget keeps it alive and answering. (Bounded by entries, 10 000
 * such responses were 1.3 GB.)
 */
class SmallHeapTest {

  @Test
  void fillingTheCache_withASmallHeap_leavesTheServerAnswering() throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx160m", "-XX:+ExitOnOutOfMemoryError",
        "-cp", System.getProperty("java.class.path"), SmallHeapServerMain.class.getName()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      var out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line;
      URI url = null;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("URL ")) {
          url = URI.create(line.substring(4));
          break;
        }
      }
      assertThat(url).as("the server started").isNotNull();
      Thread drain = Thread.ofPlatform().daemon().start(() -> {
        try {
          out.transferTo(java.io.Writer.nullWriter());
        } catch (java.io.IOException e) {
          // the child ended
        }
      });
      Http http = new Http(url);
      long served = 0;
      for (int i = 0; i < 2_500 && p.isAlive(); i++) {
        Http.Answer a = http.get("/v1/gpu/metrics?limit=1000&pipeline=p" + i);
        assertThat(a.status()).as("request %d", i).isEqualTo(200);
        served += a.body().length();
      }
      System.out.printf(
          "served %d MB of distinct cacheable responses to a 160 MiB heap%n", served >> 20);
      assertThat(p.isAlive()).as("the server is alive").isTrue();
      assertThat(served).isGreaterThan(200L << 20);
      assertThat(http.get("/health").status()).isEqualTo(200);
      p.getOutputStream().close();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      drain.join(5_000);
    } finally {
      p.destroyForcibly();
    }
  }
}
