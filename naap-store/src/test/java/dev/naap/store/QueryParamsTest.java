package dev.naap.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryParamsTest {
  static String one(Object value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("p", value);
    return QueryParams.encode(m).getFirst().text();
  }

  @Test
  void scalars_areTsvEscapedText() {
    assertThat(one("a\tb\nc\\d'e\"")).isEqualTo("a\\tb\\nc\\\\d'e\"");
    assertThat(one("\r\0\b\f")).isEqualTo("\\r\\0\\b\\f");
    assertThat(one(null)).isEqualTo("\\N");
    assertThat(one("\\N")).isEqualTo("\\\\N");
    assertThat(one(true)).isEqualTo("true");
    assertThat(one(12L)).isEqualTo("12");
    assertThat(one(new BigDecimal("1E+3"))).isEqualTo("1000");
    assertThat(one(Double.NaN)).isEqualTo("nan");
    assertThat(one(-0.5f)).isEqualTo("-0.5");
  }

  @Test
  void instants_areEpochSecondsWithTheFractionTheyHave() {
    assertThat(one(Instant.ofEpochSecond(1_700_000_000))).isEqualTo("1700000000");
    assertThat(one(Instant.ofEpochSecond(1_700_000_000, 120_000_000))).isEqualTo("1700000000.12");
    assertThat(one(Instant.ofEpochSecond(-2, 500_000_000))).isEqualTo("-1.5");
    assertThat(one(Instant.EPOCH)).isEqualTo("0");
  }

  @Test
  void collections_areArrayLiteralsWithQuotedStrings() {
    assertThat(one(List.of("a", "it's", "tab\t", "back\\")))
        .isEqualTo("['a','it\\'s','tab\\t','back\\\\']");
    assertThat(one(List.of(1, 2))).isEqualTo("[1,2]");
    assertThat(one(Arrays.asList(null, "x"))).isEqualTo("[NULL,'x']");
    assertThat(one(List.of(List.of(1), List.of()))).isEqualTo("[[1],[]]");
    assertThat(one(List.of(Instant.ofEpochSecond(5)))).isEqualTo("['5']");
    assertThat(one(List.of())).isEqualTo("[]");
  }

  @Test
  void raw_isVerbatim() {
    assertThat(one(new RawParam("{'a':1}\\t"))).isEqualTo("{'a':1}\\t");
  }
}
