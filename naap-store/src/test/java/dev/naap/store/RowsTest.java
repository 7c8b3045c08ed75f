package dev.naap.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowsTest {

  @Test
  void parse_readsFieldsByName() {
    Rows rows = Rows.parse("n\ts\tx\tt\n1\ta\\tb\t2.5\t1767225600\n\\N\t\\N\tnan\t\\N\n",
        List.of("n", "s", "x", "t"));
    assertThat(rows.size()).isEqualTo(2);
    Rows.Row first = rows.list().getFirst();
    assertThat(first.integer("n")).isEqualTo(1L);
    assertThat(first.string("s")).isEqualTo("a\tb");
    assertThat(first.decimal("x")).isEqualTo(2.5);
    assertThat(first.instant("t")).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    Rows.Row second = rows.list().get(1);
    assertThat(second.integer("n")).isNull();
    assertThat(second.count("n")).isZero();
    assertThat(second.string("s")).isNull();
    assertThat(second.decimal("x")).isNull();
    assertThat(second.instant("t")).isNull();
  }

  @Test
  void parse_otherColumnsThanExpected_throws() {
    assertThatThrownBy(() -> Rows.parse("a\tb\n1\t2\n", List.of("a", "c")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("[a, b]")
        .hasMessageContaining("[a, c]");
    assertThatThrownBy(() -> Rows.parse("b\ta\n", List.of("a", "b")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void row_unknownName_throws() {
    Rows rows = Rows.parse("a\n1\n", List.of("a"));
    assertThatThrownBy(() -> rows.single().integer("b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no column b");
  }

  @Test
  void instant_readsEpochSecondsWithFractionAndUtcText() {
    Rows rows = Rows.parse("a\tb\tc\n1767225600.25\t2026-01-01 00:00:01.123\t2026-01-01 00:00:02\n",
        List.of("a", "b", "c"));
    Rows.Row row = rows.single();
    assertThat(row.instant("a")).isEqualTo(Instant.parse("2026-01-01T00:00:00.250Z"));
    assertThat(row.instant("b")).isEqualTo(Instant.parse("2026-01-01T00:00:01.123Z"));
    assertThat(row.instant("c")).isEqualTo(Instant.parse("2026-01-01T00:00:02Z"));
  }

  @Test
  void single_withoutExactlyOneRow_throws() {
    assertThatThrownBy(() -> Rows.parse("a\n", List.of("a")).single())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("one row");
    assertThat(Rows.parse("", List.of("a")).isEmpty()).isTrue();
  }

  @Test
  void sqlLoad_readsTheResourceBesideTheClassOnce() {
    String text = Sql.load(RowsTest.class, "sql_test.sql");
    assertThat(text).contains("SELECT 1 AS one");
    assertThat(Sql.load(RowsTest.class, "sql_test.sql")).isSameAs(text);
    assertThatThrownBy(() -> Sql.load(RowsTest.class, "missing.sql"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dev/naap/store/missing.sql");
  }
}
