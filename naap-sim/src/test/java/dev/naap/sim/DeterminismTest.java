package dev.naap.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeterminismTest {

  private static byte[] digest(SimConfig config) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    new Simulator(config).run(new EventSink() {
      @Override
      public void send(String key, byte[] value) {
        md.update(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        md.update(value);
        md.update((byte) '\n');
      }
    });
    return md.digest();
  }

  @Test
  void sameSeed_givesIdenticalBytes_includingQuirks() throws Exception {
    SimConfig config = SimRun.peak(99, Duration.ofMinutes(30)).lossRate(0.01).duplicateRate(0.01)
        .lateRate(0.01).malformedRate(0.01).build();
    assertThat(digest(config)).isEqualTo(digest(config));
  }

  @Test
  void differentSeed_givesDifferentBytes() throws Exception {
    assertThat(digest(SimRun.peak(1, Duration.ofMinutes(10)).build()))
        .isNotEqualTo(digest(SimRun.peak(2, Duration.ofMinutes(10)).build()));
  }

  @Test
  void sameSeed_givesTheSameGroundTruth() {
    SimConfig config = SimRun.peak(5, Duration.ofMinutes(20)).build();
    assertThat(new Simulator(config).run(new EventSink() {
      @Override
      public void send(String key, byte[] value) {}
    })).isEqualTo(new Simulator(config).run((k, v) -> {}));
  }
}
