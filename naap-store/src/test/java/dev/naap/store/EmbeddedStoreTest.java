package dev.naap.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The contract on the embedded engine, and what only the embedded engine does. */
class EmbeddedStoreTest extends StoreContractTest {
  @Override
  Store openStore() {
    return TestEngine.migratedStore("contract_embedded"); // migrations applied at open
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

  /**
   * Insert data goes through a spool file per connection: typed by the insert's columns (no
   * inference), and nothing of it left in the file afterwards, whether the insert failed or not.
   */
  @Test
  void insert_throughTheSpool_typedByItsColumns_leavesNothingBehind() throws Exception {
    store.execute("CREATE TABLE IF NOT EXISTS contract_spool (s String, n UInt8,"
        + " d UInt16 DEFAULT 7) ENGINE = MergeTree ORDER BY s");
    store.insert("INSERT INTO contract_spool (n, s) FORMAT TabSeparated",
        "1\t007\n2\t1e5\n".getBytes(UTF_8));
    assertThatThrownBy(() -> store.insert("INSERT INTO contract_spool (n, s) FORMAT TabSeparated",
        "one\tx\n".getBytes(UTF_8))).isInstanceOf(StoreException.class);

    assertThat(store.queryText("SELECT s, n, d FROM contract_spool ORDER BY n", Map.of()))
        .isEqualTo("007\t1\t7\n1e5\t2\t7\n");
    Path spool = EmbeddedEngine.spoolDirectory(TestEngine.dataDir().toRealPath());
    try (var files = Files.list(spool)) {
      assertThat(files.toList()).isNotEmpty().allSatisfy(f -> assertThat(Files.size(f)).isZero());
    }
  }

  /** file() would read these as a pattern in the spool's path. */
  @Test
  void spoolDirectory_refusesAPathThatIsAPattern() {
    for (String dir : new String[] {"/data/naap*", "/data/naap?", "/data/{a,b}"}) {
      assertThatThrownBy(() -> EmbeddedEngine.spoolDirectory(Path.of(dir)))
          .isInstanceOf(StoreException.class).hasMessageContaining("pattern");
    }
    assertThat(EmbeddedEngine.spoolDirectory(Path.of("/data/naap-1.0_x")))
        .isEqualTo(Path.of("/data/naap-1.0_x/insert-spool"));
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
