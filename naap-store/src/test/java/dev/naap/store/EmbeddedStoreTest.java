package dev.naap.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract on the embedded engine, and what only the embedded engine does. */
class EmbeddedStoreTest extends StoreContractTest {
  @Override
  Store openStore() {
    return TestEngine.store("contract_embedded");
  }

  /** chDB would end the data at the empty line and run the rest as a statement of its own. */
  @Test
  void insert_valuesWithAnEmptyLine_isRefused() {
    store.execute("CREATE TABLE IF NOT EXISTS contract_values (a String)"
        + " ENGINE = MergeTree ORDER BY a");
    assertThatThrownBy(() -> store.insert("INSERT INTO contract_values (a) VALUES",
        "('x')\n\nDROP TABLE contract_values".getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty line");
    store.insert("INSERT INTO contract_values (a) VALUES", "('x'),\n('y')".getBytes(UTF_8));
    assertThat(store.queryText("SELECT count() FROM contract_values", Map.of()))
        .isEqualTo("2\n");
  }

  @Test
  void hasEmptyLine_findsEveryFormOfIt() {
    assertThat(ChdbLibrary.hasEmptyLine("a\nb\n".getBytes(UTF_8))).isFalse();
    assertThat(ChdbLibrary.hasEmptyLine(" \n".getBytes(UTF_8))).isFalse();
    assertThat(ChdbLibrary.hasEmptyLine("a\r\nb\r\n".getBytes(UTF_8))).isFalse();
    assertThat(ChdbLibrary.hasEmptyLine("a\n\nb".getBytes(UTF_8))).isTrue();
    assertThat(ChdbLibrary.hasEmptyLine("a\n\r\nb".getBytes(UTF_8))).isTrue();
    assertThat(ChdbLibrary.hasEmptyLine("\na".getBytes(UTF_8))).isTrue();
    assertThat(ChdbLibrary.hasEmptyLine("\r\na".getBytes(UTF_8))).isTrue();
    assertThat(ChdbLibrary.hasEmptyLine(new byte[0])).isFalse();
  }
}
