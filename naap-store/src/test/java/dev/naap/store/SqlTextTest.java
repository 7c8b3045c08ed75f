package dev.naap.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlTextTest {
  @Test
  void firstKeyword_skipsCommentsWhitespaceAndParentheses() {
    assertThat(SqlText.firstKeyword("  -- c\n/* x */ ((select 1))")).isEqualTo("SELECT");
    assertThat(SqlText.firstKeyword("# c\ninsert into t")).isEqualTo("INSERT");
    assertThat(SqlText.firstKeyword("")).isEmpty();
  }

  /** Only reads are cancelled when their caller gives up (ReadCanceller): writes never are. */
  @Test
  void isRead_selectOrWithFirst_notWritesThatHoldASelect() {
    assertThat(SqlText.isRead("/* c */ (SELECT 1) UNION ALL SELECT 2")).isTrue();
    assertThat(SqlText.isRead("with x AS (SELECT 1) SELECT * FROM x")).isTrue();
    assertThat(SqlText.isRead("INSERT INTO t SELECT * FROM s")).isFalse();
    assertThat(SqlText.isRead("CREATE TABLE t ENGINE = Memory AS SELECT 1")).isFalse();
    assertThat(SqlText.isRead("ALTER TABLE t DELETE WHERE x IN (SELECT 1)")).isFalse();
    assertThat(SqlText.isRead("SELECTED")).isFalse();
  }

  @Test
  void split_ignoresSemicolonsInQuotesAndComments() {
    assertThat(SqlText.split("""
        -- header; with a semicolon
        CREATE TABLE a (s String DEFAULT ';') ENGINE = Memory;
        /* block; comment */
        CREATE VIEW `b;c` AS SELECT 'it''s;', "x;y", 'esc\\';' FROM a; -- trailing
        ;
        """)).containsExactly(
        "CREATE TABLE a (s String DEFAULT ';') ENGINE = Memory",
        "CREATE VIEW `b;c` AS SELECT 'it''s;', \"x;y\", 'esc\\';' FROM a");
  }

  @Test
  void multiStatement_trailingSemicolonIsOne() {
    assertThat(SqlText.isMultiStatement("SELECT 1;")).isFalse();
    assertThat(SqlText.isMultiStatement("SELECT 1; -- done")).isFalse();
    assertThat(SqlText.isMultiStatement("SELECT 1; SELECT 2")).isTrue();
    assertThat(SqlText.isMultiStatement("SELECT ';'")).isFalse();
  }
}
