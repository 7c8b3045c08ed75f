package dev.naap.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.naap.metrics.query.Column;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CSV fields of {@link Values}: what a spreadsheet opening a downloaded CSV would read. */
class ValuesTest {

  @Test
  void csv_textThatAFormulaWouldStartWith_getsAQuote_andNumbersStayNumbers() {
    List<Object> values =
        Arrays.asList("=2+5", "+1", "-x", "@SUM(A1)", "\tx", "\r=1", "=1,2", "gw-1", "", null,
            -5L, -0.25, 3);
    List<Column> columns = new java.util.ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      columns.add(new Column("c" + i, Column.Type.STRING, "", ""));
    }
    String csv = new String(Bodies.csv(columns, List.of(values)), StandardCharsets.UTF_8);
    assertThat(csv)
        .isEqualTo(
            "c0,c1,c2,c3,c4,c5,c6,c7,c8,c9,c10,c11,c12\r\n"
                + "'=2+5,'+1,'-x,'@SUM(A1),'\tx,\"'\r=1\",\"'=1,2\",gw-1,,,-5,-0.25,3\r\n");
  }
}
