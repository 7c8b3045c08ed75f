package dev.naap.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Random;
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

  @Test
  void hasEmptyLine_agreesWithAByteByByteScanAtEveryOffset() {
    Random random = new Random(7);
    for (int round = 0; round < 20_000; round++) {
      byte[] data = new byte[random.nextInt(40)];
      for (int i = 0; i < data.length; i++) {
        int pick = random.nextInt(10);
        data[i] = pick == 0 ? (byte) '\n' : pick == 1 ? (byte) '\r' : pick == 2 ? (byte) 0x8A
            : (byte) random.nextInt(256);
      }
      boolean expected = false;
      for (int i = 0; i < data.length; i++) {
        expected |= data[i] == '\n' && (i == 0 || data[i - 1] == '\n'
            || (data[i - 1] == '\r' && (i == 1 || data[i - 2] == '\n')));
      }
      assertThat(ChdbLibrary.hasEmptyLine(data)).as(java.util.Arrays.toString(data))
          .isEqualTo(expected);
    }
  }
}
