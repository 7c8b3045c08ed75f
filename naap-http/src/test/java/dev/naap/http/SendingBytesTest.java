package dev.naap.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendingBytesTest {

  private final SendingBytes sending = new SendingBytes(1_000);

  @Test
  void aClientHoldsAtMostItsShare_theRestStaysForOthers() {
    assertThat(sending.share()).isEqualTo(1_000 / SendingBytes.CLIENT_SHARES);
    SendingBytes.Hold a1 = sending.tryHold("a", 150);
    SendingBytes.Hold a2 = sending.tryHold("a", 100);
    assertThat(a1.refusal()).isNull();
    assertThat(a2.refusal()).as("250: its share exactly").isNull();
    SendingBytes.Hold a3 = sending.tryHold("a", 1);
    assertThat(a3.refusal()).isEqualTo(SendingBytes.Refusal.CLIENT);
    a3.close(); // holds nothing
    assertThat(sending.held("a")).isEqualTo(250);
    assertThat(sending.tryHold("b", 250).refusal()).isNull();
    assertThat(sending.available()).isEqualTo(500);
    assertThat(sending.refused()).isEqualTo(1);

    a1.close();
    a1.close(); // once
    assertThat(sending.held("a")).isEqualTo(100);
    assertThat(sending.available()).isEqualTo(650);
    assertThat(sending.tryHold("a", 150).refusal()).isNull();
  }

  /** As one answer larger than the whole budget is sent when nothing else is. */
  @Test
  void oneAnswerLargerThanTheShare_isSentWhenTheClientHoldsNothingElse() {
    SendingBytes.Hold big = sending.tryHold("a", 600);
    assertThat(big.refusal()).isNull();
    assertThat(sending.tryHold("a", 1).refusal()).isEqualTo(SendingBytes.Refusal.CLIENT);
    assertThat(sending.tryHold("b", 500).refusal()).isEqualTo(SendingBytes.Refusal.ALL);
    assertThat(sending.tryHold("b", 400).refusal()).isNull();
    big.close();
    assertThat(sending.tryHold("a", 2_000).refusal()).as("beyond all: needs all free")
        .isEqualTo(SendingBytes.Refusal.ALL);
  }

  @Test
  void theTableHoldsOnlyClientsHoldingBytes() {
    List<SendingBytes.Hold> holds = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      holds.add(sending.tryHold("client-" + i, 5));
      holds.add(sending.tryHold("client-" + i, 5));
      sending.tryHold("empty-" + i, 0).close();
    }
    assertThat(sending.clients()).isEqualTo(100);
    assertThat(sending.available()).isZero();
    holds.forEach(SendingBytes.Hold::close);
    assertThat(sending.clients()).isZero();
    assertThat(sending.available()).isEqualTo(1_000);
  }
}
