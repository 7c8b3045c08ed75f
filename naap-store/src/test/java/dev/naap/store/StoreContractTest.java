package dev.naap.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link Store} must do, whatever its backend. Subclasses open the store on their own
 * database; the tests create their own tables in it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContractTest {
  /** Strings that must survive parameter binding byte for byte. */
  static final List<String> HOSTILE =
      List.of(
          "",
          "plain",
          "it's",
          "two '' quotes",
          "double \" quote",
          "back\\slash",
          "ends with backslash\\",
          "\\N",
          "\\\\N",
          "\\t literal backslash-t",
          "tab\there",
          "new\nline",
          "carriage\rreturn",
          "crlf\r\n",
          "nul\0byte",
          "bell\u0007 and escape\u001b",
          "'); DROP TABLE contract_victim; --",
          "' OR '1'='1",
          "{x:String}",
          "`backtick` and $dollar$",
          "unicode: żółć 日本語 עברית 🚀 \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67",
          "[1,2]",
          "['array','lookalike']",
          "x".repeat(100_000));

  Store store;

  /** Opens the store under test on a fresh database. */
  abstract Store openStore();

  @BeforeAll
  void open() {
    store = openStore();
  }

  @AfterAll
  void close() {
    if (store != null) {
      store.close();
    }
  }

  String text(String sql) {
    return store.queryText(sql, Map.of());
  }

  String text(String sql, Map<String, ?> params) {
    return store.queryText(sql, params);
  }

  // ----- queries and formats -----

  @Test
  void query_tabSeparatedIsTheTextDefault() {
    assertThat(text("SELECT 1, 'a', toDate('2024-02-29')")).isEqualTo("1\ta\t2024-02-29\n");
  }

  @Test
  void query_returnsTheRequestedFormat() {
    String sql = "SELECT number AS n, toString(number) AS s FROM numbers(2)";
    assertThat(new String(store.query(sql, Map.of(), "JSONEachRow"), UTF_8))
        .isEqualTo("{\"n\":0,\"s\":\"0\"}\n{\"n\":1,\"s\":\"1\"}\n");
    assertThat(new String(store.query(sql, Map.of(), "CSVWithNames"), UTF_8))
        .isEqualTo("\"n\",\"s\"\n0,\"0\"\n1,\"1\"\n");
    assertThat(new String(store.query(sql, Map.of(), "TSVWithNames"), UTF_8))
        .isEqualTo("n\ts\n0\t0\n1\t1\n");
    assertThat(new String(store.query(sql, Map.of(), "JSON"), UTF_8))
        .contains("\"data\":").contains("\"rows\": 2");
    byte[] rowBinary = store.query("SELECT toUInt32(258)", Map.of(), "RowBinary");
    assertThat(rowBinary).containsExactly(2, 1, 0, 0);
  }

  @Test
  void query_formatClauseWinsOverTheFormatArgument() {
    assertThat(new String(store.query("SELECT 1 AS x FORMAT JSONEachRow", Map.of(), "CSV"), UTF_8))
        .isEqualTo("{\"x\":1}\n");
  }

  @Test
  void query_emptyResultIsEmpty() {
    assertThat(store.query("SELECT 1 WHERE 0", Map.of(), "JSONEachRow")).isEmpty();
  }

  @Test
  void rows_readTheResultByName() {
    Rows rows = Rows.query(store, "SELECT number AS n, if(number = 1, NULL, toString(number)) AS s,"
        + " toDateTime64('2026-01-01 00:00:01.5', 3, 'UTC') AS t FROM numbers(2)",
        Map.of(), List.of("n", "s", "t"));
    assertThat(rows.list()).extracting(r -> r.integer("n")).containsExactly(0L, 1L);
    assertThat(rows.list()).extracting(r -> r.string("s")).containsExactly("0", null);
    assertThat(rows.list().getFirst().instant("t"))
        .isEqualTo(Instant.parse("2026-01-01T00:00:01.500Z"));
    assertThat(Rows.query(store, "SELECT 1 AS n WHERE 0", Map.of(), List.of("n")).isEmpty())
        .isTrue();
    assertThatThrownBy(() -> Rows.query(store, "SELECT 1 AS m", Map.of(), List.of("n")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void database_isWhereUnqualifiedNamesResolve() {
    assertThat(text("SELECT currentDatabase()")).isEqualTo(store.database() + "\n");
    assertThat(store.description()).isNotBlank();
  }

  // ----- parameters -----

  @Test
  void params_everySupportedTypeBinds() {
    Map<String, Object> p = new HashMap<>();
    p.put("s", "text");
    p.put("i", 42);
    p.put("l", -9_000_000_000L);
    p.put("d", 2.5);
    p.put("big", new BigDecimal("12345678901234567890.123456789"));
    p.put("b", true);
    p.put("f", false);
    p.put("strs", List.of("a", "b'c"));
    p.put("ints", List.of(1, 2, 3));
    p.put("nested", List.of(List.of(1, 2), List.of()));
    p.put("empty", List.of());
    assertThat(text("SELECT {s:String}, {i:Int32}, {l:Int64}, {d:Float64},"
        + " {big:Decimal(38, 9)}, {b:Bool}, {f:Bool}, {strs:Array(String)}, {ints:Array(UInt8)},"
        + " {nested:Array(Array(Int32))}, length({empty:Array(String)})", p))
        .isEqualTo("text\t42\t-9000000000\t2.5\t12345678901234567890.123456789\ttrue\tfalse"
            + "\t['a','b\\'c']\t[1,2,3]\t[[1,2],[]]\t0\n");
  }

  @Test
  void params_upToMaxParamCharsReachTheEngineWhole() {
    // Keys made of the characters URL encoding expands most, as the refresh packs them.
    int limit = Math.min(store.maxParamChars(), 200_000);
    StringBuilder b = new StringBuilder("[");
    int n = 0;
    String tuple = "('%/ &?=#+\\'','\\\\;:,@')";
    while (b.length() + tuple.length() + 2 <= limit) {
      b.append(n++ > 0 ? "," : "").append(tuple);
    }
    String text = b.append(']').toString();
    assertThat(text.length()).isLessThanOrEqualTo(limit);
    String sql = "SELECT length({k:Array(Tuple(String, String))}),"
        + " {k:Array(Tuple(String, String))}[1].2";
    assertThat(text(sql, Map.of("k", new RawParam(text)))).isEqualTo(n + "\t\\\\;:,@\n");
  }

  @Test
  void params_floatSpecialValues() {
    assertThat(text("SELECT {a:Float64}, {b:Float64}, {c:Float64}, {e:Float64}",
        Map.of("a", Double.NaN, "b", Double.POSITIVE_INFINITY, "c", Double.NEGATIVE_INFINITY,
            "e", 1e300)))
        .isEqualTo("nan\tinf\t-inf\t1e300\n");
  }

  @Test
  void params_instantsBindInAnyTimeZone() {
    Instant t = Instant.parse("2023-11-14T22:13:20.123456789Z");
    Map<String, Object> p = Map.of("t", t, "sec", Instant.parse("2023-11-14T22:13:20Z"),
        "old", Instant.parse("1969-12-31T23:59:58.500Z"), "ts", List.of(t, t.plusSeconds(1)));
    assertThat(
            text(
                "SELECT {t:DateTime64(3, 'UTC')}, {t:DateTime64(9, 'UTC')},"
                    + " toUnixTimestamp64Milli({t:DateTime64(3, 'Asia/Tokyo')}),"
                    + " {sec:DateTime('UTC')}, {old:DateTime64(3, 'UTC')}, {ts:Array(DateTime64(3,"
                    + " 'UTC'))}",
                p))
        .isEqualTo(
            "2023-11-14 22:13:20.123\t2023-11-14 22:13:20.123456789\t1700000000123"
                + "\t2023-11-14 22:13:20\t1969-12-31 23:59:58.500"
                + "\t['2023-11-14 22:13:20.123','2023-11-14 22:13:21.123']\n");
  }

  @Test
  void params_nullNeedsNullableAndBindsAsNull() {
    Map<String, Object> p = new HashMap<>();
    p.put("n", null);
    p.put("arr", Arrays.asList("x", null));
    assertThat(text("SELECT {n:Nullable(String)} IS NULL, {n:Nullable(Int64)} IS NULL,"
        + " {arr:Array(Nullable(String))}", p)).isEqualTo("1\t1\t['x',NULL]\n");
    // Without Nullable, NULL is no value of the type (String quietly reads it as empty).
    assertThatThrownBy(() -> text("SELECT {n:Int32}", p))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(457));
    assertThat(text("SELECT hex({n:String})", p)).isEqualTo("\n");
  }

  @Test
  void params_hostileStringsRoundTripExactly() {
    for (String s : HOSTILE) {
      String hex = text("SELECT hex({s:String})", Map.of("s", s)).strip();
      assertThat(hex).as("round trip of %s", preview(s)).isEqualTo(hex(s));
    }
  }

  @Test
  void params_hostileStringsInArraysRoundTripExactly() {
    List<String> all = HOSTILE.subList(0, HOSTILE.size() - 1);
    String out = text("SELECT arrayStringConcat(arrayMap(x -> hex(x), {a:Array(String)}), ',')",
        Map.of("a", all)).strip();
    assertThat(out.split(",", -1))
        .containsExactly(all.stream().map(this::hex).toArray(String[]::new));
  }

  @Test
  void params_areNeverSplicedIntoTheSql() {
    store.execute(
        "CREATE TABLE IF NOT EXISTS contract_victim (s String) ENGINE = MergeTree ORDER BY s");
    store.execute("INSERT INTO contract_victim VALUES ('kept')");
    String attack = "kept'; DROP TABLE contract_victim; --";
    assertThat(
            text("SELECT count() FROM contract_victim WHERE s = {s:String}", Map.of("s", attack)))
        .isEqualTo("0\n");
    assertThat(
            text("SELECT count() FROM contract_victim WHERE s = {s:String}", Map.of("s", "kept")))
        .isEqualTo("1\n");
  }

  @Test
  void params_rawTextPassesVerbatim() {
    assertThat(
            text(
                "SELECT {m:Map(String, UInt8)}['b'], tupleElement({t:Tuple(Int8, String)}, 2),"
                    + " {u:UUID}",
                Map.of(
                    "m",
                    new RawParam("{'a':1,'b':2}"),
                    "t",
                    new RawParam("(1,'x')"),
                    "u",
                    new RawParam("61f0c404-5cb3-11e7-907b-a6006ad3dba0"))))
        .isEqualTo("2\tx\t61f0c404-5cb3-11e7-907b-a6006ad3dba0\n");
  }

  @Test
  void params_badNamesAndTypesAreRejectedBeforeSending() {
    assertThatThrownBy(() -> text("SELECT 1", Map.of("bad name", 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad name");
    assertThatThrownBy(() -> text("SELECT {x:String}", Map.of("x", new Object())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported type");
  }

  @Test
  void params_unparsableValueFailsWithCode457() {
    assertThatThrownBy(() -> text("SELECT {x:UInt8}", Map.of("x", "not a number")))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(457));
  }

  // ----- inserts -----

  @Test
  void insert_jsonEachRow() {
    store.execute("CREATE TABLE IF NOT EXISTS contract_json (id UInt32, name String,"
        + " ts DateTime64(3, 'UTC'), tags Array(String)) ENGINE = MergeTree ORDER BY id");
    store.insert(
        "INSERT INTO contract_json (id, name, ts, tags) FORMAT JSONEachRow",
        ("""
        {"id":1,"name":"tab\\there","ts":"2024-01-02T03:04:05.678Z","tags":["a","b"]}
        {"id":2,"name":"quote\\"s and \\\\ back","ts":1700000000123,"tags":[]}
        {"id":3,"name":"żółć 🚀","ts":"2024-01-02 03:04:05","tags":["x"]}
        """)
            .getBytes(UTF_8));
    assertThat(
            new String(
                store.query(
                    "SELECT id, name, ts, tags FROM contract_json ORDER BY id",
                    Map.of(),
                    "JSONEachRow"),
                UTF_8))
        .isEqualTo(
            """
            {"id":1,"name":"tab\\there","ts":"2024-01-02 03:04:05.678","tags":["a","b"]}
            {"id":2,"name":"quote\\"s and \\\\ back","ts":"2023-11-14 22:13:20.123","tags":[]}
            {"id":3,"name":"żółć 🚀","ts":"2024-01-02 03:04:05.000","tags":["x"]}
            """);
  }

  @Test
  void insert_binaryStringsSurviveByteForByte() {
    store.execute("CREATE TABLE IF NOT EXISTS contract_binary (id UInt32, s String)"
        + " ENGINE = MergeTree ORDER BY id");
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    List<byte[]> values = List.of(all, new byte[0], "\n\t\\'\"".getBytes(UTF_8),
        new byte[] {(byte) 0xff, (byte) 0xfe, 0, '\n', (byte) 0xc3});
    ByteArrayOutputStream rows = new ByteArrayOutputStream();
    for (int id = 0; id < values.size(); id++) {
      rows.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(id).array());
      byte[] v = values.get(id);
      writeVarUInt(rows, v.length);
      rows.writeBytes(v);
    }
    store.insert("INSERT INTO contract_binary (id, s) FORMAT RowBinary", rows.toByteArray());
    List<String> expected = values.stream().map(StoreContractTest::hexOf).toList();
    assertThat(text("SELECT arrayStringConcat(groupArray(hex(s)), ',') FROM"
        + " (SELECT s FROM contract_binary ORDER BY id)").strip().split(",", -1))
        .containsExactlyElementsOf(expected);
  }

  /**
   * Regression: data appended to the query text lost or misread RowBinary rows whose integers held
   * line-break bytes (offset 2570 is 0x0A0A); the embedded backend now streams the data instead.
   */
  @Test
  void insert_rowBinaryIntegersWithLineBreakBytes_keepEveryRowIntact() {
    store.execute("CREATE TABLE IF NOT EXISTS contract_rowbinary (a Int64, b Int64)"
        + " ENGINE = MergeTree ORDER BY a");
    ByteArrayOutputStream rows = new ByteArrayOutputStream();
    long expectedSum = 0;
    for (long a = 0; a < 5000; a++) {
      rows.writeBytes(
          ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(a).putLong(7).array());
      expectedSum += a;
    }
    for (long a : new long[] {0x0A0A0A0AL, 0x0D0A0D0AL, 0x200A093BL}) {
      rows.writeBytes(
          ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(a).putLong(7).array());
      expectedSum += a;
    }
    store.insert("INSERT INTO contract_rowbinary (a, b) FORMAT RowBinary", rows.toByteArray());
    assertThat(
            text(
                "SELECT count(), sum(a), min(b), max(b), countIf(a = 2570) FROM"
                    + " contract_rowbinary"))
        .isEqualTo("5003\t" + expectedSum + "\t7\t7\t1\n");
  }

  /**
   * chDB ends an INSERT's inline data at its first empty line and would run what follows as a
   * statement of its own; the embedded store hands data over in a file, so all of it is data.
   */
  @Test
  void insert_dataWithEmptyLines_isAllData() {
    store.execute("CREATE TABLE IF NOT EXISTS contract_lines (a String)"
        + " ENGINE = MergeTree ORDER BY a");
    store.insert("INSERT INTO contract_lines (a) FORMAT JSONEachRow",
        "{\"a\":\"one\"}\n\n{\"a\":\"two\"}\r\n\r\n{\"a\":\"three\"}\n".getBytes(UTF_8));
    assertThatThrownBy(() -> store.insert("INSERT INTO contract_lines (a) FORMAT JSONEachRow",
        "{\"a\":\"four\"}\n\nDROP TABLE contract_lines\n".getBytes(UTF_8)))
        .isInstanceOf(StoreException.class);
    assertThat(text("SELECT groupArray(a) FROM (SELECT a FROM contract_lines ORDER BY a)"))
        .isEqualTo("['one','three','two']\n");
  }

  /**
   * Parts are the rows they make one after the other: a part may end mid-row, an empty line may
   * span two parts (then it is data, as in one array), and the buffers are left as they were.
   */
  @Test
  void insert_parts_areTheirBytesJoined() {
    store.execute("CREATE TABLE IF NOT EXISTS contract_parts (a String)"
        + " ENGINE = MergeTree ORDER BY a");
    ByteBuffer first = ByteBuffer.wrap("xx{\"a\":\"one\"}\n{\"a\":\"t".getBytes(UTF_8));
    first.position(2);
    List<ByteBuffer> parts = List.of(first, ByteBuffer.wrap(new byte[0]),
        ByteBuffer.wrap("wo\"}\n".getBytes(UTF_8)),
        ByteBuffer.wrap("\n{\"a\":\"three\"}\n".getBytes(UTF_8)).asReadOnlyBuffer());
    store.insert("INSERT INTO contract_parts (a) FORMAT JSONEachRow", parts);
    assertThat(first.position()).isEqualTo(2);
    assertThat(parts.get(3).position()).isZero();
    assertThat(text("SELECT groupArray(a) FROM (SELECT a FROM contract_parts ORDER BY a)"))
        .isEqualTo("['one','three','two']\n");
  }

  /** Insert data is not bound by the statement's size limit (max_query_size, 256 KiB). */
  @Test
  void insert_largeText_keepsEveryRow() {
    store.execute("CREATE TABLE IF NOT EXISTS contract_large (id UInt32, s String)"
        + " ENGINE = MergeTree ORDER BY id");
    StringBuilder rows = new StringBuilder();
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      rows.append(i).append("\tline\\none\\ttab\\\\slash ").append("x".repeat(60))
          .append('\n');
    }
    store.insert("INSERT INTO contract_large (id, s) FORMAT TabSeparated",
        rows.toString().getBytes(UTF_8));
    assertThat(text("SELECT count(), sum(id), countIf(s LIKE 'line\\none\\ttab\\\\\\\\slash %')"
        + " FROM contract_large")).isEqualTo(n + "\t" + (long) n * (n - 1) / 2 + "\t" + n + "\n");
  }

  @Test
  void insert_tabSeparatedWithEscapes() {
    store.execute("CREATE TABLE IF NOT EXISTS contract_tsv (a String, b Nullable(Int32))"
        + " ENGINE = MergeTree ORDER BY a");
    store.insert("INSERT INTO contract_tsv (a, b) FORMAT TabSeparated",
        "x\\ty\t1\nnull b\t\\N\n".getBytes(UTF_8));
    assertThat(text("SELECT a, b FROM contract_tsv ORDER BY a"))
        .isEqualTo("null b\t\\N\nx\\ty\t1\n");
  }

  @Test
  void insert_requiresAnInsertStatement() {
    assertThatThrownBy(() -> store.insert("SELECT 1", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void insert_bigBatch() {
    store.execute("CREATE TABLE IF NOT EXISTS contract_big (id UInt64, s String)"
        + " ENGINE = MergeTree ORDER BY id");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      sb.append("{\"id\":").append(i).append(",\"s\":\"row ").append(i).append("\"}\n");
    }
    store.insert(
        "INSERT INTO contract_big (id, s) FORMAT JSONEachRow", sb.toString().getBytes(UTF_8));
    assertThat(text("SELECT count(), sum(id), uniqExact(s) FROM contract_big"))
        .isEqualTo("100000\t4999950000\t100000\n");
  }

  // ----- errors -----

  @Test
  void errors_unknownTableIsCode60AndQuotesTheSql() {
    assertThatThrownBy(() -> text("SELECT * FROM contract_no_such_table"))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.code()).isEqualTo(60);
          assertThat(e.getMessage()).contains("contract_no_such_table").contains("[SQL: SELECT");
          assertThat(e.serverMessage()).contains("UNKNOWN_TABLE").doesNotContain("[SQL:");
        });
  }

  @Test
  void errors_syntaxErrorIsCode62() {
    assertThatThrownBy(() -> text("SELEC 1"))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(62));
  }

  @Test
  void errors_multipleStatementsAreRejectedWithCode62() {
    assertThatThrownBy(() -> text("SELECT 1; SELECT 2"))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(62));
    assertThat(text("SELECT ';' AS `a;b`; -- trailing semicolon and comment")).isEqualTo(";\n");
  }

  @Test
  void errors_longSqlIsTruncatedInTheMessage() {
    String sql = "SELECT * FROM contract_missing WHERE x = '" + "y".repeat(5000) + "'";
    assertThatThrownBy(() -> text(sql)).isInstanceOfSatisfying(StoreException.class,
        e -> assertThat(e.getMessage().length()).isLessThan(e.serverMessage().length() + 700));
  }

  @Test
  void errors_storeStaysUsableAfterAnError() {
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(() -> text("SELECT * FROM contract_missing_too"))
          .isInstanceOf(StoreException.class);
      assertThat(text("SELECT {i:UInt32}", Map.of("i", i))).isEqualTo(i + "\n");
    }
  }

  @Test
  void withDatabase_unknownDatabaseIsCode81() {
    Store other = store.withDatabase("contract_no_such_database");
    assertThatThrownBy(() -> other.queryText("SELECT 1", Map.of()))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(81));
    assertThat(text("SELECT 1")).isEqualTo("1\n");
  }

  @Test
  void withDatabase_runsInThatDatabase() {
    Store system = store.withDatabase("system");
    assertThat(system.queryText("SELECT currentDatabase(), count() > 0 FROM one", Map.of()))
        .isEqualTo("system\t1\n");
    assertThat(system.database()).isEqualTo("system");
    assertThat(text("SELECT currentDatabase()")).isEqualTo(store.database() + "\n");
  }

  // ----- concurrency and size -----

  @Test
  void concurrency_parameterisedQueriesFromManyThreadsNeverMixUp() throws Exception {
    int threads = 8;
    int perThread = 200;
    AtomicInteger failures = new AtomicInteger();
    List<String> firstFailures = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        tasks.add(() -> {
          for (int i = 0; i < perThread; i++) {
            String s = "t" + thread + "-i" + i + "\t'\\";
            try {
              String out = store.queryText("SELECT {n:UInt32} * 2, hex({s:String})",
                  Map.of("n", thread * 1000 + i, "s", s));
              if (!out.equals((thread * 1000 + i) * 2 + "\t" + hex(s) + "\n")) {
                failures.incrementAndGet();
                firstFailures.add("wrong result " + out);
              }
            } catch (RuntimeException e) {
              failures.incrementAndGet();
              firstFailures.add(e.toString());
            }
          }
          return null;
        });
      }
      for (Future<Void> f : pool.invokeAll(tasks)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(failures.get()).as("failures, first: %s",
        firstFailures.subList(0, Math.min(3, firstFailures.size()))).isZero();
  }

  @Test
  void largeResult_millionRowsComeBackWhole() {
    byte[] out = store.query("SELECT number, toString(number) AS s FROM numbers(1000000)",
        Map.of(), "JSONEachRow");
    assertThat(out.length).isGreaterThan(30_000_000);
    int lines = 0;
    for (byte b : out) {
      if (b == '\n') {
        lines++;
      }
    }
    assertThat(lines).isEqualTo(1_000_000);
    assertThat(new String(out, out.length - 40, 40, UTF_8))
        .endsWith("{\"number\":999999,\"s\":\"999999\"}\n");
  }

  // ----- migrations -----

  @Test
  void migrations_wereAppliedAtOpenAndReapplyingDoesNothing() {
    assertThat(Migrations.apply(store)).isEmpty();
    assertThat(text("SELECT count() FROM (SELECT version FROM schema_migrations GROUP BY version)"))
        .isEqualTo(Migrations.all().size() + "\n");
    assertThat(text("SELECT version, name FROM schema_migrations FINAL WHERE version = 1"))
        .isEqualTo("1\tschema_migrations\n");
  }

  @Test
  void migrations_twoConcurrentRunnersOnAFreshDatabaseBothSucceed() throws Exception {
    String db = store.database() + "_mig_race";
    store.execute("DROP DATABASE IF EXISTS " + db + " SYNC");
    store.execute("CREATE DATABASE " + db);
    Store target = store.withDatabase(db);
    List<Migrations.Migration> migrations =
        withTestMigrations(
            "V002__race_table.sql",
            "CREATE TABLE IF NOT EXISTS race_t (x UInt8) ENGINE = MergeTree ORDER BY x;\n"
                + "CREATE VIEW IF NOT EXISTS race_v AS SELECT x FROM race_t;\n");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Callable<List<String>> run = () -> Migrations.apply(target, migrations);
      List<Future<List<String>>> results = pool.invokeAll(List.of(run, run));
      Set<String> union = new TreeSet<>();
      for (Future<List<String>> f : results) {
        union.addAll(f.get());
      }
      assertThat(union).containsExactly("V001", "V002");
    } finally {
      pool.shutdownNow();
    }
    assertThat(Migrations.apply(target, migrations)).isEmpty();
    assertThat(target.queryText("SELECT count() FROM race_v", Map.of())).isEqualTo("0\n");
    assertThat(target.queryText("SELECT uniqExact(version) FROM schema_migrations", Map.of()))
        .isEqualTo("2\n");
    store.execute("DROP DATABASE " + db + " SYNC");
  }

  @Test
  void migrations_editedAppliedFileIsAClearError() {
    String db = store.database() + "_mig_edit";
    store.execute("DROP DATABASE IF EXISTS " + db + " SYNC");
    store.execute("CREATE DATABASE " + db);
    Store target = store.withDatabase(db);
    assertThat(Migrations.apply(target, withTestMigrations("V002__t.sql",
        "CREATE TABLE IF NOT EXISTS t (x UInt8) ENGINE = MergeTree ORDER BY x;")))
        .containsExactly("V001", "V002");
    List<Migrations.Migration> edited = withTestMigrations("V002__t.sql",
        "CREATE TABLE IF NOT EXISTS t (x UInt16) ENGINE = MergeTree ORDER BY x;");
    assertThatThrownBy(() -> Migrations.apply(target, edited))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("V002__t.sql was applied to database " + db)
        .hasMessageContaining("never edit an applied migration");
    store.execute("DROP DATABASE " + db + " SYNC");
  }

  static List<Migrations.Migration> withTestMigrations(String name, String sql) {
    List<Migrations.Migration> all = new ArrayList<>(Migrations.all().subList(0, 1));
    all.add(Migrations.parse(name, sql.getBytes(UTF_8)));
    return all;
  }

  // ----- helpers -----

  String hex(String s) {
    return hexOf(s.getBytes(UTF_8));
  }

  static String hexOf(byte[] b) {
    return HexFormat.of().withUpperCase().formatHex(b);
  }

  static String preview(String s) {
    String p = s.length() > 40 ? s.substring(0, 40) + "..." : s;
    return p.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r").replace("\0", "\\0");
  }

  static void writeVarUInt(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
