package dev.naap.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StoreSlotsTest {

  @Test
  void oneClientsBurst_takesEveryIdleSlot_andItsNextIsRefusedAtOnce() throws Exception {
    StoreSlots slots = new StoreSlots(4);
    for (int i = 0; i < 4; i++) {
      assertThat(slots.acquire("a")).as("slot %d", i).isTrue();
    }
    long t0 = System.nanoTime();
    assertThat(slots.acquire("a")).isFalse();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(200);
    slots.release("a");
    assertThat(slots.acquire("a")).as("a freed slot, no one waiting").isTrue();
  }

  @Test
  void aFreedSlot_goesToTheWaitingNewcomer_notToTheClientHoldingTheRest() throws Exception {
    StoreSlots slots = new StoreSlots(4);
    for (int i = 0; i < 4; i++) {
      assertThat(slots.acquire("hog")).isTrue();
    }
    CompletableFuture<Boolean> newcomer = CompletableFuture.supplyAsync(() -> {
      try {
        return slots.acquire("b");
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }, runnable -> Thread.ofVirtual().start(runnable));
    Thread.sleep(100); // b waits
    slots.release("hog");
    // At once, before b has woken: the freed slot is b's, the hog does not take it past b.
    assertThat(slots.acquire("hog")).as("the hog, right after its release").isFalse();
    assertThat(newcomer.get(2, TimeUnit.SECONDS)).isTrue();
    assertThat(slots.acquire("hog")).as("nothing left for the hog").isFalse();
  }

  @Test
  void workNoClientWaitsOn_neverWaits_andHoldsNoClaim() throws Exception {
    StoreSlots slots = new StoreSlots(1);
    assertThat(slots.acquire(null)).isTrue();
    long t0 = System.nanoTime();
    assertThat(slots.acquire(null)).isFalse();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(200);
    slots.release(null);
    assertThat(slots.acquire("a")).isTrue();
  }

  @Test
  void aClientWithinItsShare_waitsAtMostTheWait_thenIsRefused() throws Exception {
    StoreSlots slots = new StoreSlots(2);
    assertThat(slots.acquire("hog")).isTrue();
    assertThat(slots.acquire("hog")).isTrue();
    long t0 = System.nanoTime();
    assertThat(slots.acquire("b")).isFalse();
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(ms).isBetween(StoreSlots.WAIT.toMillis() - 50, StoreSlots.WAIT.toMillis() + 1_000);
    // A refused request leaves no claim behind: b is still within its share and may wait.
    slots.release("hog");
    assertThat(slots.acquire("b")).isTrue();
  }
}
