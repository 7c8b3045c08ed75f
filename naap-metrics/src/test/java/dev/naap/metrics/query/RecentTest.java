package dev.naap.metrics.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final AtomicInteger reads = new AtomicInteger();

  @Test
  void readsAgain_onlyOnceTheValueIsMaxAgeOld() {
    Recent<Integer> recent = new Recent<>(reads::incrementAndGet, Duration.ofNanos(100), now::get);

    assertThat(recent.get()).isEqualTo(1);
    now.addAndGet(99);
    assertThat(recent.get()).isEqualTo(1);
    now.addAndGet(1);
    assertThat(recent.get()).isEqualTo(2);
    assertThat(reads).hasValue(2);
  }

  @Test
  void aNullValueIsRemembered_aFailureIsNot() {
    AtomicInteger calls = new AtomicInteger();
    Recent<String> nothing = new Recent<>(() -> {
      calls.incrementAndGet();
      return null;
    }, Duration.ofNanos(100), now::get);
    assertThat(nothing.get()).isNull();
    assertThat(nothing.get()).isNull();
    assertThat(calls).hasValue(1);

    Recent<Integer> failing = new Recent<>(() -> {
      if (reads.incrementAndGet() == 1) {
        throw new IllegalStateException("store down");
      }
      return 7;
    }, Duration.ofNanos(100), now::get);
    assertThatThrownBy(failing::get).hasMessage("store down");
    assertThat(failing.get()).isEqualTo(7);
    assertThat(failing.get()).isEqualTo(7);
    assertThat(reads).hasValue(2);
  }

  @Test
  void callersThatFindItStale_shareOneRead() throws Exception {
    CountDownLatch inRead = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Recent<Integer> recent = new Recent<>(() -> {
      inRead.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return reads.incrementAndGet();
    }, Duration.ofSeconds(10));
    List<Thread> callers = new ArrayList<>();
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 8; i++) {
      callers.add(Thread.ofVirtual().start(() -> seen.add(recent.get())));
    }
    inRead.await();
    release.countDown();
    for (Thread t : callers) {
      t.join(Duration.ofSeconds(10));
    }

    assertThat(seen).hasSize(8).containsOnly(1);
    assertThat(reads).hasValue(1);
  }
}
