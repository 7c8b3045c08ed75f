package dev.naap.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A request's side statement runs at the same time as its main one, and never outlives it. */
class BesideTest {

  @Test
  void bothRunAtOnce_andBothResultsReturn() throws Exception {
    // Each call waits for the other to have started: run one after the other, this would time out.
    CountDownLatch started = new CountDownLatch(2);
    var both =
        Beside.run(
            () -> meet(started, "main"),
            () -> meet(started, 42));
    assertThat(both.main()).isEqualTo("main");
    assertThat(both.side()).isEqualTo(42);
  }

  @Test
  void aFailingSideCall_failsTheCall_withItsOwnException() {
    IllegalStateException failure = new IllegalStateException("store down");
    assertThatThrownBy(
            () ->
                Beside.run(
                    () -> "main",
                    () -> {
                      throw failure;
                    }))
        .isSameAs(failure);
  }

  @Test
  void aFailingMainCall_takesTheSideCallBack() throws Exception {
    CountDownLatch sideStarted = new CountDownLatch(1);
    CountDownLatch sideEnded = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    assertThatThrownBy(
            () ->
                Beside.run(
                    () -> {
                      await(sideStarted);
                      throw new IllegalArgumentException("bad query");
                    },
                    () -> {
                      sideStarted.countDown();
                      try {
                        Thread.sleep(60_000);
                      } catch (InterruptedException e) {
                        interrupted.set(true);
                      } finally {
                        sideEnded.countDown();
                      }
                      return 0;
                    }))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(sideEnded.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(interrupted).isTrue();
  }

  private static <T> T meet(CountDownLatch started, T value) {
    started.countDown();
    await(started);
    return value;
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the other call did not start");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
