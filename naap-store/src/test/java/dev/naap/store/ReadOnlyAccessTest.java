package dev.naap.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine's read-only connections: limits hold, and a failed statement leaves nothing behind.
 */
class ReadOnlyAccessTest {

  @Test
  void afterAStatementStoppedByALimit_theNextResultIsItsOwn() {
    Store store = TestEngine.store("read_only_access");
    Store readOnly = Stores.readOnly(store);
    for (String sql : new String[] {
        "SELECT number FROM numbers(10000000)",
        "SELECT repeat('x', 1000) FROM numbers(100000)",
        "SELECT repeat('x', 1000) FROM numbers(1000000)"}) {
      assertThatThrownBy(() -> readOnly.queryText(sql, Map.of())).as(sql)
          .isInstanceOfSatisfying(StoreException.class,
              e -> assertThat(e.code()).isIn(396, 159, 241));
      for (int i = 0; i < 2 * ReadOnlyAccess.DEFAULT_CONNECTIONS; i++) {
        assertThat(readOnly.queryText("SELECT 'in'", Map.of()))
            .as("after " + sql)
            .isEqualTo("in\n");
      }
    }
    assertThat(readOnly.queryText("SELECT getSetting('readonly')", Map.of())).isEqualTo("1\n");
  }
}
