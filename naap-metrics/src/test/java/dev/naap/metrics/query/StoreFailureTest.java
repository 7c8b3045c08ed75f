package dev.naap.metrics.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.store.StoreException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class StoreFailureTest {

  @Test
  void of_findsTheStoreErrorAmongTheCauses() {
    var busy = new StoreException(202, "Code: 202. Too many simultaneous queries", "SELECT 1");
    StoreFailure f = StoreFailure.of(new ExecutionException(busy)).orElseThrow();
    assertThat(f.busy()).isTrue();
    assertThat(f.kind()).isEqualTo("code 202");
    assertThat(f.reason()).startsWith("Code: 202").doesNotContain("SELECT");
  }

  @Test
  void of_unreachableStore_andNoStoreError() {
    var down = new StoreException(0, "connection refused", "SELECT 1");
    assertThat(StoreFailure.of(down).orElseThrow().kind()).isEqualTo("unreachable");
    assertThat(StoreFailure.of(down).orElseThrow().busy()).isFalse();
    assertThat(StoreFailure.of(new IllegalStateException("a bug"))).isEmpty();
  }
}
