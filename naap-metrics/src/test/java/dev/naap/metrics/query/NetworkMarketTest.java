package dev.naap.metrics.query;

import static dev.naap.metrics.LiveEvents.A;
import static dev.naap.metrics.LiveEvents.B;
import static dev.naap.metrics.LiveEvents.T0;
import static dev.naap.metrics.LiveEvents.nodeUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.naap.metrics.LiveEvents;
import dev.naap.metrics.Refresher;
import dev.naap.metrics.TestLoadRules;
import dev.naap.store.Sql;
import dev.naap.store.Store;
import dev.naap.store.TestEngine;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Fees, prices, capacity and live sessions (docs/METRICS.md) worked by hand: payments whose
 * expected values the test computes with BigDecimal, signed tickets, a price change mid-range,
 * capacity from two snapshots, live sessions starting, swapping and ending.
 */
class NetworkMarketTest {

  private static final Instant START =
      Instant.ofEpochMilli(T0).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
  private static final String MODEL = "streamdiffusion";

  /** A create_new_payment as go-livepeer writes it: every value a string. */
  private static String payment(
      LiveEvents ev,
      long t,
      String manifest,
      String session,
      String node,
      String face,
      String winProb,
      int tickets) {
    return ev.envelope(
        "create_new_payment",
        t,
        "{\"capability\":\"\",\"clientIP\":\"\",\"faceValue\":\""
            + face
            + "\",\"manifestID\":\""
            + manifest
            + "\",\"numTickets\":\""
            + tickets
            + "\",\"orchestrator\":\""
            + node
            + "\",\"price\":\"1635.021"
            + " wei/pixel\",\"recipient\":\"0xD000000000000000000000000000000000000000\","
            + "\"requestID\":\"\",\"sender\":\"0x5aE4E42dB3671370a0c25AfF451E7482aAEc3D0B\",\"sessionID\":\""
            + session
            + "\",\"winProb\":\""
            + winProb
            + "\"}");
  }

  private static String signedTicket(
      LiveEvents ev, long t, String orch, String fee, double seconds) {
    return ev.envelope(
        "create_signed_ticket",
        t,
        "{\"session_id\":\"s1\",\"session_status\":\"continuing\","
            + "\"app\":\"daydream\",\"pipeline\":\"live-video-to-video\",\"orch_address\":\""
            + orch
            + "\",\"orch_url\":\""
            + nodeUrl(orch)
            + "\",\"manifest_id\":\"35_"
            + MODEL
            + "\",\"billable_secs\":"
            + seconds
            + ",\"pixels\":1000,\"computed_fee\":"
            + fee
            + ",\"num_tickets\":1}");
  }

  /** A capabilities snapshot: each offer's node with its price, slots and one GPU for the model. */
  private static String snapshot(LiveEvents ev, long t, Offer... offers) {
    StringBuilder b = new StringBuilder("[");
    for (Offer o : offers) {
      b.append(b.length() > 1 ? "," : "")
          .append("{\"address\":\"0xd0\",\"local_address\":\"")
          .append(o.orch)
          .append("\",\"orch_uri\":\"")
          .append(o.node)
          .append("\",\"capabilities\":{\"bitstring\":[1],")
          .append("\"constraints\":{\"PerCapability\":{\"35\":{\"models\":{\"")
          .append(MODEL)
          .append("\":{\"warm\":true,\"capacity\":")
          .append(o.idle)
          .append(",\"capacityInUse\":")
          .append(o.inUse)
          .append("}}}}}},\"capabilities_prices\":[{\"pricePerUnit\":")
          .append(o.pricePerUnit)
          .append(",\"pixelsPerUnit\":")
          .append(o.pixelsPerUnit)
          .append(",\"capability\":35,\"constraint\":\"")
          .append(MODEL)
          .append("\"}],\"hardware\":[{\"pipeline\":\"live-video-to-video\",\"model_id\":\"")
          .append(MODEL)
          .append("\",\"gpu_info\":{\"0\":{\"id\":\"GPU-")
          .append(o.node.hashCode())
          .append("\",\"name\":\"NVIDIA GeForce RTX 4090\",\"memory_total\":25757220864}}}]}");
    }
    return ev.envelope("network_capabilities", t, b.append("]").toString());
  }

  /** A node's offer in a snapshot; by default the signer's one node ({@code nodeUrl}). */
  private record Offer(
      String orch, String node, long pricePerUnit, long pixelsPerUnit, int idle, int inUse) {
    Offer(String orch, long pricePerUnit, long pixelsPerUnit, int idle, int inUse) {
      this(orch, nodeUrl(orch), pricePerUnit, pixelsPerUnit, idle, inUse);
    }
  }

  private static BigDecimal ev(String faceWei, String winProb, int tickets) {
    return new BigDecimal(faceWei)
        .multiply(new BigDecimal(winProb))
        .multiply(BigDecimal.valueOf(tickets));
  }

  private static Store load(String name, List<List<String>> batches) {
    Store store = TestEngine.uniqueStore(name);
    Refresher refresher = new Refresher(store, Clock.systemUTC());
    Instant ingested = Instant.now().minus(Duration.ofHours(1));
    for (List<String> batch : batches) {
      ingested = ingested.plus(Duration.ofMinutes(1));
      LiveEvents.write(store, batch, Clock.fixed(ingested, java.time.ZoneOffset.UTC));
      refresher.refreshUpTo(ingested.plusSeconds(1));
    }
    return store;
  }

  private static List<Map<String, Object>> rows(Page page) {
    return page.rows().stream().map(r -> {
      Map<String, Object> row = new HashMap<>();
      for (int c = 0; c < page.columns().size(); c++) {
        row.put(page.columns().get(c).name(), r.get(c));
      }
      return row;
    }).toList();
  }

  private static List<Map<String, Object>> run(
      Store store,
      Report report,
      Granularity g,
      List<Dimension> groupBy,
      Instant start,
      Instant end) {
    return rows(new ClickHouseMetricsQueries(store).run(report,
        new MetricsQuery(start, end, g, Map.of(), groupBy, null, 1000, 0, false)));
  }

  @Test
  void fees_areFaceValueTimesWinProbabilityTimesTickets_exactly() {
    LiveEvents ev = new LiveEvents();
    LiveEvents ev2 = new LiveEvents().onGateway("gw-2");
    // Session 01b55632 to A: its first payment names the model; a later one, 54 s on, pays 0.05
    // ETH.
    // The session's first payment arrives in a later batch than the second: the pipeline still
    // follows.
    String first =
        payment(
            ev,
            0,
            "35_" + MODEL,
            "01b55632",
            nodeUrl(A),
            "2402400000000000 WEI",
            "0.0009990010",
            2);
    String second =
        payment(ev, 54_000, "d05da5dd", "01b55632", nodeUrl(A), "0.05 ETH", "0.0000123457", 1);
    String third =
        payment(
            ev2,
            30_000,
            "35_" + MODEL,
            "77",
            nodeUrl(B) + "/",
            "1234567890123456789 WEI",
            "0.3333333333",
            3);
    String bad = payment(ev2, 31_000, "35_" + MODEL, "78", nodeUrl(B), "1000 WEI", "1.5", 1);
    Store store = load("fees", List.of(
        List.of(snapshot(ev, -60_000, new Offer(A, 1000, 1, 1, 0), new Offer(B, 2000, 1, 1, 0))),
        List.of(second, third, bad,
            signedTicket(ev, 10_000, A, "\"123456789012345678901234\"", 10.5),
            signedTicket(ev, 20_000, A, "\"1000\"", 4.5)),
        List.of(first)));

    List<Map<String, Object>> byOrch =
        run(
            store,
            Report.NETWORK_ECONOMICS,
            Granularity.HOUR,
            List.of(Dimension.ORCHESTRATOR, Dimension.PIPELINE, Dimension.APP),
            START,
            START.plus(Duration.ofHours(1)));
    BigDecimal a =
        ev("2402400000000000", "0.0009990010", 2).add(ev("50000000000000000", "0.0000123457", 1));
    BigDecimal b = ev("1234567890123456789", "0.3333333333", 3);
    Map<String, Object> aFees = find(byOrch, A, "");
    assertThat(new BigDecimal((String) aFees.get("expected_fees_wei"))).isEqualByComparingTo(a);
    assertThat(new BigDecimal((String) aFees.get("expected_fees_eth")))
        .isEqualByComparingTo(a.movePointLeft(18));
    assertThat(aFees.get("pipeline")).isEqualTo(MODEL);
    assertThat(aFees.get("payments")).isEqualTo(2L);
    assertThat(aFees.get("tickets")).isEqualTo(3L);
    assertThat((Double) aFees.get("paid_minutes")).isCloseTo(54 / 60.0, within(1e-9));
    assertThat((Double) aFees.get("expected_fee_per_stream_minute_wei"))
        .isCloseTo(a.doubleValue() / (54 / 60.0), within(1.0));
    Map<String, Object> bFees = find(byOrch, B, "");
    assertThat(new BigDecimal((String) bFees.get("expected_fees_wei"))).isEqualByComparingTo(b);
    assertThat(bFees.get("payments")).isEqualTo(2L);
    assertThat(bFees.get("unvalued_payments")).isEqualTo(1L);

    Map<String, Object> signed = find(byOrch, A, "daydream");
    BigInteger computed = new BigInteger("123456789012345678901234").add(BigInteger.valueOf(1000));
    assertThat(new BigInteger((String) signed.get("computed_fees_wei"))).isEqualTo(computed);
    assertThat(signed.get("signed_tickets")).isEqualTo(2L);
    assertThat((Double) signed.get("billable_seconds")).isCloseTo(15.0, within(1e-9));
    assertThat((Double) signed.get("fee_per_billable_minute_wei"))
        .isCloseTo(computed.doubleValue() * 60 / 15.0, within(1e6));

    // By gateway, per minute: the same wei, split by the minute each payment fell in.
    List<Map<String, Object>> byGateway = run(store, Report.NETWORK_ECONOMICS, Granularity.MINUTE,
        List.of(Dimension.GATEWAY), START, START.plus(Duration.ofHours(1)));
    BigDecimal total =
        byGateway.stream()
            .map(r -> new BigDecimal((String) r.get("expected_fees_wei")))
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    assertThat(total).isEqualByComparingTo(a.add(b));
    // Over the whole range (issue 21): one row per gateway, the same wei.
    List<Map<String, Object>> whole = run(store, Report.NETWORK_ECONOMICS, Granularity.ALL,
        List.of(Dimension.GATEWAY), START, START.plus(Duration.ofHours(2)));
    assertThat(whole).extracting(r -> r.get("gateway")).containsExactlyInAnyOrder("gw-1", "gw-2");
    assertThat(whole.stream().map(r -> new BigDecimal((String) r.get("expected_fees_wei")))
        .reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo(a.add(b));
  }

  /**
   * A payment and a signed ticket (which names no orchestrator address) to a node that no
   * capability snapshot has listed yet count under the payment's recipient and under no
   * orchestrator. The snapshot that first lists the node, ingested in a later batch, moves them to
   * the node's signer at the next refresh, as when both arrive together.
   */
  @Test
  void fees_ofANodeListedAfterItsPayments_moveToItsSignerAtTheNextRefresh() {
    LiveEvents ev = new LiveEvents();
    String paid = payment(ev, 30_000, "35_" + MODEL, "s9", nodeUrl(B), "1000000 WEI", "0.5", 2);
    String ticket = signedTicket(ev, 40_000, B, "\"7000\"", 6.0)
        .replace("\"orch_address\":\"" + B + "\"", "\"orch_address\":\"\"");
    String listing = snapshot(ev, 60_000, new Offer(B, 2000, 1, 1, 0));
    Instant end = START.plus(Duration.ofHours(1));
    List<Dimension> byOrch = List.of(Dimension.ORCHESTRATOR, Dimension.APP);

    Store unlisted = load("fees_unlisted", List.of(List.of(paid, ticket)));
    assertThat(run(unlisted, Report.NETWORK_ECONOMICS, Granularity.HOUR, byOrch, START, end))
        .extracting(r -> r.get("orchestrator_address") + " " + r.get("app"))
        .containsExactlyInAnyOrder("0xd000000000000000000000000000000000000000 ", " daydream");

    Store late = load("fees_listed_late", List.of(List.of(paid, ticket), List.of(listing)));
    List<Map<String, Object>> rows =
        run(late, Report.NETWORK_ECONOMICS, Granularity.HOUR, byOrch, START, end);
    assertThat(rows).extracting(r -> r.get("orchestrator_address") + " " + r.get("app"))
        .containsExactlyInAnyOrder(B + " ", B + " daydream");
    assertThat(new BigDecimal((String) find(rows, B, "").get("expected_fees_wei")))
        .isEqualByComparingTo(ev("1000000", "0.5", 2));
    assertThat(new BigInteger((String) find(rows, B, "daydream").get("computed_fees_wei")))
        .isEqualTo(BigInteger.valueOf(7000));
    Store together = load("fees_listed_with", List.of(List.of(paid, ticket, listing)));
    assertThat(rows).isEqualTo(
        run(together, Report.NETWORK_ECONOMICS, Granularity.HOUR, byOrch, START, end));
  }

  @Test
  void fees_toEachNodeOfASigner_goToTheSigner_afterTheTablesMerge() {
    LiveEvents ev = new LiveEvents();
    Store store = load("fees_nodes", List.of(List.of(snapshot(ev, 10_000,
        new Offer(A, 2000, 1, 1, 0), new Offer(A, "https://a-second:8935", 2000, 1, 1, 0)))));
    for (String table : List.of("network_capability_models", "capability_model_slots")) {
      store.execute("OPTIMIZE TABLE " + table + " FINAL");
    }
    Instant ingested = Instant.now();
    LiveEvents.write(store, List.of(
            payment(ev, 30_000, "35_" + MODEL, "s1", nodeUrl(A), "1000 WEI", "0.5", 1),
            payment(ev, 31_000, "35_" + MODEL, "s2", "https://A-Second:8935/", "1000 WEI", "0.5",
                1)),
        Clock.fixed(ingested, java.time.ZoneOffset.UTC));
    new Refresher(store, Clock.systemUTC()).refreshUpTo(ingested.plusSeconds(1));
    List<Map<String, Object>> rows = run(store, Report.NETWORK_ECONOMICS, Granularity.HOUR,
        List.of(Dimension.ORCHESTRATOR), START, START.plus(Duration.ofHours(1)));
    // Both payments are the signer's, whichever of its nodes they paid.
    assertThat(rows).singleElement().satisfies(r -> {
      assertThat(r.get("orchestrator_address")).isEqualTo(A);
      assertThat(r.get("payments")).isEqualTo(2L);
    });
  }

  /**
   * Fees follow the test-load rules as sessions do: the tester's stream (by its stream id, through
   * the payment's requestID) and its gateway (the envelope's) are test load once the rules are
   * saved, and the minutes already computed are computed again at the next refresh.
   */
  @Test
  void fees_ofTestLoad_byStreamIdOrGateway_leaveTheReports_onceTheRulesAreSaved()
      throws InterruptedException {
    LiveEvents ev = new LiveEvents();
    LiveEvents tester = new LiveEvents().onGateway("cloud-spe-ai-live-video-tester-fra");
    String testerStream = "aiJobTesterStream-1767900000000000000";
    Store store = load("fees_test_load", List.of(List.of(
        ev.request(testerStream, 0),
        forRequest(payment(ev, 30_000, "35_" + MODEL, "s1", nodeUrl(A), "1000 WEI", "0.5", 1),
            "r-" + testerStream),
        ev.request("user", 0),
        forRequest(payment(ev, 31_000, "35_" + MODEL, "s2", nodeUrl(A), "1000 WEI", "0.5", 1),
            "r-user"),
        payment(tester, 32_000, "35_" + MODEL, "s3", nodeUrl(A), "1000 WEI", "0.5", 1))));
    Refresher refresher = new Refresher(store, Clock.systemUTC());
    String paid = "SELECT sum(payments) FROM fee_minute FINAL WHERE NOT is_test_load";
    assertThat(store.queryText(paid, Map.of())).isEqualTo("3\n");

    Thread.sleep(5); // saved after the refresh's watermark
    TestLoadRules.KNOWN_TESTER.save(store, Clock.systemUTC());
    refresher.refreshUpTo(Instant.now());
    List<Map<String, Object>> rows = run(store, Report.NETWORK_ECONOMICS, Granularity.HOUR,
        List.of(), START, START.plus(Duration.ofHours(1)));
    assertThat(rows).singleElement().satisfies(r -> assertThat(r.get("payments")).isEqualTo(1L));
  }

  /** The payment with its requestID set to {@code requestId}. */
  private static String forRequest(String payment, String requestId) {
    return payment.replace("\"requestID\":\"\"", "\"requestID\":\"" + requestId + "\"");
  }

  @Test
  void migrationV158_touchesTheFeeMinutesOfTheNodesOfSignersWithSeveral() {
    LiveEvents ev = new LiveEvents();
    String second = "https://a-second:8935";
    Store store = load("fees_v158", List.of(List.of(
        snapshot(ev, 10_000, new Offer(A, 2000, 1, 1, 0), new Offer(A, second, 2000, 1, 1, 0),
            new Offer(B, 2000, 1, 1, 0)),
        payment(ev, 30_000, "35_" + MODEL, "s1", nodeUrl(A), "1000 WEI", "0.5", 1),
        payment(ev, 90_000, "35_" + MODEL, "s2", second, "1000 WEI", "0.5", 1),
        payment(ev, 150_000, "35_" + MODEL, "s3", nodeUrl(B), "1000 WEI", "0.5", 1))));
    store.execute("TRUNCATE TABLE fee_touches");
    store.execute(Sql.load(Store.class, "migrations/V158__fees_of_multi_node_signers.sql"));
    // A's two nodes' payments, each in its minute; B fronts one node: its fees were right.
    assertThat(store.queryText("SELECT node_url, toUnixTimestamp(bucket_minute) - "
        + T0 / 1000 + " FROM fee_touches ORDER BY bucket_minute", Map.of()))
        .isEqualTo(nodeUrl(A) + "\t0\n" + second + "\t60\n");
  }

  private static Map<String, Object> find(List<Map<String, Object>> rows, String orch, String app) {
    return rows.stream()
        .filter(r -> r.get("orchestrator_address").equals(orch) && r.get("app").equals(app))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + orch + "/" + app + " in " + rows));
  }

  @Test
  void prices_followAChangeMidRange_besideTheNetworkMedian() {
    LiveEvents ev = new LiveEvents(START.toEpochMilli());
    Store store = load("prices", List.of(List.of(
        snapshot(ev, 60_000, new Offer(A, 1000, 1, 1, 0), new Offer(B, 4000, 2, 1, 0)),
        snapshot(ev, 30 * 60_000, new Offer(A, 3000, 1, 1, 0), new Offer(B, 4000, 2, 1, 0)))));

    List<Map<String, Object>> prices =
        run(
            store,
            Report.NETWORK_PRICES,
            Granularity.FIVE_MINUTES,
            List.of(),
            START,
            START.plus(Duration.ofHours(1)));
    Map<String, Object> early = price(prices, A, START.plus(Duration.ofMinutes(10)));
    Map<String, Object> late = price(prices, A, START.plus(Duration.ofMinutes(40)));
    assertThat((Double) early.get("wei_per_pixel")).isEqualTo(1000.0);
    assertThat(early.get("price_per_unit")).isEqualTo(1000L);
    assertThat((Double) early.get("wei_per_stream_minute"))
        .isEqualTo(1000.0 * 1280 * 720 * 30 * 60);
    assertThat((Double) early.get("network_wei_per_pixel_median"))
        .isEqualTo(1000.0); // lower median of 1000, 2000
    assertThat((Double) late.get("wei_per_pixel")).isEqualTo(3000.0);
    assertThat((Double) late.get("network_wei_per_pixel_median")).isEqualTo(2000.0);
    assertThat((Double) late.get("price_vs_network")).isEqualTo(1.5);
    // The bucket that holds the change shows the price in force at its end.
    assertThat((Double) price(prices, A, START.plus(Duration.ofMinutes(30))).get("wei_per_pixel"))
        .isEqualTo(3000.0);
    // The first bucket already holds the first snapshot.
    assertThat(
            prices.stream()
                .filter(r -> r.get("window_start").equals(START.plus(Duration.ofMinutes(0))))
                .map(r -> r.get("orchestrator_address")))
        .containsExactlyInAnyOrder(A, B);

    List<Map<String, Object>> network = run(store, Report.NETWORK_PRICES, Granularity.HOUR,
        List.of(Dimension.PIPELINE), START, START.plus(Duration.ofHours(1)));
    assertThat(network).hasSize(1);
    assertThat(network.getFirst().get("orchestrators")).isEqualTo(2L);
    assertThat((Double) network.getFirst().get("wei_per_pixel_min")).isEqualTo(2000.0);
    assertThat((Double) network.getFirst().get("wei_per_pixel_max")).isEqualTo(3000.0);
    // Over the whole range (issue 21): the prices in force at its end, named after its start.
    List<Map<String, Object>> whole = run(store, Report.NETWORK_PRICES, Granularity.ALL, List.of(),
        START, START.plus(Duration.ofHours(1)));
    assertThat((Double) price(whole, A, START).get("wei_per_pixel")).isEqualTo(3000.0);
    assertThat((Double) price(whole, B, START).get("wei_per_pixel")).isEqualTo(2000.0);
  }

  @Test
  void discovery_twoNodesOfOneSigner_eachHaveTheirOwnPrice_afterTheTablesMerge() {
    LiveEvents ev = new LiveEvents(START.toEpochMilli());
    String second = "https://Node-2.example:8935/"; // written as an operator might
    Store store = load("node_prices", List.of(List.of(
        snapshot(ev, 60_000, new Offer(A, 1000, 1, 1, 0), new Offer(A, second, 4000, 2, 1, 0)),
        snapshot(ev, 2 * 60_000, new Offer(A, 1200, 1, 1, 0),
            new Offer(A, second, 4000, 2, 1, 0)))));
    // Every family table merged, as the engine does in time: one signer's nodes must not collapse.
    for (String table : List.of("network_capability_models", "network_capability_node_gpus",
        "capability_prices")) {
      store.execute("OPTIMIZE TABLE " + table + " FINAL");
    }
    Page page = new ClickHouseMetricsQueries(store).discover(new DiscoveryQuery(START,
        START.plus(Duration.ofMinutes(10)), List.of("live-video-to-video/" + MODEL), null, null,
        null, null, Set.<String>of(), Set.<String>of(), Set.<String>of(), 100, false, null));
    Map<Object, Object> priceByNode = new HashMap<>();
    int address = page.columns().stream().map(Column::name).toList().indexOf("address");
    int price = page.columns().stream().map(Column::name).toList().indexOf("price");
    page.rows().forEach(r -> priceByNode.put(r.get(address), r.get(price)));
    // The first node's latest price, 1 200 wei per pixel; the second's 4 000 / 2.
    assertThat(priceByNode).containsOnly(
        Map.entry(nodeUrl(A), 1200.0), Map.entry(second, 2000.0));
  }

  private static Map<String, Object> price(
      List<Map<String, Object>> rows, String orch, Instant window) {
    return rows.stream()
        .filter(
            r -> r.get("orchestrator_address").equals(orch) && r.get("window_start").equals(window))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no price of " + orch + " at " + window + " in " + rows));
  }

  @Test
  void capacity_fromTwoSnapshots() {
    LiveEvents ev = new LiveEvents(START.toEpochMilli());
    Store store = load("capacity", List.of(List.of(
        snapshot(ev, 60_000, new Offer(A, 1000, 1, 2, 1), new Offer(B, 1000, 1, 1, 0)),
        snapshot(ev, 120_000, new Offer(A, 1000, 1, 0, 3), new Offer(B, 1000, 1, 1, 0)))));

    List<Map<String, Object>> rows =
        run(
            store,
            Report.NETWORK_CAPACITY,
            Granularity.HOUR,
            List.of(),
            START,
            START.plus(Duration.ofHours(1)));
    assertThat(rows).hasSize(1);
    Map<String, Object> c = rows.getFirst();
    assertThat(c.get("pipeline")).isEqualTo(MODEL);
    assertThat(c.get("snapshots")).isEqualTo(2L);
    assertThat(c.get("warm_orchestrators")).isEqualTo(2L);
    assertThat(c.get("gpus")).isEqualTo(2L);
    assertThat(c.get("gpu_memory_bytes")).isEqualTo(2 * 25757220864L);
    assertThat(c.get("slots")).isEqualTo(4L);
    assertThat(c.get("slots_in_use")).isEqualTo(3L);
    assertThat(c.get("available_slots")).isEqualTo(1L);
    assertThat((Double) c.get("available_slots_mean")).isEqualTo(2.0); // (3 + 1) / 2
    assertThat(c.get("available_slots_min")).isEqualTo(1L);
    assertThat(c.get("available_slots_max")).isEqualTo(3L);
    assertThat((Double) c.get("available_slots_stability"))
        .isCloseTo(0.5, within(1e-9)); // 1 - 1 / 2

    List<Map<String, Object>> byGpu = run(store, Report.NETWORK_CAPACITY, Granularity.HOUR,
        List.of(Dimension.GPU_MODEL), START, START.plus(Duration.ofHours(1)));
    assertThat(byGpu).singleElement().satisfies(r -> {
      assertThat(r.get("gpu_model")).isEqualTo("NVIDIA GeForce RTX 4090");
      assertThat(r.get("gpus")).isEqualTo(2L);
    });
  }

  @Test
  void demandSupply_countsEveryNodeOfASigner_asCapacityDoes() {
    LiveEvents ev = new LiveEvents(START.toEpochMilli());
    Store store = load("node_supply", List.of(List.of(snapshot(ev, 60_000,
        new Offer(A, 1000, 1, 2, 1), new Offer(A, "https://a-second:8935", 1000, 1, 1, 0),
        new Offer(B, 1000, 1, 1, 0)))));
    for (String table : List.of("network_capability_models", "capability_model_slots")) {
      store.execute("OPTIMIZE TABLE " + table + " FINAL");
    }
    Instant end = START.plus(Duration.ofHours(1));
    List<Map<String, Object>> demand =
        run(store, Report.NETWORK_DEMAND, Granularity.HOUR, List.of(Dimension.PIPELINE), START, end);
    // A's two nodes (2 idle + 1 in use, 1 idle) and B's one (1 idle).
    assertThat(demand).singleElement().satisfies(d -> {
      assertThat(d.get("capacity_idle")).isEqualTo(4L);
      assertThat(d.get("capacity_in_use")).isEqualTo(1L);
    });
    Map<String, Object> capacity =
        run(store, Report.NETWORK_CAPACITY, Granularity.HOUR, List.of(), START, end).getFirst();
    assertThat(capacity.get("available_slots")).isEqualTo(4L);
    assertThat(capacity.get("slots_in_use")).isEqualTo(1L);

    // The same snapshot also lists an LLM model (capability 33) whose runner counts capacity in
    // units of its own, as a real one did (67 542): live-video demand's supply leaves it out.
    store.execute("INSERT INTO capability_model_slots SELECT event_id, event_time, gateway,"
        + " local_address, node_url, 33, 'meta-llama/Meta-Llama-3.1-8B-Instruct', true, 67542, 0"
        + " FROM capability_model_slots LIMIT 1");
    assertThat(run(store, Report.NETWORK_DEMAND, Granularity.HOUR, List.of(), START, end))
        .singleElement().satisfies(d -> {
          assertThat(d.get("capacity_idle")).isEqualTo(4L);
          assertThat(d.get("capacity_in_use")).isEqualTo(1L);
          assertThat((Double) d.get("utilisation")).isCloseTo(0.2, within(1e-12));
        });
  }

  /** A stream id as the live view publishes it: the first 8 bytes of its SHA-256, in hex. */
  private static String pseudonym(String id) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256")
          .digest(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The live view marks test load as sessions are marked (the rules on the stream id and the
   * gateway), and ends a stream on the no-orchestrator error in any of its forms.
   */
  @Test
  void live_testLoadByTheRules_andTheNoOrchestratorErrorInItsForms() {
    LiveEvents ev = new LiveEvents(START.toEpochMilli());
    LiveEvents tester =
        new LiveEvents(START.toEpochMilli()).onGateway("cloud-spe-ai-live-video-tester-fra");
    String testerStream = "aiJobTesterStream-1767900000000000000";
    Store store = load("live_rules", List.of(List.of(
        ev.request("user", 0), ev.ingest("user", A, 1_000), ev.processed("user", A, 2_000),
        ev.request(testerStream, 0), ev.ingest(testerStream, A, 1_000),
        tester.request("probe", 0), tester.ingest("probe", A, 1_000),
        ev.request("unserved", 1_000),
        ev.envelope("ai_stream_events", 3_000, "{\"type\":\"error\",\"capability\":\"\","
            + "\"message\":\"Stream error: no_orchestrators_available\",\"stream_id\":"
            + "\"unserved\",\"request_id\":\"r-unserved\",\"pipeline_id\":\"\","
            + "\"pipeline\":\"\"}"))));
    TestLoadRules.KNOWN_TESTER.save(store, Clock.systemUTC());
    MetricsQueries queries = new ClickHouseMetricsQueries(store);

    assertThat(rows(new Page(LiveStreams.COLUMNS,
            queries.live(Map.of(), false, START.plusSeconds(10)).rows(), false)))
        .extracting(r -> r.get("stream_id"))
        .containsExactly(pseudonym("user"));
    assertThat(rows(new Page(LiveStreams.COLUMNS,
            queries.live(Map.of(), true, START.plusSeconds(10)).rows(), false)))
        .extracting(r -> r.get("stream_id"))
        .containsExactlyInAnyOrder(pseudonym("user"), pseudonym(testerStream),
            pseudonym("probe"));
  }

  @Test
  void live_sessionsStartingSwappingAndEnding() {
    LiveEvents ev = new LiveEvents(START.toEpochMilli());
    Store store =
        load(
            "live",
            List.of(
                List.of(
                    ev.request("s1", 0),
                    ev.ingest("s1", A, 9_000),
                    ev.processed("s1", A, 10_000),
                    ev.status("s1", A, 20_000, 19.5, "ONLINE"),
                    ev.request("s2", 5_000),
                    ev.ingest("s2", A, 8_000),
                    ev.processed("s2", A, 9_000),
                    ev.swap("s2", A, 15_000),
                    ev.ingest("s2", B, 16_000),
                    ev.status("s2", B, 25_000, 12, "DEGRADED_INFERENCE"),
                    ev.request("s3", 1_000),
                    ev.ingest("s3", A, 2_000),
                    ev.trace("s3", "gateway_ingest_stream_closed", "", 3_000),
                    ev.request("s4", 28_000))));
    MetricsQueries queries = new ClickHouseMetricsQueries(store);

    MetricsQueries.Live live = queries.live(Map.of(), false, START.plusSeconds(30));
    List<Map<String, Object>> rows = rows(new Page(LiveStreams.COLUMNS, live.rows(), false));
    assertThat(rows)
        .extracting(r -> r.get("stream_id"))
        .containsExactly(pseudonym("s4"), pseudonym("s2"), pseudonym("s1"));
    Map<String, Object> s1 = rows.get(2);
    assertThat(s1.get("orchestrator_address")).isEqualTo(A);
    assertThat(s1.get("state")).isEqualTo("ONLINE");
    assertThat(s1.get("output_fps")).isEqualTo(19.5);
    assertThat(s1.get("startup_ms")).isEqualTo(10_000L);
    assertThat((Double) s1.get("seconds_since_request")).isCloseTo(30.0, within(1e-9));
    assertThat(s1.get("swaps")).isEqualTo(0L);
    Map<String, Object> s2 = rows.get(1);
    assertThat(s2.get("orchestrator_address")).isEqualTo(B);
    assertThat(s2.get("swaps")).isEqualTo(1L);
    assertThat(s2.get("state")).isEqualTo("DEGRADED_INFERENCE");
    assertThat(rows.getFirst().get("state")).isEqualTo("STARTING");
    assertThat(live.byPipeline()).containsEntry(MODEL, 2L).containsEntry("", 1L);
    assertThat(live.byGateway()).containsEntry("gw-1", 3L);

    assertThat(
            queries
                .live(Map.of(Dimension.ORCHESTRATOR, Set.of(B)), false, START.plusSeconds(30))
                .rows())
        .hasSize(1);
    // 45 s after their last events, nothing is in flight any more.
    assertThat(queries.live(Map.of(), false, START.plusSeconds(75)).rows()).isEmpty();
  }

  /**
   * After a swap, the node serving the stream is the one of the gateway's latest trace until a
   * status comes after it in the gateway's order, whatever the runners' clocks: A's runner runs
   * 3 s ahead, so its last status, received at 14 s before the swap at 15 s, says 17 s, later
   * than B's first frame at 16.5 s.
   */
  @Test
  void live_afterASwap_servedByTheNewNode_whenTheOldRunnersClockIsAhead() {
    LiveEvents ev = new LiveEvents(START.toEpochMilli());
    Store store = load("live_skew", List.of(List.of(
        ev.request("s1", 0),
        ev.ingest("s1", A, 9_000),
        ev.processed("s1", A, 10_000),
        ev.statusFromRunnerAhead("s1", A, 14_000, 3_000, 19.5),
        ev.swap("s1", A, 15_000),
        ev.ingest("s1", B, 15_300),
        ev.processed("s1", B, 16_500))));
    MetricsQueries queries = new ClickHouseMetricsQueries(store);

    List<Map<String, Object>> rows = rows(new Page(LiveStreams.COLUMNS,
        queries.live(Map.of(), false, START.plusSeconds(18)).rows(), false));
    assertThat(rows).singleElement().satisfies(r -> {
      assertThat(r.get("orchestrator_address")).isEqualTo(B);
      assertThat(r.get("orchestrator_url")).isEqualTo(nodeUrl(B));
      assertThat(r.get("swaps")).isEqualTo(1L);
    });
  }
}
