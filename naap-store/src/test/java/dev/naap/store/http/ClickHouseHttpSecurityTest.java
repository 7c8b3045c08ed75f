package dev.naap.store.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.naap.store.Store;
import dev.naap.store.StoreConfig;
import dev.naap.store.Stores;
import dev.naap.store.TestEngine;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The attacks of issue 13 against a read-only facade, over real HTTP: each is refused, and the
 * engine (not a Java lexer) is what refuses the SQL ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClickHouseHttpSecurityTest {
  static final String PASSWORD = "ro-secret";
  private Store store;
  private ClickHouseHttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() {
    store = TestEngine.store("facade_sec");
    store.execute("CREATE TABLE IF NOT EXISTS victim (a UInt8) ENGINE = MergeTree ORDER BY a");
    store.execute("INSERT INTO victim VALUES (1)");
    server =
        new ClickHouseHttpServer(
                store,
                ClickHouseHttpServer.Config.loopback(0, PASSWORD)
                    .withAllowed(
                        java.util.List.of("db.internal"),
                        java.util.List.of("https://grafana.example")))
            .start();
  }

  @AfterAll
  void stop() {
    server.stop();
    store.close();
    http.close();
  }

  HttpResponse<String> sql(String sql) throws Exception {
    return http.send(
        authed(HttpRequest.newBuilder(server.url()).POST(HttpRequest.BodyPublishers.ofString(sql)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder authed(HttpRequest.Builder b) {
    return b.header("Authorization", "Basic "
        + Base64.getEncoder().encodeToString(("default:" + PASSWORD).getBytes(UTF_8)));
  }

  static String enc(String s) {
    return URLEncoder.encode(s, UTF_8).replace("+", "%20");
  }

  private void assertVictimIntact() {
    assertThat(store.queryText("SELECT count() FROM victim", Map.of())).isEqualTo("1\n");
  }

  @Test
  void aMigratedStore_opensThroughTheReadOnlyFacade() {
    // An API instance reads with a read-only user: opening an up-to-date store runs no DDL.
    try (Store reader =
        Stores.open(
            new StoreConfig.Server(
                server.url(), "default", PASSWORD, store.database(), 2, Duration.ofSeconds(10)))) {
      assertThat(reader.queryText("SELECT count() FROM victim", Map.of())).isEqualTo("1\n");
      // The setting NaaP's queries carry runs read-only; changing it, or a limit, does not.
      assertThat(
              reader.queryText(
                  "SELECT count() FROM victim AS v LEFT JOIN (SELECT 2 AS a) AS o ON v.a = o.a"
                      + " WHERE o.a IS NULL SETTINGS join_use_nulls = 1",
                  Map.of()))
          .isEqualTo("1\n");
      assertThatThrownBy(() -> reader.queryText("SELECT 1 SETTINGS join_use_nulls = 0", Map.of()))
          .hasMessageContaining("READONLY");
      assertThatThrownBy(() -> reader.queryText("SELECT 1 SETTINGS max_memory_usage = 0", Map.of()))
          .hasMessageContaining("READONLY");
    }
  }

  @Test
  void withoutCredentials_everyQueryIs401() throws Exception {
    for (var b :
        new HttpRequest.Builder[] {
          HttpRequest.newBuilder(server.url().resolve("/?query=" + enc("DROP TABLE victim"))),
          HttpRequest.newBuilder(server.url())
              .POST(HttpRequest.BodyPublishers.ofString("DROP TABLE victim")),
          HttpRequest.newBuilder(server.url())
              .header("Content-Type", "text/plain")
              .POST(HttpRequest.BodyPublishers.ofString("SELECT 1"))
        }) {
      HttpRequest request = b.build();
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("516");
      assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
      // Refused unread, a body ends its connection, and the answer says so: a client reusing the
      // connection would otherwise send its next request into the close.
      assertThat(r.headers().firstValue("Connection"))
          .isEqualTo(request.bodyPublisher().isPresent() ? Optional.of("close") : Optional.empty());
    }
    assertVictimIntact();
  }

  @Test
  void foreignOriginAndRebindingHost_areRefusedEvenWithCredentials() throws Exception {
    URI q = server.url().resolve("/?query=" + enc("SELECT 1"));
    HttpResponse<String> origin = http.send(authed(HttpRequest.newBuilder(q)
        .header("Origin", "https://evil.example")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(origin.statusCode()).isEqualTo(403);
    HttpResponse<String> nullOrigin = http.send(authed(HttpRequest.newBuilder(q)
        .header("Origin", "null")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(nullOrigin.statusCode()).isEqualTo(403);
    HttpResponse<String> image = http.send(authed(HttpRequest.newBuilder(q)
        .header("Sec-Fetch-Site", "cross-site")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(image.statusCode()).isEqualTo(403);
    HttpResponse<String> allowed =
        http.send(
            authed(HttpRequest.newBuilder(q).header("Origin", "https://grafana.example")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(allowed.body()).isEqualTo("1\n");
    // The JDK client will not set Host; a raw socket does, as a rebinding page's browser would.
    assertThat(
            rawStatus(
                "GET /?query=SELECT%201 HTTP/1.1\r\nHost: attacker.example:"
                    + server.port()
                    + "\r\nAuthorization: Basic "
                    + Base64.getEncoder().encodeToString(("default:" + PASSWORD).getBytes(UTF_8))
                    + "\r\nConnection: close\r\n\r\n"))
        .isEqualTo(403);
    for (String host : new String[] {"localhost:" + server.port(), "127.0.0.1", "db.internal:1"}) {
      assertThat(rawStatus("GET /?query=SELECT%201 HTTP/1.1\r\nHost: " + host
          + "\r\nAuthorization: Basic " + Base64.getEncoder().encodeToString(("default:" + PASSWORD)
          .getBytes(UTF_8)) + "\r\nConnection: close\r\n\r\n")).as(host).isEqualTo(200);
    }
  }

  private int rawStatus(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      String head = new String(in.readNBytes(12), UTF_8);
      return Integer.parseInt(head.substring(9, 12));
    }
  }

  @Test
  void fileUrlAndOtherOutsideAccess_isRefused() throws Exception {
    Path target = Files.createTempDirectory("facade-sec").resolve("written.csv");
    for (String sql : new String[] {
        "SELECT * FROM file('/etc/passwd', 'LineAsString')",
        "SELECT * FROM url('http://127.0.0.1:9/', 'CSV', 'a String')",
        "INSERT INTO FUNCTION file('" + target + "', 'CSV', 'a String') VALUES ('x')",
        "SELECT * FROM remote('127.0.0.1:9000', system.one)",
        "SELECT * FROM s3('http://127.0.0.1:9/b/k.csv', 'CSV', 'a String')",
        "SELECT * FROM hdfs('hdfs://127.0.0.1:9/x', 'CSV', 'a String')",
        "SELECT * FROM mysql('127.0.0.1:9', 'd', 't', 'u', 'p')",
        "SELECT * FROM postgresql('127.0.0.1:9', 'd', 't', 'u', 'p')",
        "SELECT * FROM jdbc('jdbc:x', 'd', 't')",
        "SELECT * FROM executable('id', 'TSV', 'a String')",
        "CREATE DICTIONARY d (a String) PRIMARY KEY a SOURCE(FILE(path '/etc/passwd' format 'TSV'))"
            + " LAYOUT(FLAT()) LIFETIME(0)",
        "SYSTEM RELOAD DICTIONARIES",
        "DROP TABLE victim",
        "TRUNCATE TABLE victim",
        "INSERT INTO victim VALUES (2)",
        "ALTER TABLE victim DELETE WHERE 1",
        "CREATE TABLE made (a UInt8) ENGINE = Memory"}) {
      HttpResponse<String> r = sql(sql);
      assertThat(r.statusCode()).as(sql + " -> " + r.body()).isGreaterThanOrEqualTo(400);
      assertThat(r.body()).as(sql).doesNotContain("root:");
    }
    HttpResponse<String> file = sql("SELECT * FROM file('/etc/passwd', 'LineAsString')");
    assertThat(file.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("497");
    assertThat(Files.exists(target)).isFalse();
    assertVictimIntact();
    assertThat(store.queryText("EXISTS TABLE made", Map.of())).isEqualTo("0\n");
  }

  /**
   * What the engine's readonly = 1 lets through in local mode (found by attacks over loopback):
   * a result written to a file by the client layer, the scalar file(), a table function run by
   * DESCRIBE, KILL QUERY, which would stop the ingest's and the API's statements, and any
   * statement after PARALLEL WITH (DDL, dictionaries reading files or URLs). Each also hidden by
   * escapes, nested comments and quoting, which only the engine's own parser sees through; so the
   * screen parses each statement with it first.
   */
  @Test
  void whatReadonlyLetsThrough_isRefused_however_itIsWritten() throws Exception {
    Path dir = Files.createTempDirectory("facade-sec");
    Path out = dir.resolve("out.txt");
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "root:secret-line");
    String s = secret.toString();
    for (String sql : new String[] {
        "SELECT 'x' INTO OUTFILE '" + out + "'",
        "SELECT 'x' INTO OUTFILE '" + out + "' TRUNCATE FORMAT RawBLOB",
        "(SELECT 1) INTO OUTFILE '" + out + "'",
        "SELECT file('" + s + "')",
        "SELECT `\\x66ile`('" + s + "')",
        "SELECT \"fi\\x6ce\"('" + s + "')",
        "SELECT file/* /* */ */('" + s + "')",
        "SELECT file\n('" + s + "')",
        "SELECT arrayMap(p -> file(p), ['" + s + "'])",
        "EXPLAIN SYNTAX SELECT file('" + s + "')",
        "WITH (SELECT file('" + s + "')) AS f SELECT f",
        "DESCRIBE file('" + s + "', 'LineAsString')",
        "DESCRIBE TABLE url('http://127.0.0.1:9/', 'LineAsString')",
        "SELECT 1 WHERE 1 IN url('http://127.0.0.1:9/', 'CSV', 'a UInt8')",
        "SELECT * FROM filesystem('" + dir + "')",
        "KILL QUERY WHERE query_id != queryID() SYNC",
        // PARALLEL WITH runs its other statements without readonly's checks.
        "SELECT (SELECT sleep(1)) PARALLEL WITH KILL QUERY WHERE query_id != queryID()",
        "SELECT 1 PARALLEL WITH CREATE TABLE made (a UInt8) ENGINE = Memory",
        "SELECT 1 PARALLEL WITH CREATE DICTIONARY leak (line String) PRIMARY KEY line"
            + " SOURCE(CLICKHOUSE(query 'SELECT line FROM file(''" + s + "'', LineAsString)'))"
            + " LAYOUT(COMPLEX_KEY_HASHED()) LIFETIME(0)",
        "EXPLAIN AST CREATE TABLE made (a UInt8) ENGINE = Memory",
        "EXISTS TABLE default.`" + s + "`",
        "SELECT * FROM default.`" + s + "`",
        "KILL MUTATION WHERE 1 TEST",
        "USE system",
        "SET max_threads = 1"}) {
      HttpResponse<String> r = sql(sql);
      assertThat(r.statusCode()).as(sql + " -> " + r.body()).isEqualTo(403);
      assertThat(r.body()).as(sql).doesNotContain("secret-line");
      HttpResponse<String> g =
          http.send(
              authed(HttpRequest.newBuilder(server.url().resolve("/?query=" + enc(sql)))).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(g.statusCode()).as("GET " + sql + " -> " + g.body()).isEqualTo(403);
    }
    assertThat(Files.exists(out)).as("a file written by INTO OUTFILE").isFalse();
    Thread.sleep(1_500); // what PARALLEL WITH would have run after its sleep
    assertThat(store.queryText("EXISTS TABLE made", Map.of())).isEqualTo("0\n");
    assertThat(store.queryText("EXISTS DICTIONARY leak", Map.of())).isEqualTo("0\n");
    assertThat(sql("SELECT count() FROM numbers(3) WHERE number IN (1, 2)").body())
        .isEqualTo("2\n");
    assertThat(sql("SELECT format('{}-{}', 'a', 'b')").body()).isEqualTo("a-b\n");
    assertThat(sql("DESCRIBE TABLE victim").statusCode()).isEqualTo(200);
    assertThat(sql("SELECT 'file(' AS literal").statusCode()).isEqualTo(200);
    assertThat(sql("SELECT 'https://a/b' AS url, 6 / 3 AS two").body())
        .isEqualTo("https://a/b\t2\n");
    assertVictimIntact();
  }

  /**
   * The engine's {@code default} database maps names to files, and a name looked up outside the
   * statement's readonly context attaches the file there for any later statement to read
   * (measured over loopback, 2026-12-07): {@code joinGet('default./path', …)} or {@code EXISTS
   * DICTIONARY default.`relative`}, then a {@code SELECT} whose name came in an {@code Identifier}
   * parameter, which the screen skipped once the same text had passed with another value.
   */
  @Test
  void filesAttachedToTheDefaultDatabase_cannotBeReadOrProbed() throws Exception {
    Path dir = Files.createTempDirectory("facadesec");
    Path secret = dir.resolve("passwd");
    Files.writeString(secret, "root:x:0:0:secret-line:/root:/bin/bash\n");
    String s = secret.toString();
    assertThat(s).doesNotContain(".");
    for (String sql : new String[] {
        "SELECT joinGet('default." + s + "', 'c1', 1)",
        "SELECT joinGet(concat('def', 'ault.', '" + s + "'), 'c1', 1)",
        "SELECT joinGetOrNull('default.pom', 'c1', 1)",
        "SELECT hasColumnInTable('default', '" + s + "', 'c1')",
        "SELECT dictGet('default.pom', 'c1', 1)",
        "EXISTS DICTIONARY default.`pom.xml`",
        "EXISTS TABLE default.`pom.xml`",
        "EXISTS `default`.pom",
        "SELECT * FROM default.pom",
        "SHOW CREATE TABLE default.pom"}) {
      HttpResponse<String> r = sql(sql);
      assertThat(r.statusCode()).as(sql + " -> " + r.body()).isEqualTo(403);
      assertThat(r.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("497");
    }
    HttpResponse<String> relative = http.send(authed(HttpRequest.newBuilder(server.url().resolve(
        "/?database=default&query=" + enc("EXISTS TABLE `pom.xml`")))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(relative.statusCode()).as(relative.body()).isEqualTo(403);
    // The same text with a harmless name first, then with the file's: each value is checked.
    String byName = "SELECT * FROM {t:Identifier}";
    assertThat(withName(byName, "victim").body()).isEqualTo("1\n");
    for (String name : new String[] {"default." + s, "default.pom"}) {
      HttpResponse<String> r = withName(byName, name);
      assertThat(r.statusCode()).as(name + " -> " + r.body()).isEqualTo(403);
      assertThat(r.body()).doesNotContain("secret-line");
    }
    assertThat(withName("EXISTS TABLE {t:Identifier}", "victim").body()).isEqualTo("1\n");
    assertThat(withName("EXISTS TABLE {t:Identifier}", "default.pom").statusCode())
        .isEqualTo(403);
    assertThat(sql("SELECT 'default' AS db, count() FROM victim AS default_rows").body())
        .isEqualTo("default\t1\n");
  }

  /**
   * Reading {@code system.models} makes the engine start its library bridge, which chDB lacks: the
   * start failed after about 10 s (code 302), holding one of the endpoint's two engine
   * connections, however the table was named (measured 2026-12-07); {@code sleep} held one for
   * the statement's whole time limit. Each is refused at once, before the engine runs it.
   */
  @Test
  void theLibraryBridgeAndWaits_areRefusedAtOnce() throws Exception {
    for (String sql : new String[] {
        "SELECT * FROM system.models",
        "SELECT count() FROM `system`.`models`",
        "SELECT * FROM merge('system', '^models$')",
        "SELECT * FROM merge(REGEXP('^sys'), '^mod')",
        "SELECT * FROM merge(concat('sys', 'tem'), '^models$')",
        "SELECT * FROM loop(system.models) LIMIT 1",
        "SELECT * FROM view(SELECT * FROM system.models)",
        "SELECT 1 WHERE 1 IN (SELECT 1 FROM system.models)",
        "SELECT sleep(2)",
        "SELECT sleepEachRow(1) FROM numbers(2)",
        "SELECT count() FROM (SELECT sleepEachRow(0.00004) FROM numbers(1e9))"}) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = sql(sql);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(r.statusCode()).as(sql + " -> " + r.body()).isEqualTo(403);
      assertThat(r.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("497");
      assertThat(ms).as(sql + ": ms to the refusal").isLessThan(1_500);
    }
    for (String sql : new String[] {"SELECT * FROM models", "SELECT * FROM merge('^models$')"}) {
      HttpResponse<String> r = http.send(authed(HttpRequest.newBuilder(server.url().resolve(
          "/?database=system&query=" + enc(sql)))).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("in system: " + sql + " -> " + r.body()).isEqualTo(403);
    }
    // The same text, first where models is no table of the engine's: it is screened again.
    assertThat(sql("SELECT count() FROM merge('^models$')").headers()
        .firstValue("X-ClickHouse-Exception-Code")).hasValue("636"); // no such table here
    HttpResponse<String> inSystem = http.send(authed(HttpRequest.newBuilder(server.url().resolve(
        "/?database=system&query=" + enc("SELECT count() FROM merge('^models$')")))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(inSystem.statusCode()).as(inSystem.body()).isEqualTo(403);
    assertThat(withName("SELECT * FROM {t:Identifier}", "system.models").statusCode())
        .isEqualTo(403);
    // Reads that only name it, and merges over a database named plainly, still run.
    assertThat(sql("SELECT count() FROM merge('facade_sec', '^victim$')").body())
        .isEqualTo("1\n");
    assertThat(sql("SELECT count() FROM system.tables WHERE database = 'system' AND name ="
        + " 'models'").body()).isEqualTo("1\n");
  }

  /**
   * A client that closes its connection while its statement runs cancels it: both read-only
   * engine connections, held by two heavy reads whose clients left, are free again within a
   * second or two, not at the statements' 10 s limit.
   */
  @Test
  void aClientThatHangsUp_cancelsItsStatement_andFreesTheEngineConnection() throws Exception {
    String heavy =
        "SELECT count() FROM numbers(1e13) WHERE NOT ignore(sipHash64(number, 'hangup'))";
    String running = "SELECT count() FROM system.processes WHERE query LIKE '%''hangup''%'"
        + " AND query NOT LIKE '%system.processes%'";
    java.util.List<Socket> clients = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Socket s = new Socket("127.0.0.1", server.port());
      s.getOutputStream().write(("GET /?query=" + enc(heavy) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Authorization: Basic " + Base64.getEncoder().encodeToString(("default:" + PASSWORD)
          .getBytes(UTF_8)) + "\r\n\r\n").getBytes(UTF_8));
      clients.add(s);
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!store.queryText(running, Map.of()).equals("2\n") && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(store.queryText(running, Map.of())).as("both statements running").isEqualTo("2\n");
    long t0 = System.nanoTime();
    for (Socket s : clients) {
      s.close();
    }
    HttpResponse<String> next = sql("SELECT 42");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(next.body()).isEqualTo("42\n");
    assertThat(ms).as("ms until a read-only connection took the next statement").isLessThan(3_000);
    // The next statement needs one freed connection; the other statement's cancel may still be
    // under way then, so both must be gone within the same bound from the close.
    while (!store.queryText(running, Map.of()).equals("0\n")
        && System.nanoTime() - t0 < 3_000_000_000L) {
      Thread.sleep(20);
    }
    assertThat(store.queryText(running, Map.of())).as("statements left 3 s after the hang-up")
        .isEqualTo("0\n");
  }

  /**
   * {@code system.processes} shows the statements running on the engine with their parameters'
   * values put in (measured): NaaP's own, whose values are public data, and those of this
   * endpoint's other clients, who share its one password. What authenticates a request (a
   * password in the URL included) never reaches the engine; {@code system.errors} holds none of it
   * either, and the engine keeps no query log.
   */
  @Test
  void systemProcesses_showsStatementsAndValues_butNoCredentials() throws Exception {
    String heavy = "SELECT count() FROM numbers(1e13) WHERE NOT ignore(sipHash64(number,"
        + " {secret:String}))";
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.getOutputStream().write(("GET /?user=default&password=" + PASSWORD
          + "&param_secret=hunter2value&query=" + enc(heavy)
          + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(UTF_8));
      String seen = "";
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (!seen.contains("hunter2value") && System.nanoTime() < deadline) {
        seen = sql("SELECT * FROM system.processes FORMAT TSVRaw").body();
      }
      assertThat(seen).contains("sipHash64(number, 'hunter2value')").doesNotContain(PASSWORD);
      assertThat(sql("SELECT * FROM system.errors FORMAT TSVRaw").body())
          .doesNotContain(PASSWORD);
      assertThat(sql("SELECT count() FROM system.tables WHERE database = 'system'"
          + " AND name LIKE '%query_log%'").body()).isEqualTo("0\n");
    }
  }

  private HttpResponse<String> withName(String sql, String name) throws Exception {
    return http.send(authed(HttpRequest.newBuilder(server.url().resolve("/?param_t=" + enc(name)))
        .POST(HttpRequest.BodyPublishers.ofString(sql))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A password cannot be guessed at the server's speed: an address is blocked after 30 misses. */
  @Test
  void failedAuthentications_blockTheAddressForTheRestOfTheMinute() throws Exception {
    // A server of its own: the block would hold this class's other tests, all from 127.0.0.1.
    ClickHouseHttpServer own =
        new ClickHouseHttpServer(store, ClickHouseHttpServer.Config.loopback(0, PASSWORD)).start();
    try {
      URI q = own.url().resolve("/?query=" + enc("SELECT 1"));
      assertThat(http.send(authed(HttpRequest.newBuilder(q)).build(),
          HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("1\n");
      for (int i = 0; i < FailedLogins.MAX_FAILURES; i++) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(q)
            .header("X-ClickHouse-User", "default").header("X-ClickHouse-Key", "guess" + i)
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("guess " + i).isEqualTo(401);
      }
      HttpResponse<String> blocked = http.send(HttpRequest.newBuilder(q)
          .header("X-ClickHouse-User", "default").header("X-ClickHouse-Key", "guess-more")
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(blocked.statusCode()).isEqualTo(429);
      assertThat(blocked.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("516");
      assertThat(Long.parseLong(blocked.headers().firstValue("Retry-After").orElseThrow()))
          .isBetween(1L, 60L);
      // The right password is not checked either while blocked: a guesser learns nothing.
      HttpResponse<String> right = http.send(authed(HttpRequest.newBuilder(q)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(right.statusCode()).isEqualTo(429);
      assertThat(right.body()).doesNotContain("1\n").contains("too many failed authentications");
      // /ping needs no authentication and stays up.
      assertThat(http.send(HttpRequest.newBuilder(own.url().resolve("/ping")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("Ok.\n");
    } finally {
      own.stop();
    }
    // This class's server keeps its own count.
    assertThat(sql("SELECT 1").body()).isEqualTo("1\n");
  }

  /** A query_id is echoed in a header: one longer than a header can carry is refused first. */
  @Test
  void aQueryIdTooLongForAHeader_isRefusedBeforeTheStatement() throws Exception {
    HttpResponse<String> ok = http.send(authed(HttpRequest.newBuilder(server.url().resolve(
        "/?query_id=mine-1&query=" + enc("SELECT 1")))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ok.headers().firstValue("X-ClickHouse-Query-Id")).hasValue("mine-1");
    for (String id : new String[] {"a".repeat(100_000), "a\r\nSet-Cookie: x=y", "\u00e9"}) {
      HttpResponse<String> r = http.send(authed(HttpRequest.newBuilder(server.url().resolve(
          "/?query_id=" + enc(id) + "&query=" + enc("SELECT 1")))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(r.body()).startsWith("query_id must be at most 256 printable ASCII characters");
      assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
    }
  }

  @Test
  void inlineInsertBody_isRefusedByTheEngine() throws Exception {
    HttpResponse<String> r = sql("INSERT INTO victim FORMAT TSV\n5\n");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertVictimIntact();
  }

  @Test
  void lexerTricks_nestedCommentsAndHeredocs_changeNothing() throws Exception {
    for (String sql : new String[] {
        "/* /* */ SELECT 1 */ DROP TABLE victim",
        "/* /* */ SELECT 1 */ CREATE TABLE made (a UInt8) ENGINE = Memory",
        "SELECT $$ ; $$; DROP TABLE victim; SELECT 1",
        "SELECT $x$ ';' $x$; TRUNCATE TABLE victim"}) {
      HttpResponse<String> r = sql(sql);
      assertThat(r.statusCode()).as(sql + " -> " + r.body()).isGreaterThanOrEqualTo(400);
      HttpResponse<String> g =
          http.send(
              authed(HttpRequest.newBuilder(server.url().resolve("/?query=" + enc(sql)))).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(g.statusCode()).as("GET " + sql).isGreaterThanOrEqualTo(400);
    }
    assertVictimIntact();
    assertThat(store.queryText("EXISTS TABLE made", Map.of())).isEqualTo("0\n");
  }

  @Test
  void settingsCannotBeRaised_theEngineRefusesSetReadonlyZero() throws Exception {
    for (String sql : new String[] {
        "SELECT 1 SETTINGS readonly = 0",
        "SELECT 1 SETTINGS max_result_bytes = 0",
        "SELECT 1 SETTINGS max_execution_time = 0"}) {
      HttpResponse<String> r = sql(sql);
      assertThat(r.statusCode()).as(sql).isEqualTo(403);
      assertThat(r.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("164");
      assertThat(r.body()).contains("readonly mode");
    }
    // SET is refused before the engine (it would persist on a pooled connection), and the
    // engine's own setting stays: readonly = 1.
    assertThat(sql("SET readonly = 0").statusCode()).isGreaterThanOrEqualTo(400);
    assertThat(sql("SELECT getSetting('readonly')").body()).isEqualTo("1\n");
    assertThat(http.send(authed(HttpRequest.newBuilder(server.url().resolve(
        "/?readonly=0&query=" + enc("SELECT getSetting('readonly')")))).build(),
        HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("1\n");
  }

  @Test
  void aOneGigabyteResult_isRefusedWithinTheResultLimit() throws Exception {
    HttpResponse<String> r = sql("SELECT repeat('x', 1000) FROM numbers(1000000)");
    assertThat(r.statusCode()).isGreaterThanOrEqualTo(400);
    // The engine gives up at its time limit (159) or the result limit is hit (396); either way
    // nothing reaches the client or the heap.
    assertThat(r.headers().firstValue("X-ClickHouse-Exception-Code")).hasValueSatisfying(
        c -> assertThat(c).isIn("396", "159", "241"));
    assertThat(r.body().length()).isLessThan(10_000);
    HttpResponse<String> hundred = sql("SELECT repeat('x', 1000) FROM numbers(100000)");
    assertThat(hundred.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("396");
    HttpResponse<String> slow = sql("SELECT count() FROM numbers(1e13) WHERE sleepEachRow(0) = 0");
    assertThat(slow.statusCode()).as(slow.body()).isGreaterThanOrEqualTo(400);
  }

  @Test
  void readsStillWork() throws Exception {
    assertThat(sql("SELECT count() FROM victim").body()).isEqualTo("1\n");
    HttpResponse<String> other = http.send(authed(HttpRequest.newBuilder(server.url().resolve(
        "/?database=system&query=" + enc("SELECT currentDatabase()")))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(other.body()).isEqualTo("system\n");
  }
}
