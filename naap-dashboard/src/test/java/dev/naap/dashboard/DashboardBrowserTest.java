package dev.naap.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.naap.api.ApiConfig;
import dev.naap.api.ApiServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in real headless Chromium against the real API server over simulated data: every
 * view renders, filters give the API's numbers, links restore state, CSV matches the API, no data
 * is shown as such, and the console stays clean; the same for the load tester's results, from real
 * runs against the simulated network. Screenshots of every view go to target/screenshots/.
 */
class DashboardBrowserTest {

  /**
   * Screenshots go to target/ so a test run leaves the checkout as it was; the guide's copies in
   * docs/dashboard/ are refreshed with -Dnaap.dashboard.screenshots=../docs/dashboard.
   */
  private static final Path SCREENSHOTS = Path.of(System.getProperty("naap.dashboard.screenshots",
      "target/screenshots"));
  private static final String NOBODY = "0x" + "0".repeat(40);

  @TempDir static Path dir;
  private static SimulatedApi api;
  private static DirectApi direct;
  private static Browser browser;
  private static String root;

  @BeforeAll
  static void start() {
    api = SimulatedApi.start(dir);
    direct = new DirectApi(api.url());
    browser = new Browser(dir);
    root = api.url().toString();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (api != null) {
      api.close();
    }
  }

  @AfterEach
  void consoleHasNoErrors() {
    assertThat(browser.consoleErrors()).as("errors in the browser console").isEmpty();
  }

  @Test
  void everyView_rendersChartsAndTables_andIsCaptured() throws IOException {
    Map<String, Long> firstRenderMs = new LinkedHashMap<>();
    for (String view :
        List.of("overview", "orchestrators", "gpus", "demand", "economics", "test-load")) {
      browser.driver().get("about:blank");
      browser.open(root + "#/" + view);
      firstRenderMs.put(
          view, Long.parseLong(browser.one("body").getDomAttribute("data-ready-at-ms")));
      assertRendersChartsAndTables(view);
      assertThat(browser.one("#as-of").getText())
          .as("%s: data as of", view)
          .startsWith("Data as of 20");
      browser.screenshot(SCREENSHOTS.resolve(view + ".png"), Browser.LAPTOP.width);
    }

    // Drill-downs: the first orchestrator of the table, then the first GPU of the GPU table.
    browser.open(root + "#/orchestrators");
    long before = browser.renders();
    browser.one("td[data-col=orchestrator_address] a").click();
    browser.awaitRender(before);
    assertThat(browser.driver().getCurrentUrl()).contains("#/orchestrator/0x");
    assertRendersChartsAndTables("orchestrator");
    assertThat(browser.all("dl.meta dd")).as("metadata").isNotEmpty();
    // Its prices, on the page and from the API over one fixed range.
    String address = browser.driver().getCurrentUrl().replaceAll(".*#/orchestrator/(0x[0-9a-f]+).*",
        "$1");
    String range = lastDay();
    browser.open(root + "#/orchestrator/" + address + "?" + range);
    JsonNode prices = direct.get("v1/network/prices?" + range + "&granularity=all&orchestrator="
        + address).get("data");
    assertThat(visibleIn("Prices", "pipeline")).as("its price per pipeline, as the API has it")
        .containsExactlyInAnyOrderElementsOf(values(prices, "pipeline"));
    List<Double> shownRatios = visibleIn("Prices", "price_vs_network").stream()
        .map(Double::valueOf).toList();
    List<Double> apiRatios = new ArrayList<>();
    prices.forEach(r -> apiRatios.add(r.get("price_vs_network").asDouble()));
    assertThat(shownRatios).containsExactlyInAnyOrderElementsOf(apiRatios);
    // The network median of sessions: over the orchestrators that served segments in the range.
    List<Long> sessions = new ArrayList<>();
    direct.get("v1/orchestrators?" + range + "&limit=1000").get("data").forEach(r -> {
      if (r.get("segments").asLong() > 0) {
        sessions.add(r.get("sessions").asLong());
      }
    });
    sessions.sort(null);
    int mid = sessions.size() / 2;
    double expectedMedian = sessions.size() % 2 == 1 ? sessions.get(mid)
        : (sessions.get(mid - 1) + sessions.get(mid)) / 2.0;
    WebElement sessionsRow = browser.all(
            "table[data-table='Compared with the network median'] tbody tr").stream()
        .filter(tr -> tr.findElement(By.cssSelector("td[data-col=metric]")).getText()
            .equals("Sessions"))
        .findFirst().orElseThrow();
    assertThat(Double.parseDouble(sessionsRow.findElement(By.cssSelector("td[data-col=median]"))
        .getDomAttribute("data-value"))).isEqualTo(expectedMedian);
    browser.screenshot(SCREENSHOTS.resolve("orchestrator.png"), Browser.LAPTOP.width);

    browser.open(root + "#/gpus");
    before = browser.renders();
    browser.one("td[data-col=gpu_id] a").click();
    browser.awaitRender(before);
    assertThat(browser.driver().getCurrentUrl()).contains("#/gpu/");
    assertRendersChartsAndTables("gpu");
    browser.screenshot(SCREENSHOTS.resolve("gpu.png"), Browser.LAPTOP.width);

    browser.driver().manage().window().setSize(Browser.PHONE);
    browser.open(root + "#/overview");
    browser.screenshot(SCREENSHOTS.resolve("overview-phone.png"), Browser.PHONE.width);
    assertThat((Long) browser.script("return document.documentElement.scrollWidth;"))
        .as("no sideways scrolling on a phone").isLessThanOrEqualTo(Browser.PHONE.width);
    browser.driver().manage().window().setSize(Browser.LAPTOP);

    System.out.println("first render (ms since navigation): " + firstRenderMs);
    Files.writeString(Path.of("target", "dashboard-first-render-ms.txt"), firstRenderMs + "\n");
  }

  @Test
  void pipelineFilter_showsTheNumbersTheApiReturnsForThatPipeline() {
    String pipeline = smallestPipeline();
    String range = lastDay();
    browser.open(root + "#/overview?" + range);
    Map<String, String> unfiltered = headlines();

    long before = browser.renders();
    // Escape closes the list of suggestions, as a visitor would before pressing Apply.
    browser.one("input[name=pipeline]").sendKeys(pipeline, Keys.ESCAPE);
    browser.one("#controls button[type=submit]").click();
    browser.awaitRender(before);

    assertThat(browser.driver().getCurrentUrl()).contains("pipeline=" + pipeline);
    Map<String, String> shown = headlines();
    JsonNode expected =
        direct.get("v1/network/overview?" + range + "&pipeline=" + pipeline).get("data");
    assertThat(shown).hasSize(expected.size());
    for (JsonNode headline : expected) {
      String name = headline.get("name").asText();
      assertThat(number(shown.get(name))).as("headline %s for pipeline %s", name, pipeline)
          .isEqualTo(headline.get("value").isNull() ? null : headline.get("value").asDouble());
    }
    assertThat(shown.get("sessions"))
        .as("one pipeline has fewer sessions than all")
        .isNotEqualTo(unfiltered.get("sessions"));
  }

  @Test
  void copiedUrl_restoresTheSameState() {
    browser.open(root + "#/orchestrators");
    long before = browser.renders();
    new Select(browser.one("select[name=range]")).selectByValue("7d");
    browser.awaitRender(before);
    browser.one("th[data-col=output_fps_mean] button").click();
    String address = browser.one("td[data-col=orchestrator_address]").getDomAttribute("data-value");
    browser.one("input[type=search]").sendKeys(address.substring(2, 4));
    List<String> shown = visible("orchestrator_address");
    String url = browser.driver().getCurrentUrl();

    browser.driver().get("about:blank");
    browser.open(url);
    assertThat(
            new Select(browser.one("select[name=range]"))
                .getFirstSelectedOption()
                .getDomAttribute("value"))
        .isEqualTo("7d");
    assertThat(browser.one("input[type=search]").getDomProperty("value"))
        .isEqualTo(address.substring(2, 4));
    assertThat(browser.one("th[data-col=output_fps_mean]").getDomAttribute("aria-sort"))
        .isEqualTo("descending");
    assertThat(visible("orchestrator_address"))
        .as("same rows in the same order")
        .isEqualTo(shown)
        .isNotEmpty();

    // A custom range, a filter and auto-refresh switched off come back from a link as well.
    String pipeline = smallestPipeline();
    browser.open(
        root
            + "#/demand?start=2026-01-08T00:00:00Z&end=2026-01-09T00:00:00Z&pipeline="
            + pipeline
            + "&refresh=off");
    assertThat(
            new Select(browser.one("select[name=range]"))
                .getFirstSelectedOption()
                .getDomAttribute("value"))
        .isEqualTo("custom");
    assertThat(browser.one("input[name=start]").getDomProperty("value"))
        .isEqualTo("2026-01-08T00:00");
    assertThat(browser.one("input[name=end]").getDomProperty("value"))
        .isEqualTo("2026-01-09T00:00");
    assertThat(browser.one("input[name=pipeline]").getDomProperty("value")).isEqualTo(pipeline);
    assertThat(
            new Select(browser.one("select[name=refresh]"))
                .getFirstSelectedOption()
                .getDomAttribute("value"))
        .isEqualTo("off");
  }

  @Test
  void economics_showsFeesPricesAndCapacity_asTheApiReturnsThem() {
    String range = lastDay();
    browser.driver().get("about:blank");
    browser.open(root + "#/economics?" + range);
    assertRendersChartsAndTables("economics");
    // Top earning orchestrators: the API's whole-range totals, one row each (granularity=all),
    // not sums of buckets that a long range would cut short.
    JsonNode byOrch =
        direct.get(
            "v1/network/economics?" + range + "&granularity=all&group_by=orchestrator&limit=1000");
    assertThat(byOrch.get("data").size()).as("fees by orchestrator").isPositive();
    Map<String, Double> fees = new LinkedHashMap<>();
    for (JsonNode r : byOrch.get("data")) {
      fees.merge(r.get("orchestrator_address").asText(), r.get("expected_fees_eth").asDouble()
          + r.get("computed_fees_eth").asDouble(), Double::sum);
    }
    String top = fees.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    assertThat(browser.one("td[data-col=orchestrator_address] a").getDomAttribute("title"))
        .isEqualTo(top);
    List<String> addresses = visibleIn("Top earning orchestrators", "orchestrator_address");
    List<String> shownFees = visibleIn("Top earning orchestrators", "fees_eth");
    assertThat(addresses).containsExactlyInAnyOrderElementsOf(fees.keySet());
    for (int i = 0; i < addresses.size(); i++) {
      assertThat(Double.parseDouble(shownFees.get(i))).as("fees of %s", addresses.get(i))
          .isCloseTo(fees.get(addresses.get(i)), Offset.offset(1e-12));
    }
    assertThat(browser.one("section[aria-label='Top earning orchestrators'] a.csv")
        .getDomAttribute("href")).contains("granularity=all");
    assertThat(browser.one("section[aria-label='Fees by pipeline'] a.csv")
        .getDomAttribute("href")).contains("granularity=all");
    assertThat(browser.all("[data-truncated]")).as("no answer cut short").isEmpty();
    assertThat(browser.all("h2").stream().map(WebElement::getText).toList())
        .contains(
            "Top earning orchestrators", "Prices per model, latest bucket", "Capacity per model");
  }

  private String liveSessionCount() {
    return direct.get("v1/streams/live").get("meta").get("totals").get("sessions").asText();
  }

  @Test
  void live_showsTheSessionsInFlight_oneRequestPerRefresh_pausedWhileHidden() throws IOException {
    api.liveSessions("gw-live", 3, 20);
    // A quota with room for the view's own period (5 s); the default quota's is tested below.
    try (ApiServer roomy = api.serve(ApiConfig.defaults().withQuotas(100, Map.of(), 36_000))) {
      liveRefreshes(roomy.url().toString());
    }
  }

  /** The live view of the server at {@code at}: its count, one request a refresh, none hidden. */
  private void liveRefreshes(String at) throws IOException {
    browser.driver().get("about:blank");
    browser.open(at + "#/live");
    assertThat(browser.one("body").getDomAttribute("data-refresh-seconds")).isEqualTo("5");
    // Sessions of the generated network leave the live set as their last event ages past 45 s,
    // and each answer is cached for 2 s: a count read a moment apart can differ. The page must
    // show the API's count by its next refresh at the latest.
    String shown = browser.one("[data-live-sessions]").getDomAttribute("data-live-sessions");
    String answered = liveSessionCount();
    for (int refresh = 0; refresh < 3 && !shown.equals(answered); refresh++) {
      browser.awaitRender(browser.renders());
      shown = browser.one("[data-live-sessions]").getDomAttribute("data-live-sessions");
      answered = liveSessionCount();
    }
    assertThat(shown).isEqualTo(answered);
    assertThat(
            Long.parseLong(
                browser.one("[data-live-sessions]").getDomAttribute("data-live-sessions")))
        .isGreaterThanOrEqualTo(3);
    assertThat(browser.all("td[data-col=gateway]").stream().map(WebElement::getText).toList())
        .contains("gw-live");

    // The next refresh comes by itself within a few seconds, and asks the API once.
    String apiCalls =
        "return performance.getEntriesByType('resource').filter(e =>"
            + " e.name.includes('/v1/')).length;";
    long calls = (Long) browser.script(apiCalls);
    long before = browser.renders();
    browser.awaitRender(before);
    assertThat((Long) browser.script(apiCalls) - calls).as("API requests per refresh").isEqualTo(1);

    // While the tab is hidden, nothing is asked.
    browser.script("Object.defineProperty(document, 'hidden', {value: true, configurable: true});");
    long hiddenRenders = browser.renders();
    long hiddenCalls = (Long) browser.script(apiCalls);
    try {
      Thread.sleep(12_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertThat(browser.renders()).as("renders while hidden").isEqualTo(hiddenRenders);
    assertThat((Long) browser.script(apiCalls))
        .as("API requests while hidden")
        .isEqualTo(hiddenCalls);
    browser.script("delete document.hidden;");
    // Leave the page before its server stops, or a refresh may reach the stopping server.
    browser.driver().get("about:blank");
  }

  @Test
  void autoRefresh_spendsAtMostTwoThirdsOfTheQuota_onEveryView() {
    // A server of its own: a fresh quota of the default size, which the page reads from the
    // API's headers.
    int quota = ApiConfig.DEFAULT_DASHBOARD_REQUESTS_PER_WINDOW;
    try (ApiServer fresh = api.serve(ApiConfig.defaults())) {
      String at = fresh.url().toString();
      String address = direct.get("v1/orchestrators?window=24h&limit=1").get("data").get(0)
          .get("orchestrator_address").asText();
      Map<String, Long> requests = new LinkedHashMap<>();
      for (String view : List.of("overview", "orchestrators", "orchestrator/" + address, "gpus",
          "demand", "economics", "test-load", "live")) {
        if (view.equals("live")) {
          api.liveSessions("gw-live", 3, 20);
        }
        browser.driver().get("about:blank");
        browser.open(at + "#/" + view);
        long asked = Long.parseLong(browser.one("body").getDomAttribute("data-requests"));
        long seconds = Long.parseLong(browser.one("body").getDomAttribute("data-refresh-seconds"));
        requests.put(view.replaceAll("/.*", ""), asked);
        assertThat(asked * 3600.0 / seconds)
            .as("%s: %d requests every %d s, an hour", view, asked, seconds)
            .isLessThanOrEqualTo(quota * 2 / 3.0);
        assertThat(seconds).as("%s: never sooner than chosen", view)
            .isGreaterThanOrEqualTo(view.equals("live") ? 5 : 60);
      }
      assertThat(requests).as("requests per render, as docs/DASHBOARD.md counts them")
          .containsEntry("overview", 4L).containsEntry("orchestrator", 6L)
          .containsEntry("economics", 6L).containsEntry("live", 1L);
      // Live: one request, so as often as two thirds of the quota allow, and it says so.
      long every = (long) Math.ceil(3600.0 / (quota * 2 / 3));
      assertThat(browser.one("body").getDomAttribute("data-refresh-seconds"))
          .isEqualTo(String.valueOf(every));
      assertThat(browser.one("main .lede").getText()).contains("Refreshed every " + every + " s");
      assertThat(browser.one("#refresh-status").getText())
          .contains("Every " + every + " s")
          .contains((quota * 2 / 3) + " of your " + quota + " an hour");
      // The guide's picture of Live, at the default quota's pace.
      browser.screenshot(SCREENSHOTS.resolve("live.png"), Browser.LAPTOP.width);
      // The rule itself: the chosen period, or longer when the quota asks for it.
      assertThat(browser.script("return import(new URL('js/api.js', document.baseURI).href)"
          + ".then(m => [m.refreshSeconds(5, 1, {limit: 300, windowSeconds: 3600}),"
          + " m.refreshSeconds(60, 6, {limit: 300, windowSeconds: 3600}),"
          + " m.refreshSeconds(60, 3, {limit: 300, windowSeconds: 3600}),"
          + " m.refreshSeconds(60, 6, null)].join(' '));"))
          .isEqualTo("18 108 60 60");
      browser.driver().get("about:blank");
    }
  }

  @Test
  void autoRefresh_canBeSwitchedOffAndOn() {
    browser.open(root + "#/overview");
    assertThat(browser.one("#refresh-status").getText())
        .as("on by default")
        .startsWith("Next refresh at");

    long before = browser.renders();
    new Select(browser.one("select[name=refresh]")).selectByValue("off");
    browser.awaitRender(before);
    assertThat(browser.driver().getCurrentUrl()).contains("refresh=off");
    assertThat(browser.one("#refresh-status").getText()).isEqualTo("Auto-refresh is off.");

    before = browser.renders();
    new Select(browser.one("select[name=refresh]")).selectByValue("300");
    browser.awaitRender(before);
    assertThat(browser.driver().getCurrentUrl()).contains("refresh=300");
    assertThat(browser.one("#refresh-status").getText()).startsWith("Next refresh at");
  }

  @Test
  void csvDownload_parsesAndMatchesTheApi() throws Exception {
    browser.open(root + "#/orchestrators?" + lastDay());
    WebElement link = browser.one("section[aria-label=Orchestrators] a.csv");
    String href = link.getDomAttribute("href");
    link.click();
    Path file = browser.downloads().resolve(link.getDomAttribute("download"));
    new WebDriverWait(browser.driver(), Duration.ofSeconds(20)).until(d -> Files.exists(file));

    List<List<String>> csv = DirectApi.parseCsv(Files.readString(file));
    JsonNode envelope = direct.get(href.replace("&format=csv", ""));
    List<String> columns = new ArrayList<>();
    envelope.get("data").get(0).fieldNames().forEachRemaining(columns::add);
    assertThat(csv.getFirst()).as("CSV header").isEqualTo(columns);
    assertThat(csv).hasSize(envelope.get("data").size() + 1);
    assertThat(browser.all("table[data-table=Orchestrators] tbody tr"))
        .hasSize(envelope.get("data").size());
    for (int i = 0; i < envelope.get("data").size(); i++) {
      JsonNode row = envelope.get("data").get(i);
      for (int c = 0; c < columns.size(); c++) {
        JsonNode value = row.get(columns.get(c));
        String cell = csv.get(i + 1).get(c);
        if (value.isNull()) {
          assertThat(cell).as("row %d %s: no data", i, columns.get(c)).isEmpty();
        } else if (value.isNumber()) {
          assertThat(Double.parseDouble(cell))
              .as("row %d %s", i, columns.get(c))
              .isEqualTo(value.asDouble());
        } else {
          assertThat(cell).as("row %d %s", i, columns.get(c)).isEqualTo(value.asText());
        }
      }
    }
  }

  @Test
  void noData_isShownAsSuch_neverAsZero() {
    browser.open(root + "#/overview?orchestrator=" + NOBODY);
    for (String measured :
        List.of("output_fps_mean", "ptff_ms_p95", "failure_rate", "sla_compliance_rate")) {
      WebElement card = browser.one(".card[data-headline=" + measured + "]");
      assertThat(card.getDomAttribute("data-value")).as(measured).isEmpty();
      assertThat(card.findElement(By.cssSelector(".value")).getText())
          .as(measured)
          .isEqualTo("no data");
    }
    assertThat(browser.all("figure.chart canvas"))
        .as("only demand, which has no orchestrator, is charted")
        .hasSize(1);
    assertThat(browser.all(".table-empty")).hasSize(2);

    browser.open(root + "#/gpus?orchestrator=" + NOBODY);
    assertThat(browser.all("figure.chart canvas")).isEmpty();
    assertThat(browser.all(".chart-empty")).hasSize(4);
    assertThat(browser.all(".table-empty")).hasSize(2);
    assertThat(browser.one("main").getText()).doesNotContain("NaN");
  }

  // ------------------------------------------------ issue 22: the dashboard as a visitor reads it

  @Test
  void overview_afterAnEmptyPeriod_saysNewOrNoData_neverNoChange() {
    for (org.openqa.selenium.Dimension size : List.of(Browser.LAPTOP, Browser.PHONE)) {
      browser.driver().manage().window().setSize(size);
      browser.open(root + "#/overview?" + casesRange());
      JsonNode expected = direct.get("v1/network/overview?" + casesRange()).get("data");
      int fromZero = 0;
      int unmeasured = 0;
      for (JsonNode headline : expected) {
        String name = headline.get("name").asText();
        WebElement card = browser.one(".card[data-headline=" + name + "]");
        String compare = card.findElement(By.cssSelector(".compare")).getText();
        if (headline.get("value").isNull()) {
          continue;
        }
        WebElement delta = card.findElement(By.cssSelector(".delta"));
        boolean fromNothing = headline.get("previous").isNull()
            || headline.get("previous").asDouble() == 0 && headline.get("value").asDouble() != 0;
        if (fromNothing) {
          assertThat(compare).as("%s at %s", name, size).doesNotContain("no change");
        }
        if (headline.get("previous").isNull()) {
          unmeasured++;
          assertThat(compare).as(name).startsWith("previous period: no data");
          assertThat(delta.getDomAttribute("data-delta")).as(name).isEqualTo("unmeasured");
          assertThat(delta.getText()).as(name).isEqualTo("(new)");
        } else if (headline.get("previous").asDouble() == 0 && headline.get("value").asDouble() != 0
            && !name.endsWith("rate")) {
          fromZero++;
          assertThat(compare).as(name).startsWith("previous period: 0");
          assertThat(delta.getDomAttribute("data-delta")).as(name).isEqualTo("new");
          assertThat(delta.getText()).as(name).isEqualTo("▲ new");
        }
      }
      assertThat(fromZero).as("sessions and orchestrators seen, from 0").isGreaterThanOrEqualTo(2);
      assertThat(unmeasured)
          .as("FPS, PTFF, failure rate and SLA compliance, unmeasured before")
          .isGreaterThanOrEqualTo(3);
      assertNoSidewaysScrolling("overview");
    }
    browser.driver().manage().window().setSize(Browser.LAPTOP);
  }

  @Test
  void gpuModels_sustain20Fps_byTheShareOfTimeAt20Fps() {
    // The cases: a model steady at 22 FPS, and one whose median is 22 with 2 of 11 samples below
    // 20.
    browser.open(root + "#/gpus?" + casesRange());
    WebElement steady = modelRow(ReaderCases.STEADY_MODEL);
    assertThat(steady.findElement(By.cssSelector("[data-sustained]")).getText()).isEqualTo("yes");
    assertThat(steady.findElement(By.cssSelector("td[data-col=fps_share_20plus]")).getText())
        .isEqualTo("yes 100 %");
    WebElement spread = modelRow(ReaderCases.SPREAD_MODEL);
    assertThat(
            number(
                spread
                    .findElement(By.cssSelector("td[data-col=output_fps_p50]"))
                    .getDomAttribute("data-value")))
        .as("median FPS")
        .isBetween(21.5, 22.5);
    assertThat(spread.findElement(By.cssSelector("[data-sustained]")).getText())
        .isEqualTo("mostly");
    assertThat(
            number(
                spread
                    .findElement(By.cssSelector("td[data-col=fps_share_20plus]"))
                    .getDomAttribute("data-value")))
        .isCloseTo(ReaderCases.SPREAD_SHARE, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(browser.one("section[aria-label^='GPU models'] .panel-note").getText())
        .contains("95 %")
        .contains("50 %");

    // The simulated day: each model's verdict follows from the API's exact counts over the range.
    String range = lastDay();
    browser.open(root + "#/gpus?" + range);
    Map<String, long[]> counts = new LinkedHashMap<>();
    direct
        .get("v1/gpu/metrics?" + range + "&granularity=1d&group_by=gpu_model,pipeline&limit=1000")
        .get("data")
        .forEach(
            r -> {
              long[] c =
                  counts.computeIfAbsent(
                      r.get("gpu_model").asText() + " · " + r.get("pipeline").asText(),
                      k -> new long[2]);
              c[0] += r.get("fps_samples_20plus").asLong();
              c[1] += r.get("fps_samples").asLong();
            });
    Map<String, String> shown = new LinkedHashMap<>();
    for (WebElement tr : browser.all("table[data-table^='GPU models'] tbody tr")) {
      List<WebElement> badge = tr.findElements(By.cssSelector("[data-sustained]"));
      shown.put(
          tr.findElement(By.cssSelector("td[data-col=gpu_model]")).getDomAttribute("data-value")
              + " · "
              + tr.findElement(By.cssSelector("td[data-col=pipeline]"))
                  .getDomAttribute("data-value"),
          badge.isEmpty() ? null : badge.getFirst().getText());
    }
    Map<String, String> expected = new LinkedHashMap<>();
    counts.forEach((k, c) -> expected.put(k, c[1] == 0 ? null
        : c[0] >= 0.95 * c[1] ? "yes" : c[0] >= 0.5 * c[1] ? "mostly" : "no"));
    assertThat(shown).isEqualTo(expected);
    assertThat(shown.values())
        .as("the verdict tells models apart")
        .contains("mostly")
        .contains("no");
  }

  @Test
  void slaTable_showsTheErrorBudgetAsAShareLeft_orExhaustedByHowMuch() {
    JsonNode sla = direct.get("v1/sla/compliance?" + casesRange());
    assertThat(columnDescription(sla, "error_budget_remaining")).as("the API says how to read it")
        .contains("1 untouched, 0 spent, below 0 exhausted");
    for (org.openqa.selenium.Dimension size : List.of(Browser.LAPTOP, Browser.PHONE)) {
      browser.driver().manage().window().setSize(size);
      browser.open(root + "#/orchestrator/" + ReaderCases.SPREAD + "?" + casesRange());
      WebElement budget =
          browser.one(
              "table[data-table='SLA compliance and violations']"
                  + " td[data-col=error_budget_remaining]");
      assertThat(number(budget.getDomAttribute("data-value")))
          .as("the API keeps full precision")
          .isCloseTo(-49.0, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(budget.getText()).isEqualTo("exhausted (by 4,900 %)");
      assertNoSidewaysScrolling("orchestrator");
      browser.open(root + "#/orchestrator/" + ReaderCases.STEADY + "?" + casesRange());
      assertThat(
              browser
                  .one(
                      "table[data-table='SLA compliance and violations']"
                          + " td[data-col=error_budget_remaining]")
                  .getText())
          .isEqualTo("100 % left");
    }
    browser.driver().manage().window().setSize(Browser.LAPTOP);
  }

  @Test
  void numbers_areRoundedForReadingByTheirUnit() {
    String range = lastDay();
    browser.open(root + "#/overview?" + range);
    JsonNode overview = direct.get("v1/network/overview?" + range).get("data");
    for (JsonNode headline : overview) {
      String name = headline.get("name").asText();
      String shown = browser.one(".card[data-headline=" + name + "] .value").getText();
      if (headline.get("value").isNull()) {
        continue;
      }
      switch (name) {
        case "stream_minutes" ->
            assertThat(shown)
                .as(name)
                .matches("[0-9,]+")
                .isEqualTo(
                    String.format(
                        java.util.Locale.US, "%,d", Math.round(headline.get("value").asDouble())));
        case "output_fps_mean" -> assertThat(shown).as(name).matches("[0-9]+\\.[0-9]");
        case "ptff_ms_p95", "orchestrator_startup_ms_p95", "selection_wait_ms_p95" ->
            assertThat(shown).as(name).matches("[0-9,]+ ms");
        case "failure_rate", "sla_compliance_rate", "gpu_attribution_rate" ->
            assertThat(shown).as(name).matches("[0-9]+(\\.[0-9]{1,2})? %");
        default -> assertThat(shown).as(name).matches("[0-9,]+");
      }
    }
    for (String view :
        List.of("overview", "orchestrators", "gpus", "demand", "economics", "test-load")) {
      browser.open(root + "#/" + view + "?" + range);
      assertThat(browser.one("main").getText())
          .as("%s: no false precision", view)
          .doesNotContainPattern("\\d\\.\\d{4}");
    }
  }

  @Test
  void aBucketStillInProgress_isShaded_andSaidSo_butOnlyWhenTheRangeReachesPastTheData() {
    // The range ends at the next whole minute, as the API's default does: after the data, which
    // are as of the set-up's refresh. (Ending at this minute, it could end at an hour that the
    // refresh had passed, and then rightly nothing is in progress.)
    Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    String range = "start=" + end.minus(Duration.ofDays(1)) + "&end=" + end;
    // Hourly buckets that start before the end: the last one starts in the hour before it.
    Instant lastHour = end.minusSeconds(1).truncatedTo(ChronoUnit.HOURS);
    browser.open(root + "#/overview?" + range);
    // When the set-up ran across an hour (history ended in the hour before this one), which
    // charts reach into this hour depends on when their data are as of: checked only otherwise.
    if (api.historyEnd().truncatedTo(ChronoUnit.HOURS).equals(lastHour)) {
      WebElement demand = browser.one("figure[data-chart^='Demand']");
      assertThat(demand.getDomAttribute("data-in-progress")).isEqualTo(lastHour.toString());
      assertThat(demand.findElement(By.cssSelector("figcaption.chart-progress")).getText())
          .startsWith("Shaded: the last bucket, from " + lastHour.toString().substring(0, 16)
              .replace('T', ' ') + " UTC, is still in progress (data up to ");
      assertThat(browser.all("figure.chart[data-in-progress]"))
          .as("every chart over time on the page").hasSize(4);
    }

    // An hour four days ago, long refreshed: every bucket is whole.
    browser.open(root + "#/overview?" + casesRange());
    assertThat(browser.all("figure.chart")).isNotEmpty();
    assertThat(browser.all("figure.chart[data-in-progress], figcaption.chart-progress")).isEmpty();
  }

  @Test
  void chartLegends_nameTheSeries_andShowValuesOnlyUnderTheCursor() {
    for (org.openqa.selenium.Dimension size : List.of(Browser.LAPTOP, Browser.PHONE)) {
      browser.driver().manage().window().setSize(size);
      browser.open(root + "#/overview?" + lastDay());
      List<WebElement> legends = browser.all("figure.chart .u-legend");
      assertThat(legends).isNotEmpty();
      for (WebElement legend : legends) {
        assertThat(legend.getText())
            .as("legend at rest at %s", size)
            .doesNotContain("Time (UTC)")
            .isNotBlank();
        assertThat(legend.findElements(By.cssSelector(".u-value"))).as("no empty values at rest")
            .noneMatch(WebElement::isDisplayed);
        assertThat(
                browser.script(
                    "return [...arguments[0].querySelectorAll('th')].filter(th =>"
                        + " th.offsetParent).map(th => getComputedStyle(th,"
                        + " '::after').content).filter(c => c.includes(':')).length;",
                    legend))
            .as("no label ends in a colon with nothing after it")
            .isEqualTo(0L);
      }
      WebElement demand = browser.one("figure[data-chart^='Demand']");
      assertThat(demand.findElement(By.cssSelector(".u-legend")).getText().split("\\s+"))
          .containsExactly("Requested", "Started", "No", "orchestrator");
      new org.openqa.selenium.interactions.Actions(browser.driver())
          .moveToElement(demand.findElement(By.cssSelector(".u-over"))).perform();
      new WebDriverWait(browser.driver(), Duration.ofSeconds(5))
          .until(
              d ->
                  demand.findElement(By.cssSelector(".u-legend")).getText().contains("Time (UTC)"));
      List<WebElement> values = demand.findElements(By.cssSelector(".u-legend .u-value"));
      assertThat(values)
          .as("under the cursor: the time and each value")
          .hasSize(4)
          .allMatch(WebElement::isDisplayed);
      assertThat(values.get(1).getText()).matches("[0-9,]+|no data");
      new org.openqa.selenium.interactions.Actions(browser.driver())
          .moveToElement(browser.one("h1"))
          .perform();
    }
    browser.driver().manage().window().setSize(Browser.LAPTOP);
  }

  @Test
  void phone_filtersFoldBehindAButton_tablesScrollInside_andNoViewScrollsSideways() {
    browser.open(root + "#/orchestrators");
    assertThat(browser.one(".filters-toggle").isDisplayed())
        .as("a wide screen shows the filters")
        .isFalse();
    assertThat(browser.one("#filter-fields").isDisplayed()).isTrue();

    browser.driver().manage().window().setSize(Browser.PHONE);
    try {
      String pipeline = smallestPipeline();
      browser.open(root + "#/orchestrators");
      WebElement toggle = browser.one(".filters-toggle");
      assertThat(toggle.isDisplayed()).isTrue();
      assertThat(browser.one("#filter-fields").isDisplayed()).as("folded on a phone").isFalse();
      assertThat(browser.one("select[name=range]").isDisplayed())
          .as("the range stays at hand")
          .isTrue();
      toggle.click();
      assertThat(toggle.getDomAttribute("aria-expanded")).isEqualTo("true");
      assertThat(browser.one("#filter-fields").isDisplayed()).isTrue();
      long applied = browser.renders();
      browser.one("input[name=pipeline]").sendKeys(pipeline, Keys.ESCAPE);
      browser.one("#controls button[type=submit]").click();
      browser.awaitRender(applied);
      assertThat(browser.driver().getCurrentUrl())
          .as("the state is in the URL")
          .contains("pipeline=" + pipeline);
      assertThat(browser.one("#filter-fields").isDisplayed())
          .as("folded again once applied")
          .isFalse();
      assertThat(browser.one(".filters-toggle").getText()).isEqualTo("Filters (1 set) and refresh");

      String url = browser.driver().getCurrentUrl();
      browser.driver().get("about:blank");
      browser.open(url);
      assertThat(browser.one(".filters-toggle").getText()).isEqualTo("Filters (1 set) and refresh");
      assertThat(browser.one("input[name=pipeline]").getDomProperty("value")).isEqualTo(pipeline);

      // The columns a reader ranks orchestrators by come first; the rest scroll inside the table.
      List<String> headers = browser.all("table[data-table=Orchestrators] thead th").stream()
          .map(th -> th.getDomAttribute("data-col")).toList();
      assertThat(headers.subList(0, 3))
          .containsExactly("orchestrator_address", "sla_compliance_rate", "output_fps_mean");
      WebElement scroller = browser.one("section[aria-label=Orchestrators] .table-scroll");
      assertThat(
              (Long)
                  browser.script(
                      "return arguments[0].scrollWidth - arguments[0].clientWidth;", scroller))
          .as("the table scrolls inside its panel")
          .isPositive();
      assertThat(
              browser.script(
                  "return getComputedStyle(arguments[0]).position;",
                  browser.one("table[data-table=Orchestrators] td[data-col=orchestrator_address]")))
          .isEqualTo("sticky");
      browser.screenshot(SCREENSHOTS.resolve("orchestrators-phone.png"), Browser.PHONE.width);

      for (String view :
          List.of("overview", "orchestrators", "gpus", "demand", "economics", "test-load")) {
        browser.open(root + "#/" + view);
        assertNoSidewaysScrolling(view);
      }
      browser.open(root + "#/gpus?" + casesRange());
      browser.screenshot(SCREENSHOTS.resolve("gpus-phone.png"), Browser.PHONE.width);
      long before = browser.renders();
      browser.one("td[data-col=gpu_id] a").click();
      browser.awaitRender(before);
      assertNoSidewaysScrolling("gpu");
    } finally {
      browser.driver().manage().window().setSize(Browser.LAPTOP);
    }
  }

  private static void assertNoSidewaysScrolling(String view) {
    assertThat(
            (Long)
                browser.script("return document.documentElement.scrollWidth - window.innerWidth;"))
        .as(
            "%s: no sideways scrolling of the page; wider than the window: %s",
            view,
            browser.script(
                """
                return [...document.querySelectorAll('body *')]
                  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
                    && !e.closest('.table-scroll'))
                  .slice(0, 6).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40)
                    + ' right=' + Math.round(e.getBoundingClientRect().right)).join(' | ');\
                """))
        .isLessThanOrEqualTo(0L);
  }

  /** The hour of the {@link ReaderCases}, whose previous hour holds nothing. */
  private static String casesRange() {
    return "start=" + api.casesHour() + "&end=" + api.casesHour().plus(Duration.ofHours(1));
  }

  private static WebElement modelRow(String model) {
    return browser.all("table[data-table^='GPU models'] tbody tr").stream()
        .filter(
            tr ->
                model.equals(
                    tr.findElement(By.cssSelector("td[data-col=gpu_model]"))
                        .getDomAttribute("data-value")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + model));
  }

  private static String columnDescription(JsonNode envelope, String column) {
    for (JsonNode c : envelope.get("meta").get("columns")) {
      if (c.get("name").asText().equals(column)) {
        return c.get("description").asText();
      }
    }
    throw new AssertionError("no column " + column);
  }

  @Test
  void keyboard_opensViewsAndSortsTables() {
    browser.open(root + "#/overview");
    long before = browser.renders();
    browser.one("#views a[data-view=gpus]").sendKeys(Keys.ENTER);
    browser.awaitRender(before);
    assertThat(browser.one("#views a[data-view=gpus]").getDomAttribute("aria-current"))
        .isEqualTo("page");

    WebElement header = browser.one("table[data-table=GPUs] th[data-col=segments]");
    header.findElement(By.tagName("button")).sendKeys(Keys.ENTER);
    assertThat(header.getDomAttribute("aria-sort")).isEqualTo("descending");
    List<Double> segments = browser.all("table[data-table=GPUs] td[data-col=segments]").stream()
        .map(td -> number(td.getDomAttribute("data-value"))).toList();
    assertThat(segments).isSortedAccordingTo((a, b) -> Double.compare(b, a));

    // A long table shows its first 50 rows until asked for all.
    assertThat(browser.all("table[data-table=GPUs] tbody tr")).hasSize(50);
    browser.one("section[aria-label=GPUs] button.more").sendKeys(Keys.ENTER);
    assertThat(browser.all("table[data-table=GPUs] tbody tr")).hasSizeGreaterThan(50);
    assertThat(browser.one("section[aria-label=GPUs] button.more").isDisplayed()).isFalse();

    for (WebElement control : browser.all("#controls input, #controls select")) {
      assertThat(control.findElement(By.xpath("ancestor::label")).getDomProperty("textContent"))
          .as("every control has a label").isNotBlank();
    }
  }

  @Test
  void spentQuota_keepsTheNumbersShownAndSaysWhenItTriesAgain() {
    // A dashboard quota of 5: the overview takes 4 requests, the demand view 3 more. Room for
    // every query at once, so that no request is refused for want of a query slot (the default
    // 8 are shared with responses computed ahead in a minute's last seconds).
    try (ApiServer tight = api.serve(ApiConfig.defaults().withQuotas(100, Map.of(), 5)
        .withQueryLimits(Duration.ofSeconds(10), 32))) {
      browser.open(tight.url() + "#/overview");
      browser.driver().get(tight.url() + "#/demand");
      new WebDriverWait(browser.driver(), Duration.ofSeconds(20))
          .until(d -> "error".equals(browser.one("body").getDomAttribute("data-status")));

      assertThat(browser.one("#notice").isDisplayed()).isTrue();
      assertThat(browser.one("#notice").getText())
          .contains("request limit")
          .contains("tries again at");
      assertThat(browser.one("main h1").getText())
          .as("the numbers shown stay")
          .isEqualTo("Network overview");
      assertThat(browser.all("figure.chart canvas")).isNotEmpty();
      assertThat(browser.consoleErrors()).as("the only errors are the refused requests")
          .isNotEmpty().allMatch(e -> e.contains(" 429 "));
      // Leave the page before its server stops: the test goes on at the first refused request,
      // and once in CI another of the view's requests reached the stopping server (503).
      browser.driver().get("about:blank");
    }
  }

  @Test
  void testLoadView_showsCoverageTestsAndCharts_asTheApiReturnsThem() throws Exception {
    Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    String range = "start=" + end.minus(Duration.ofDays(1)) + "&end=" + end;
    browser.open(root + "#/test-load?" + range);
    assertRendersChartsAndTables("test-load");
    assertThat(browser.one("#as-of").getText()).startsWith("Data as of 20");
    assertThat(browser.one("[data-bounds]").getText()).as("what the prompt-change latency bounds")
        .contains("upper bound").contains("10 s");

    JsonNode tests = direct.get("v1/test-load/results?" + range + "&limit=1000").get("data");
    assertThat(tests.size()).as("the load tester's tests").isGreaterThan(2);
    assertThat(visibleIn("Tests", "test_id"))
        .as("every test, newest first")
        .isEqualTo(values(tests, "test_id"));
    JsonNode coverage = direct.get("v1/test-load/coverage?" + range).get("data");
    assertThat(visibleIn("Coverage: orchestrator × pipeline", "tests"))
        .isEqualTo(values(coverage, "tests"));
    assertThat(browser.all("[data-fair=true]"))
        .as("two runs covered every orchestrator as often")
        .isNotEmpty();
    assertThat(browser.all("[data-fair=false]")).isEmpty();

    // Each median beside the same median over the 7 days before the range; changes over 20 %
    // flagged.
    Map<String, Double> baseline = new LinkedHashMap<>();
    direct
        .get(
            "v1/test-load/coverage?start="
                + end.minus(Duration.ofDays(8))
                + "&end="
                + end.minus(Duration.ofDays(1)))
        .get("data")
        .forEach(
            r ->
                baseline.put(
                    r.get("orchestrator").asText(), number(r.get("startup_ms_p50").asText(""))));
    List<String> expectedFlags = new ArrayList<>();
    for (JsonNode r : coverage) {
      Double before = baseline.get(r.get("orchestrator").asText());
      Double now = number(r.get("startup_ms_p50").asText(""));
      if (before != null && now != null && Math.abs(now / before - 1) > 0.2) {
        expectedFlags.add(r.get("orchestrator").asText());
      }
    }
    assertThat(expectedFlags)
        .as("the baseline was faster on every other orchestrator")
        .isNotEmpty();
    String coverageRows = "table[data-table='Coverage: orchestrator × pipeline'] tbody tr";
    assertThat(
            browser.all(coverageRows).stream()
                .filter(
                    tr ->
                        !tr.findElements(
                                By.cssSelector("td[data-col=startup_ms_p50_change] [data-flagged]"))
                            .isEmpty())
                .map(
                    tr ->
                        tr.findElement(By.cssSelector("td[data-col=orchestrator]"))
                            .getDomAttribute("data-value"))
                .toList())
        .isEqualTo(expectedFlags);
    assertThat(
            visibleIn("Coverage: orchestrator × pipeline", "startup_ms_p50_baseline").stream()
                .map(DashboardBrowserTest::number))
        .isEqualTo(values(coverage, "orchestrator").stream().map(baseline::get).toList());

    // The tests' CSV is the API's: the same rows, every column.
    WebElement link = browser.one("section[aria-label=Tests] a.csv");
    link.click();
    Path file = browser.downloads().resolve(link.getDomAttribute("download"));
    new WebDriverWait(browser.driver(), Duration.ofSeconds(20)).until(d -> Files.exists(file));
    List<List<String>> csv = DirectApi.parseCsv(Files.readString(file));
    assertThat(csv.getFirst())
        .contains("test_id", "orchestrator", "startup_ms", "prompt_change_ms", "error_class");
    int testId = csv.getFirst().indexOf("test_id");
    assertThat(csv.subList(1, csv.size()).stream().map(r -> r.get(testId)).toList())
        .isEqualTo(values(tests, "test_id"));
  }

  @Test
  void testLoadFilters_showTheTestsTheApiReturnsForThem() {
    String range = lastDay();
    browser.open(root + "#/test-load?" + range);
    long before = browser.renders();
    new Select(browser.one("select[name=outcome]")).selectByValue("failure");
    browser.awaitRender(before);
    assertThat(browser.driver().getCurrentUrl()).contains("outcome=failure");
    JsonNode failures =
        direct.get("v1/test-load/results?" + range + "&outcome=failure&limit=1000").get("data");
    assertThat(failures.size())
        .as("the test pinned to an orchestrator that does not exist, at least")
        .isPositive();
    assertThat(visibleIn("Tests", "test_id")).isEqualTo(values(failures, "test_id"));
    assertThat(visibleIn("Tests", "outcome")).containsOnly("failure");

    // An orchestrator, as the tests name it (its service URI).
    String orchestrator =
        direct
            .get("v1/test-load/coverage?" + range)
            .get("data")
            .get(0)
            .get("orchestrator")
            .asText();
    before = browser.renders();
    new Select(browser.one("select[name=outcome]")).selectByValue("");
    browser.awaitRender(before);
    before = browser.renders();
    browser.one("input[name=orchestrator]").sendKeys(orchestrator, Keys.ESCAPE);
    browser.one("#controls button[type=submit]").click();
    browser.awaitRender(before);
    JsonNode pinned = direct.get("v1/test-load/results?" + range + "&orchestrator="
        + URLEncoder.encode(orchestrator, StandardCharsets.UTF_8) + "&limit=1000").get("data");
    assertThat(pinned.size()).isPositive();
    assertThat(visibleIn("Tests", "test_id")).isEqualTo(values(pinned, "test_id"));
    assertThat(visibleIn("Coverage: orchestrator × pipeline", "orchestrator"))
        .containsOnly(orchestrator);

    // The state comes back from the link.
    String url = browser.driver().getCurrentUrl();
    browser.driver().get("about:blank");
    browser.open(url);
    assertThat(browser.one("input[name=orchestrator]").getDomProperty("value"))
        .isEqualTo(orchestrator);
    assertThat(visibleIn("Tests", "test_id")).isEqualTo(values(pinned, "test_id"));
  }

  @Test
  void testLoadView_withSeveralOrchestrators_asksOncePerTable() {
    String range = lastDay();
    List<String> orchestrators =
        values(direct.get("v1/test-load/coverage?" + range).get("data"), "orchestrator").stream()
            .distinct()
            .limit(2)
            .toList();
    assertThat(orchestrators).hasSize(2);
    browser.driver().get("about:blank");
    browser.open(root + "#/test-load?" + range + "&orchestrator="
        + URLEncoder.encode(String.join(",", orchestrators), StandardCharsets.UTF_8));

    // Issue 21: the routes take every value, so each table is one request, whatever the filters.
    String requests =
        "return performance.getEntriesByType('resource').filter(e =>"
            + " e.name.includes(arguments[0])).length;";
    long renders = browser.renders();
    assertThat((Long) browser.script(requests, "/v1/test-load/results")).isEqualTo(renders);
    assertThat((Long) browser.script(requests, "/v1/test-load/coverage")).isEqualTo(2 * renders);
    String both =
        orchestrators.stream()
            .map(o -> "&orchestrator=" + URLEncoder.encode(o, StandardCharsets.UTF_8))
            .collect(Collectors.joining());
    JsonNode tests = direct.get("v1/test-load/results?" + range + both + "&limit=1000").get("data");
    assertThat(visibleIn("Tests", "test_id")).isEqualTo(values(tests, "test_id"));
    assertThat(visibleIn("Coverage: orchestrator × pipeline", "orchestrator"))
        .containsOnlyElementsOf(orchestrators)
        .containsAll(orchestrators);
    assertThat(browser.one("section[aria-label=Tests] a.csv").getDomAttribute("href")).contains(
        "orchestrator=" + URLEncoder.encode(orchestrators.get(0), StandardCharsets.UTF_8));
  }

  @Test
  void gpuTables_showTheApisWholeRangeNumbers_exactQuantilesWithoutApproximation() {
    String range = lastDay();
    browser.open(root + "#/gpus?" + range);
    assertThat(browser.one("main").getText())
        .as("no approximate column is left")
        .doesNotContain("≈");

    // Issue 21: every number of a table row is the API's granularity=all answer for that group.
    List<String> columns =
        List.of(
            "segments",
            "fps_share_20plus",
            "output_fps_mean",
            "output_fps_p05",
            "output_fps_p50",
            "output_fps_p95",
            "ptff_ms_p95",
            "orchestrator_startup_ms_p95",
            "selection_wait_ms_p95",
            "jitter_coefficient_mean",
            "failure_rate",
            "gpu_attribution_rate");
    JsonNode models =
        direct
            .get(
                "v1/gpu/metrics?"
                    + range
                    + "&granularity=all&group_by=gpu_model,pipeline&limit=1000")
            .get("data");
    assertTableIs("GPU models", models, List.of("gpu_model", "pipeline"), columns);
    JsonNode gpus =
        direct
            .get(
                "v1/gpu/metrics?"
                    + range
                    + "&granularity=all&group_by=gpu_id,gpu_model,orchestrator"
                    + "&limit=1000")
            .get("data");
    assertTableIs("GPUs", gpus, List.of("gpu_id", "gpu_model", "orchestrator_address"), columns);

    // The counts are those of the hours in the range, as before: the buckets add up to them.
    Map<String, Long> hourly = new LinkedHashMap<>();
    direct
        .get("v1/gpu/metrics?" + range + "&granularity=1h&group_by=gpu_model,pipeline&limit=1000")
        .get("data")
        .forEach(
            r ->
                hourly.merge(
                    r.get("gpu_model").asText() + " · " + r.get("pipeline").asText(),
                    r.get("segments").asLong(),
                    Long::sum));
    Map<String, Long> whole = new LinkedHashMap<>();
    models.forEach(r -> whole.put(r.get("gpu_model").asText() + " · " + r.get("pipeline").asText(),
        r.get("segments").asLong()));
    assertThat(whole).isEqualTo(hourly);
  }

  /**
   * The table whose title starts with {@code title} shows one row per API row, each column's raw
   * value.
   */
  private static void assertTableIs(
      String title, JsonNode expected, List<String> keys, List<String> columns) {
    List<WebElement> more = browser.all("section[aria-label^='" + title + "'] button.more");
    if (!more.isEmpty() && more.getFirst().isDisplayed()) {
      more.getFirst().click();
    }
    // One script reads the whole table: a WebDriver call per cell took half a minute.
    @SuppressWarnings("unchecked")
    List<Map<String, String>> rows = (List<Map<String, String>>) browser.script("""
        return [...document.querySelectorAll(`table[data-table^='${arguments[0]}'] tbody tr`)]
            .map(tr => Object.fromEntries([...tr.querySelectorAll('td[data-col]')]
                .map(td => [td.dataset.col, td.getAttribute('data-value')])));""", title);
    Map<String, Map<String, String>> shown = new LinkedHashMap<>();
    for (Map<String, String> tr : rows) {
      String key = keys.stream().map(k -> Objects.requireNonNullElse(tr.get(k), ""))
          .collect(Collectors.joining(" · "));
      Map<String, String> cells = new LinkedHashMap<>();
      columns.forEach(c -> {
        assertThat(tr).as("%s %s", title, key).containsKey(c);
        cells.put(c, tr.get(c));
      });
      shown.put(key, cells);
    }
    assertThat(shown).as(title).hasSize(expected.size());
    for (JsonNode row : expected) {
      String key = keys.stream().map(k -> row.get(k).asText("")).collect(Collectors.joining(" · "));
      assertThat(shown).as(title).containsKey(key);
      for (String c : columns) {
        Double api = row.get(c).isNull() ? null : row.get(c).asDouble();
        Double cell = number(shown.get(key).get(c));
        if (api == null) {
          assertThat(cell).as("%s %s %s", title, key, c).isNull();
        } else {
          assertThat(cell).as("%s %s %s", title, key, c)
              .isCloseTo(api, Offset.offset(1e-9 * Math.max(1, Math.abs(api))));
        }
      }
    }
  }

  @Test
  void testLoadView_withoutTests_saysNoData() {
    browser.open(root + "#/test-load?start=2026-01-08T00:00:00Z&end=2026-01-09T00:00:00Z");
    for (WebElement card : browser.all(".card[data-headline]")) {
      assertThat(card.findElement(By.cssSelector(".value")).getText())
          .as(card.getDomAttribute("data-headline"))
          .isEqualTo("no data");
    }
    assertThat(browser.all("figure.chart canvas")).isEmpty();
    assertThat(browser.all(".chart-empty")).hasSizeGreaterThanOrEqualTo(4);
    assertThat(browser.all("table[data-table]")).isEmpty();
    assertThat(browser.one("main").getText()).doesNotContain("NaN");
  }

  @Test
  void leaderboard_ranksAsDiscovery_withItsFiltersInTheUrl_theBreakdownOnExpand_andItsCsv()
      throws IOException {
    String range = lastDay();
    browser.open(root + "#/leaderboard?" + range);
    // No pipeline chosen: one row per pipeline that has scores, each opening its leaderboard.
    JsonNode scores = direct.get("v1/scores?" + range + "&sort=-score&limit=1000").get("data");
    Map<String, Integer> perPipeline = new LinkedHashMap<>();
    scores.forEach(r -> perPipeline.merge(r.get("pipeline").asText(), 1, Integer::sum));
    assertThat(visibleIn("Choose a pipeline", "pipeline"))
        .containsExactlyInAnyOrderElementsOf(perPipeline.keySet());
    assertThat(browser.all("table[data-table='Choose a pipeline'] td[data-col=pipeline]"))
        .as("a pipeline no event named reads unknown, and opens nothing")
        .allSatisfy(td -> assertThat(td.getText()).isNotBlank())
        .filteredOn(td -> td.getDomAttribute("data-value").isEmpty())
        .allSatisfy(td -> {
          assertThat(td.getText()).isEqualTo("unknown");
          assertThat(td.findElements(By.tagName("a"))).isEmpty();
        });
    String pipeline =
        perPipeline.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    long before = browser.renders();
    browser.one("a[data-pipeline='" + pipeline + "']").click();
    browser.awaitRender(before);
    assertThat(browser.driver().getCurrentUrl())
        .contains("#/leaderboard?")
        .contains("pipeline=" + pipeline);

    String discover =
        "v1/discover/orchestrators?"
            + range
            + "&caps=live-video-to-video/"
            + pipeline
            + "&limit=1000";
    JsonNode nodes = direct.get(discover).get("data");
    assertThat(nodes.size()).as("nodes advertising %s", pipeline).isGreaterThan(3);
    String board = pipeline + ": orchestrators by score";
    assertThat(visibleIn(board, "address"))
        .as("the nodes in discovery's order")
        .isEqualTo(values(nodes, "address"));
    List<Double> shownScores =
        visibleIn(board, "score").stream().map(DashboardBrowserTest::number).toList();
    List<Double> apiScores = new ArrayList<>();
    nodes.forEach(n -> apiScores.add(n.get("score").isNull() ? null : n.get("score").asDouble()));
    assertThat(shownScores).isEqualTo(apiScores);
    // A null score is "no data" (it served nothing) or "unavailable" (not computed), never a
    // number.
    for (WebElement td : browser.all("table[data-table='" + board + "'] td[data-col=score]")) {
      String availability =
          td.findElement(By.cssSelector("[data-availability]"))
              .getDomAttribute("data-availability");
      if (td.getDomAttribute("data-value").isEmpty()) {
        assertThat(availability).isIn("no-data", "unavailable");
      } else {
        assertThat(availability).isEqualTo("scored");
        assertThat(td.getText())
            .as("the score and its band")
            .matches("[0-9.]+ \\([0-9.]+–[0-9.]+\\)");
      }
    }
    assertThat(browser.all("[data-availability=unavailable]"))
        .as("the store answered: nothing is unavailable")
        .isEmpty();
    String csv = browser.one("section[aria-label='" + board + "'] a.csv").getDomAttribute("href");
    List<List<String>> records = DirectApi.parseCsv(direct.body(csv));
    assertThat(records.size() - 1).as("the CSV holds every row").isEqualTo(nodes.size());
    assertThat(records.getFirst())
        .contains("address", "score", "score_low", "score_high", "segments");

    // A hard filter: the median score as min_score, from the form to the URL to discovery's answer.
    double median = apiScores.stream().filter(java.util.Objects::nonNull).sorted().toList()
        .get((int) apiScores.stream().filter(java.util.Objects::nonNull).count() / 2);
    // A bound with one decimal place that is not 0, written as JavaScript writes it.
    String bound =
        String.valueOf(
            Math.floor(median) + 0.5 > median
                ? Math.floor(median) - 0.5
                : Math.floor(median) + 0.5);
    before = browser.renders();
    browser.one("form[data-bounds] input[name=min_score]").sendKeys(bound);
    browser.one("form[data-bounds] button[type=submit]").click();
    browser.awaitRender(before);
    assertThat(browser.driver().getCurrentUrl()).contains("min_score=" + bound);
    JsonNode kept = direct.get(discover + "&min_score=" + bound).get("data");
    assertThat(kept.size()).isLessThan(nodes.size()).isPositive();
    assertThat(visibleIn(board, "address")).isEqualTo(values(kept, "address"));

    // The breakdown of the first row, from /v1/reliability; kept in the URL, reopened by the link.
    WebElement expand = browser.one("table[data-table='" + board + "'] button.expand");
    String signer = expand.getDomAttribute("data-signer");
    browser.script("arguments[0].click();", expand);
    new WebDriverWait(browser.driver(), Duration.ofSeconds(20))
        .until(
            d ->
                !d.findElements(By.cssSelector("tr.breakdown dd[data-col=startup_success_rate]"))
                    .isEmpty());
    JsonNode reliability =
        direct
            .get(
                "v1/reliability?"
                    + range
                    + "&orchestrator="
                    + signer
                    + "&pipeline="
                    + pipeline
                    + "&group_by=orchestrator,pipeline")
            .get("data")
            .get(0);
    for (String rate :
        List.of(
            "startup_success_rate",
            "swap_rate",
            "orchestrator_failure_rate",
            "excused_failure_rate")) {
      assertThat(
              number(
                  browser
                      .one("tr.breakdown dd[data-col=" + rate + "]")
                      .getDomAttribute("data-value")))
          .as("breakdown %s of %s", rate, signer)
          .isEqualTo(reliability.get(rate).isNull() ? null : reliability.get(rate).asDouble());
    }
    assertThat(browser.driver().getCurrentUrl()).contains("open=" + signer);
    browser.screenshot(SCREENSHOTS.resolve("leaderboard.png"), Browser.LAPTOP.width);
    String url = browser.driver().getCurrentUrl();
    browser.driver().get("about:blank");
    browser.open(url);
    new WebDriverWait(browser.driver(), Duration.ofSeconds(20))
        .until(
            d ->
                !d.findElements(By.cssSelector("tr.breakdown[data-breakdown='" + signer + "'] dd"))
                    .isEmpty());
    assertThat(browser.one("form[data-bounds] input[name=min_score]").getDomProperty("value"))
        .isEqualTo(bound);

    browser.driver().manage().window().setSize(Browser.PHONE);
    try {
      browser.open(root + "#/leaderboard?" + range + "&pipeline=" + pipeline);
      assertNoSidewaysScrolling("leaderboard");
      browser.screenshot(SCREENSHOTS.resolve("leaderboard-phone.png"), Browser.PHONE.width);
    } finally {
      browser.driver().manage().window().setSize(Browser.LAPTOP);
    }
  }

  @Test
  void anAnswerCutShort_isSaidSo_aboveWhatIsDrawnFromIt() {
    browser.driver().get("about:blank");
    browser.open(root + "#/gpus");
    assertThat(browser.all("[data-truncated]")).as("every answer fits").isEmpty();
    // The simulated day has too few rows to need more than five pages: make the models' hourly
    // answer say there is always another page (each the first again), as a long range would.
    browser.script("""
        const real = window.fetch;
        window.fetch = async (url, init) => {
          const asked = String(url);
          if (!asked.includes('group_by=gpu_model%2Cpipeline')
              || !asked.includes('granularity=1h')) return real(url, init);
          const answer = await real(asked.replace(/&cursor=[^&]*/, ''), init);
          const body = await answer.json();
          body.pagination = {has_more: true, next_cursor: 'again'};
          return new Response(JSON.stringify(body), {status: answer.status,
              headers: answer.headers});
        };""");
    long before = browser.renders();
    browser.script("location.hash = '#/gpus?granularity=1h';");
    browser.awaitRender(before);
    WebElement note = browser.one("main p[data-truncated]");
    assertThat(note.getDomAttribute("data-truncated")).isEqualTo("1");
    assertThat(note.getText())
        .startsWith("Incomplete: gpu/metrics by gpu_model, pipeline per 1h (the first ")
        .contains("rows are used)")
        .contains("the latest buckets");
    assertThat(note.isDisplayed()).isTrue();
    browser.driver().get("about:blank");
  }

  @Test
  void leaderboard_withAnOrchestratorFilter_keepsDiscoverysRanks() throws IOException {
    String range = lastDay();
    JsonNode scores = direct.get("v1/scores?" + range + "&sort=-score&limit=1000").get("data");
    Map<String, Integer> perPipeline = new LinkedHashMap<>();
    scores.forEach(r -> perPipeline.merge(r.get("pipeline").asText(), 1, Integer::sum));
    String pipeline =
        perPipeline.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    JsonNode nodes = direct.get("v1/discover/orchestrators?" + range
        + "&caps=live-video-to-video/" + pipeline + "&limit=1000").get("data");
    // The orchestrator of the last node that is not the first's: counting ranks within the
    // filtered rows would start it at 1.
    String first = nodes.get(0).path("signer").textValue();
    String signer = null;
    for (JsonNode node : nodes) {
      String s = node.path("signer").textValue();
      if (s != null && !s.equals(first)) {
        signer = s;
      }
    }
    assertThat(signer).as("a second orchestrator advertising %s", pipeline).isNotNull();
    List<String> ranks = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (signer.equals(nodes.get(i).path("signer").textValue())) {
        ranks.add(String.valueOf(i + 1));
      }
    }
    assertThat(ranks).isNotEmpty().doesNotContain("1");

    browser.driver().get("about:blank");
    browser.open(root + "#/leaderboard?" + range + "&pipeline=" + pipeline + "&orchestrator="
        + signer);
    String board = pipeline + ": orchestrators by score";
    assertThat(visibleIn(board, "rank")).as("its nodes' places among all nodes").isEqualTo(ranks);
    // The CSV of the rows as shown carries the same ranks.
    String csv = browser.one("section[aria-label='" + board + "'] a.csv").getDomAttribute("href");
    assertThat(csv).startsWith("data:text/csv");
    List<List<String>> records = DirectApi.parseCsv(
        URLDecoder.decode(csv.substring(csv.indexOf(',') + 1), StandardCharsets.UTF_8));
    int rank = records.getFirst().indexOf("rank");
    assertThat(records.subList(1, records.size()).stream().map(r -> r.get(rank)).toList())
        .isEqualTo(ranks);
  }

  @Test
  void aLinkWithAMalformedEscape_opensTheListAndSaysSo() {
    browser.driver().get("about:blank");
    browser.open(root + "#/gpu/GPU-3b388def%2");
    assertThat(browser.one("main h1").getText()).isEqualTo("GPU metrics");
    assertThat(browser.one("#notice").isDisplayed()).isTrue();
    assertThat(browser.one("#notice").getText())
        .contains("\"GPU-3b388def%2\" cannot be read")
        .contains("showing GPU metrics instead");
    // The parse itself, for an orchestrator's page: its list, the rest of the link kept.
    assertThat(browser.script("return import(new URL('js/state.js', document.baseURI).href)"
        + ".then(m => m.parse('#/orchestrator/0xab%zz?window=7d'))"
        + ".then(s => [s.view, s.unreadable, s.id, s.window].join(' '));"))
        .isEqualTo("orchestrators 0xab%zz  7d");
    // A readable link after it: the notice goes.
    long before = browser.renders();
    browser.script("location.hash = '#/gpus';");
    browser.awaitRender(before);
    assertThat(browser.one("#notice").isDisplayed()).isFalse();
  }

  @Test
  void leaderboard_saysUnavailable_whenTheStoreIsDown_apartFromNoData() {
    String pipeline = smallestPipeline();
    // The store stopped and no fallback list: the API answers 503, the leaderboard says it could
    // not compute.
    try (ApiServer down = api.serveDown(List.of())) {
      browser.open(down.url() + "#/leaderboard?pipeline=" + pipeline);
      assertThat(browser.all("[data-availability=unavailable]")).hasSize(1);
      assertThat(browser.one("main").getText())
          .contains("Unavailable: the API could not compute the scores")
          .doesNotContain("No data");
    }
    assertThat(browser.consoleErrors())
        .as("the only errors are the 503s")
        .isNotEmpty()
        .allMatch(e -> e.contains(" 503 "));
    // With the operator's fallback list: its nodes, each unavailable (not scored), none as no data.
    try (ApiServer down =
        api.serveDown(
            List.of("https://fallback-a.example:8935", "https://fallback-b.example:8935"))) {
      browser.open(down.url() + "#/leaderboard?pipeline=" + pipeline);
      assertThat(browser.all("td[data-col=score] [data-availability=unavailable]")).hasSize(2);
      assertThat(browser.all("[data-availability=no-data]")).isEmpty();
      assertThat(browser.one("main").getText()).contains("fallback nodes, not ranked");
    }
    // The hour before the reader's cases, in which nothing happened: no data, not unavailable.
    browser.open(
        root
            + "#/leaderboard?start="
            + api.casesHour().minus(Duration.ofHours(1))
            + "&end="
            + api.casesHour()
            + "&pipeline="
            + pipeline);
    assertThat(browser.all("[data-availability=unavailable]")).isEmpty();
    assertThat(browser.one("main").getText()).contains("No data");
  }

  @Test
  void orchestratorPage_chartsTheScoreHistory_asTheApiReturnsIt() {
    String range = lastDay();
    JsonNode top = direct.get("v1/scores?" + range + "&sort=-segments&limit=1").get("data").get(0);
    String address = top.get("orchestrator_address").asText();
    String pipeline = top.get("pipeline").asText();
    browser.open(root + "#/orchestrator/" + address + "?" + range + "&pipeline=" + pipeline);
    JsonNode history =
        direct.get("v1/orchestrators/" + address + "/scores?" + range + "&limit=1000").get("data");
    long hours = 0;
    for (JsonNode r : history) {
      hours += r.get("pipeline").asText().equals(pipeline) ? 1 : 0;
    }
    assertThat(hours).as("hours scored").isGreaterThan(3);
    WebElement chart = browser.one("figure.chart[data-chart='Score per hour (0–100)']");
    assertThat(chart.findElements(By.tagName("canvas")))
        .as("the score history is drawn")
        .isNotEmpty();
    assertThat(Long.parseLong(chart.getDomAttribute("data-points")))
        .as("a point per hour, gaps kept")
        .isGreaterThanOrEqualTo(hours);
    assertThat(chart.getDomAttribute("data-series")).as("the score and its band").isEqualTo("3");
    WebElement panel = chart.findElement(By.xpath("ancestor::section[1]"));
    assertThat(panel.findElement(By.cssSelector("a.csv")).getDomAttribute("href"))
        .isEqualTo(
            "v1/orchestrators/"
                + address
                + "/scores?"
                + range.replace(":", "%3A")
                + "&limit=1000&format=csv");
    browser.script("arguments[0].scrollIntoView();", panel);
    try {
      Files.createDirectories(SCREENSHOTS);
      Files.copy(
          panel.getScreenshotAs(org.openqa.selenium.OutputType.FILE).toPath(),
          SCREENSHOTS.resolve("orchestrator-scores.png"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theApiReference_rendersUnderItsPolicy_andNoPageCanBeFramedByAnotherSite()
      throws IOException {
    // Its inline style and script run only if the hashes in its policy are theirs.
    browser.driver().get(root + "docs");
    new WebDriverWait(browser.driver(), Duration.ofSeconds(10))
        .until(d -> d.findElements(By.cssSelector("#routes h2")).size() > 10);
    assertThat(browser.script("return getComputedStyle(document.body).maxWidth;"))
        .as("its style applies").isEqualTo("960px");
    assertThat(browser.consoleErrors()).as("no policy violation").isEmpty();

    // Another site's page that frames the dashboard gets the browser's error page in the frame.
    byte[] page = ("<!doctype html><iframe src='" + root + "'></iframe>")
        .getBytes(StandardCharsets.UTF_8);
    HttpServer site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    site.createContext("/", ex -> {
      ex.getResponseHeaders().set("Content-Type", "text/html");
      ex.sendResponseHeaders(200, page.length);
      try (var body = ex.getResponseBody()) {
        body.write(page);
      }
    });
    site.start();
    Object framed;
    Object views;
    try {
      browser.driver().get("http://127.0.0.1:" + site.getAddress().getPort() + "/");
      browser.driver().switchTo().frame(0);
      framed = browser.script("return location.href;");
      views = browser.script("return document.querySelectorAll('#views').length;");
      browser.driver().switchTo().defaultContent();
    } finally {
      site.stop(0);
    }
    assertThat(framed).as("the frame shows the browser's error page").asString()
        .startsWith("chrome-error:");
    assertThat(views).as("none of the dashboard in it").isEqualTo(0L);
    browser.consoleErrors(); // the refusal, logged
  }

  private void assertRendersChartsAndTables(String view) {
    List<WebElement> charts = browser.all("figure.chart");
    assertThat(charts).as("%s: charts", view).isNotEmpty();
    for (WebElement chart : charts) {
      assertThat(chart.findElements(By.tagName("canvas")))
          .as("%s: chart '%s' is drawn", view, chart.getDomAttribute("data-chart")).isNotEmpty();
    }
    List<WebElement> tables = browser.all("table[data-table]");
    assertThat(tables).as("%s: tables", view).isNotEmpty();
    for (WebElement table : tables) {
      assertThat(table.findElements(By.cssSelector("tbody tr")))
          .as("%s: table '%s' has rows", view, table.getDomAttribute("data-table")).isNotEmpty();
    }
  }

  /**
   * The last 24 hours as fixed times, so that the page and a direct request made later ask for the
   * same range ({@code window=24h} ends at the minute of each request).
   */
  private static String lastDay() {
    Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    return "start=" + end.minus(Duration.ofDays(1)) + "&end=" + end;
  }

  /**
   * The named pipeline with the fewest segments in the last 24 hours: a filter that changes the
   * numbers.
   */
  private static String smallestPipeline() {
    JsonNode rows =
        direct
            .get("v1/gpu/metrics?window=24h&granularity=1d&group_by=pipeline&sort=segments")
            .get("data");
    String pipeline = null;
    long fewest = Long.MAX_VALUE;
    for (JsonNode r : rows) {
      // An empty pipeline is the events' "unknown"; it cannot be typed as a filter.
      if (!r.get("pipeline").asText().isEmpty()
          && r.get("segments").asLong() > 0
          && r.get("segments").asLong() < fewest) {
        fewest = r.get("segments").asLong();
        pipeline = r.get("pipeline").asText();
      }
    }
    assertThat(pipeline).as("a pipeline with segments").isNotNull();
    return pipeline;
  }

  private static Map<String, String> headlines() {
    Map<String, String> values = new LinkedHashMap<>();
    for (WebElement card : browser.all(".card[data-headline]")) {
      values.put(card.getDomAttribute("data-headline"), card.getDomAttribute("data-value"));
    }
    return values;
  }

  /** The raw values of {@code column} in the table titled {@code table}, as shown (every row). */
  private static List<String> visibleIn(String table, String column) {
    List<WebElement> more = browser.all("section[aria-label='" + table + "'] button.more");
    if (!more.isEmpty() && more.getFirst().isDisplayed()) {
      more.getFirst().click();
    }
    return browser.all("table[data-table='" + table + "'] td[data-col=" + column + "]").stream()
        .map(td -> td.getDomAttribute("data-value")).toList();
  }

  private static List<String> values(JsonNode rows, String column) {
    List<String> values = new ArrayList<>();
    rows.forEach(r -> values.add(r.get(column).asText()));
    return values;
  }

  private static List<String> visible(String column) {
    return browser.all("tbody td[data-col=" + column + "]").stream()
        .map(td -> td.getDomAttribute("data-value"))
        .toList();
  }

  private static Double number(String text) {
    return text == null || text.isEmpty() ? null : Double.parseDouble(text);
  }
}
