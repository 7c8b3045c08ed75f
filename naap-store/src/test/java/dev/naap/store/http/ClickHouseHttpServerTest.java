package dev.naap.store.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The HTTP protocol details of the facade, spoken with a plain HTTP client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClickHouseHttpServerTest {
  static final String PASSWORD = "facade-test-password";
  private Store store;
  private ClickHouseHttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() {
    store = TestEngine.store("facade");
    store.execute(
        "CREATE TABLE IF NOT EXISTS kv (k String, v UInt32) ENGINE = MergeTree ORDER BY k");
    server = new ClickHouseHttpServer(store,
        ClickHouseHttpServer.Config.loopback(0, PASSWORD).withWrites()).start();
  }

  @AfterAll
  void stop() {
    server.stop();
    store.close();
    http.close();
  }

  HttpResponse<String> get(String query) throws Exception {
    return send(HttpRequest.newBuilder(uri(query)).GET());
  }

  HttpResponse<String> post(String query, String body) throws Exception {
    return send(HttpRequest.newBuilder(uri(query)).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Sends as user {@code default} with {@link #PASSWORD}. */
  HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.header("X-ClickHouse-User", "default").header("X-ClickHouse-Key", PASSWORD)
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  URI uri(String query) {
    return server.url().resolve(query);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, UTF_8).replace("+", "%20");
  }

  @Test
  void ping_saysOk() throws Exception {
    HttpResponse<String> r = get("/ping");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("Ok.\n");
    assertThat(get("/").body()).isEqualTo("Ok.\n");
  }

  @Test
  void port_isTheBoundRandomPort() {
    assertThat(server.port()).isPositive();
    assertThat(server.url().toString()).isEqualTo("http://127.0.0.1:" + server.port() + "/");
  }

  @Test
  void get_runsReadOnlyQueries() throws Exception {
    HttpResponse<String> r = get("/?query=" + enc("SELECT 1 + 1"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("2\n");
    assertThat(r.headers().firstValue("X-ClickHouse-Format")).hasValue("TabSeparated");
    assertThat(get("/?query=" + enc("WITH 2 AS x SELECT x")).body()).isEqualTo("2\n");
    assertThat(get("/?query=" + enc("SHOW TABLES LIKE 'kv'")).body()).isEqualTo("kv\n");
  }

  @Test
  void get_rejectsWritesWithReadonlyCode164() throws Exception {
    for (String sql : new String[] {
        "CREATE TABLE x (a UInt8) ENGINE = Memory", "INSERT INTO kv VALUES ('a', 1)",
        "DROP TABLE kv", "/* hidden */ TRUNCATE TABLE kv", "SELECT 1; DROP TABLE kv"}) {
      HttpResponse<String> r = get("/?query=" + enc(sql));
      assertThat(r.statusCode()).as(sql).isIn(403, 400);
      assertThat(r.headers().firstValue("X-ClickHouse-Exception-Code")).as(sql)
          .hasValueSatisfying(c -> assertThat(c).isIn("164", "62"));
    }
    HttpResponse<String> r = get("/?query=" + enc("DROP TABLE kv"));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("164");
    assertThat(r.body()).contains("readonly");
    assertThat(store.queryText("EXISTS TABLE kv", Map.of())).isEqualTo("1\n");
    HttpResponse<String> ro = post("/?readonly=1", "DROP TABLE kv");
    assertThat(ro.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("164");
  }

  @Test
  void post_runsSqlFromTheBody() throws Exception {
    assertThat(post("/", "SELECT 'from body'").body()).isEqualTo("from body\n");
    assertThat(post("/", "CREATE TABLE IF NOT EXISTS facade_made (a UInt8) ENGINE = Memory")
        .statusCode()).isEqualTo(200);
    assertThat(store.queryText("EXISTS TABLE facade_made", Map.of())).isEqualTo("1\n");
  }

  @Test
  void post_queryParameterPlusBodyIsAnInsert() throws Exception {
    HttpResponse<String> r = post("/?query=" + enc("INSERT INTO kv (k, v) FORMAT JSONEachRow"),
        "{\"k\":\"qp\",\"v\":7}\n");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(store.queryText("SELECT v FROM kv WHERE k = 'qp'", Map.of())).isEqualTo("7\n");
    HttpResponse<String> values = post("/?query=" + enc("INSERT INTO kv (k, v) VALUES"),
        "('values', 8)");
    assertThat(values.statusCode()).isEqualTo(200);
    assertThat(store.queryText("SELECT v FROM kv WHERE k = 'values'", Map.of())).isEqualTo("8\n");
  }

  @Test
  void post_inlineBinaryInsertInTheBody() throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("INSERT INTO kv (k, v) FORMAT RowBinary\n".getBytes(UTF_8));
    byte[] key = {(byte) 0xff, 0, '\n', 'b', 'i', 'n'};
    body.write(key.length);
    body.writeBytes(key);
    body.writeBytes(new byte[] {9, 0, 0, 0});
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(store.queryText("SELECT hex(k) FROM kv WHERE v = 9", Map.of()))
        .isEqualTo("FF000A62696E\n");
  }

  @Test
  void post_gzipBody() throws Exception {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
      gz.write("SELECT 'zipped'".getBytes(UTF_8));
    }
    HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/"))
        .header("Content-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray())));
    assertThat(r.body()).isEqualTo("zipped\n");
    // Not gzip, or cut short: the statement never ran, and the client is told so (it was a 200
    // with an empty body, which a writer takes for an insert done).
    byte[] cut = java.util.Arrays.copyOf(zipped.toByteArray(), zipped.size() - 12);
    for (byte[] broken : new byte[][] {"notgzip".getBytes(UTF_8), cut}) {
      HttpResponse<String> b = send(HttpRequest.newBuilder(uri("/"))
          .header("Content-Encoding", "gzip")
          .POST(HttpRequest.BodyPublishers.ofByteArray(broken)));
      assertThat(b.statusCode()).as(b.body()).isEqualTo(400);
      assertThat(b.body()).contains("not valid gzip");
    }
  }

  @Test
  void errors_carryCodeHeaderStatusAndClickHouseText() throws Exception {
    HttpResponse<String> r = post("/", "SELECT * FROM facade_missing");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("60");
    assertThat(r.body()).startsWith("Code: 60.").contains("UNKNOWN_TABLE").doesNotContain("[SQL:");
    HttpResponse<String> syntax = post("/", "SELEC 1");
    assertThat(syntax.statusCode()).isEqualTo(400);
    assertThat(syntax.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("62");
    HttpResponse<String> server = post("/", "SELECT throwIf(1, 'boom')");
    assertThat(server.statusCode()).isEqualTo(500);
    assertThat(server.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("395");
  }

  @Test
  void errors_emptyQueryAndUnknownPath() throws Exception {
    HttpResponse<String> empty = post("/", "");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("62");
    assertThat(get("/nowhere").statusCode()).isEqualTo(404);
  }

  @Test
  void params_areBoundFromParamPrefixedUrlParameters() throws Exception {
    String hostile = "tab\there 'quote' back\\slash";
    String tsvEscaped = hostile.replace("\\", "\\\\").replace("\t", "\\t");
    HttpResponse<String> r = get("/?query=" + enc("SELECT hex({s:String}), {n:UInt8} + 1,"
        + " {a:Array(String)}, {z:Nullable(String)} IS NULL")
        + "&param_s=" + enc(tsvEscaped) + "&param_n=41&param_a=" + enc("['x','y\\'z']")
        + "&param_z=" + enc("\\N"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(
        java.util.HexFormat.of().withUpperCase().formatHex(hostile.getBytes(UTF_8))
            + "\t42\t['x','y\\'z']\t1\n");
  }

  @Test
  void defaultFormat_choosesTheOutputFormat() throws Exception {
    HttpResponse<String> r = get("/?default_format=JSONEachRow&query=" + enc("SELECT 1 AS one"));
    assertThat(r.body()).isEqualTo("{\"one\":1}\n");
    assertThat(r.headers().firstValue("X-ClickHouse-Format")).hasValue("JSONEachRow");
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/json"));
  }

  @Test
  void database_comesFromTheParameterOrTheHeader() throws Exception {
    assertThat(get("/?database=system&query=" + enc("SELECT currentDatabase()")).body())
        .isEqualTo("system\n");
    HttpResponse<String> h =
        send(
            HttpRequest.newBuilder(uri("/?query=" + enc("SELECT currentDatabase()")))
                .header("X-ClickHouse-Database", "system")
                .GET());
    assertThat(h.body()).isEqualTo("system\n");
    HttpResponse<String> missing = get("/?database=facade_nope&query=" + enc("SELECT 1"));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("81");
    assertThat(get("/?query=" + enc("SELECT currentDatabase()")).body()).isEqualTo("facade\n");
  }

  @Test
  void settingsParametersAreIgnored() throws Exception {
    HttpResponse<String> r = get("/?max_threads=1&wait_end_of_query=1&query_id=abc&query="
        + enc("SELECT getSetting('max_threads') != 1"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("1\n");
    assertThat(r.headers().firstValue("X-ClickHouse-Query-Id")).hasValue("abc");
  }

  @Test
  void bodyLimit_isAClearError() throws Exception {
    try (ClickHouseHttpServer small = new ClickHouseHttpServer(store,
        ClickHouseHttpServer.Config.loopback(0, PASSWORD).withMaxBodyBytes(64)).start()) {
      HttpResponse<String> r = send(HttpRequest.newBuilder(small.url())
          .POST(HttpRequest.BodyPublishers.ofString("SELECT '" + "x".repeat(100) + "'")));
      assertThat(r.statusCode()).isEqualTo(413);
      assertThat(r.body()).contains("limit of 64 bytes");
    }
  }

  @Test
  void auth_whenConfiguredEveryRequestMustAuthenticate() throws Exception {
    try (ClickHouseHttpServer secured = new ClickHouseHttpServer(store,
        ClickHouseHttpServer.Config.loopback(0, "x").withAuth("naap", "s3cret")).start()) {
      URI q = secured.url().resolve("/?query=" + enc("SELECT 'in'"));
      HttpResponse<String> none = http.send(HttpRequest.newBuilder(q).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("516");
      HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(q)
          .header("X-ClickHouse-User", "naap").header("X-ClickHouse-Key", "nope").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(wrong.statusCode()).isEqualTo(401);
      HttpResponse<String> headers = http.send(HttpRequest.newBuilder(q)
          .header("X-ClickHouse-User", "naap").header("X-ClickHouse-Key", "s3cret").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(headers.body()).isEqualTo("in\n");
      HttpResponse<String> basic = http.send(HttpRequest.newBuilder(q)
          .header("Authorization", "Basic "
              + Base64.getEncoder().encodeToString("naap:s3cret".getBytes(UTF_8))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(basic.body()).isEqualTo("in\n");
      HttpResponse<String> params = http.send(HttpRequest.newBuilder(
          secured.url().resolve("/?user=naap&password=s3cret&query=" + enc("SELECT 'in'"))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(params.body()).isEqualTo("in\n");
      HttpResponse<String> wrongBasic = http.send(HttpRequest.newBuilder(q)
          .header("Authorization", "Basic "
              + Base64.getEncoder().encodeToString("naap:s3cretX".getBytes(UTF_8))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(wrongBasic.statusCode()).isEqualTo(401);
      assertThat(http.send(HttpRequest.newBuilder(secured.url().resolve("/ping")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void config_refusesNoPasswordAndBadValues() {
    assertThatThrownBy(() -> new ClickHouseHttpServer.Config("127.0.0.1", 70000, null, "", false,
        null, null, 0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password")
        .hasMessageContaining("port=70000").hasMessageContaining("maxBodyBytes=0")
        .hasMessageContaining("threads=0");
  }

  @Test
  void inlineInsertSplit_findsWhereTheDataStarts() {
    assertThat(RequestHandler.inlineInsertSplit("INSERT INTO t FORMAT CSV\n1,2"))
        .containsExactly(24, 25);
    assertThat(RequestHandler.inlineInsertSplit("insert into t format TSV  \r\nx"))
        .containsExactly(24, 28);
    assertThat(RequestHandler.inlineInsertSplit("INSERT INTO t VALUES ('FORMAT x')")).isNull();
    assertThat(RequestHandler.inlineInsertSplit("SELECT 1 FORMAT CSV")).isNull();
  }
}
