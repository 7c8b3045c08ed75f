package dev.naap.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.naap.events.AiStreamEvent;
import dev.naap.events.Event;
import dev.naap.events.EventParser;
import dev.naap.events.NetworkCapabilities;
import dev.naap.events.ParseResult;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gateway HTTP surface against a live simulation running 20 times faster than real time. */
class GatewayServerTest {

  static final List<byte[]> messages = Collections.synchronizedList(new ArrayList<>());
  static Simulator sim;
  static Thread runner;
  static GatewayServer server;
  static final HttpClient http = HttpClient.newHttpClient();
  static final ObjectMapper mapper = new ObjectMapper();

  @BeforeAll
  static void startLiveSimulation() {
    long now = System.currentTimeMillis();
    sim = new Simulator(SimConfig.builder().seed(11).startMs(now).duration(Duration.ofHours(1))
        .peakStreamsPerHour(60).perfectDelivery().build());
    runner =
        Thread.ofPlatform()
            .name("sim")
            .start(() -> sim.run((k, v) -> messages.add(v), Pacer.realTime(20, now)));
    server = GatewayServer.start(sim, 2, 0);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    server.close();
    sim.stop();
    runner.join(10_000);
  }

  /**
   * Clients that announce a body and never send it hold no thread the others need: the JDK's own
   * server ran the handlers on 4 threads, each blocked reading such a body for as long as the
   * client stayed (measured: 4 connections made the gateway answer nothing), so the load tester
   * or MediaMTX got no answer. Now a body has its deadline and each exchange its virtual thread.
   */
  @Test
  void clientsThatNeverSendTheirBody_doNotStopTheGateway() throws Exception {
    List<java.net.Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        java.net.Socket s = new java.net.Socket("127.0.0.1", server.port());
        s.getOutputStream().write(("POST /live/video-to-video/stall" + i + "/start HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\nContent-Length: 100\r\n\r\nsource").getBytes(
            StandardCharsets.US_ASCII));
        stalled.add(s);
      }
      Thread.sleep(300);
      var answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return get("/getNetworkCapabilities").statusCode();
        } catch (Exception e) {
          return -1;
        }
      });
      assertThat(answer.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
    } finally {
      for (java.net.Socket s : stalled) {
        s.close();
      }
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String body, String type) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void getNetworkCapabilities_hasTheRealShape() throws Exception {
    HttpResponse<String> r = get("/getNetworkCapabilities");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = mapper.readTree(r.body());
    assertThat(body.get("capabilities_names").get("35").asText()).isEqualTo("Live video to video");
    String envelope =
        "{\"id\":\"x\",\"type\":\"network_capabilities\",\"timestamp\":\"1767908945298\",\"data\":"
            + body.get("orchestrators")
            + "}";
    ParseResult parsed = new EventParser().parse(envelope.getBytes(StandardCharsets.UTF_8));
    assertThat(parsed).isInstanceOf(ParseResult.Accepted.class);
    NetworkCapabilities caps = (NetworkCapabilities) ((ParseResult.Accepted) parsed).event();
    assertThat(caps.orchestrators()).hasSizeGreaterThanOrEqualTo(39);
    assertThat(caps.orchestrators()).allMatch(o -> !o.hardware().isEmpty());
  }

  /** A page the operator opens cannot start streams: a cross-site form POST did (2026-12-07). */
  @Test
  void browsers_areRefused_beforeAnyStreamStarts() throws Exception {
    String form = "source_id=abc&source_type=webrtcsession&query="
        + URLEncoder.encode("pipeline=streamdiffusion&streamId=page-1&duration_secs=3600",
            StandardCharsets.UTF_8);
    URI start = URI.create("http://127.0.0.1:" + server.port() + "/live/video-to-video/p/start");
    for (String[] header : new String[][] {{"Origin", "https://evil.example"},
        {"Origin", "null"}, {"Sec-Fetch-Site", "cross-site"}}) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(start)
          .header("Content-Type", "application/x-www-form-urlencoded").header(header[0], header[1])
          .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(header[0] + ": " + header[1]).isEqualTo(403);
    }
    Thread.sleep(1_200); // what a started stream would have reported by now
    assertThat(get("/live/video-to-video/page-1/status").statusCode()).isEqualTo(404);
    assertThat(get("/getNetworkCapabilities").statusCode()).isEqualTo(200);
  }

  @Test
  void startUpdateStatus_driveAStream() throws Exception {
    String query = "pipeline=streamdiffusion&streamId=load-1&duration_secs=120&params="
        + URLEncoder.encode("{\"prompt\":\"a red fox\"}", StandardCharsets.UTF_8);
    String form =
        "source_id=abc&source_type=webrtcsession&query="
            + URLEncoder.encode(query, StandardCharsets.UTF_8);
    HttpResponse<String> started =
        post("/live/video-to-video/key-1/start", form, "application/x-www-form-urlencoded");
    assertThat(started.statusCode()).isEqualTo(200);
    assertThat(mapper.readTree(started.body()).get("stream_id").asText()).isEqualTo("load-1");

    Thread.sleep(1_200); // > 20 virtual seconds: the runner has reported at least once
    HttpResponse<String> status = get("/live/video-to-video/load-1/status");
    assertThat(status.statusCode()).isEqualTo(200);
    JsonNode s = mapper.readTree(status.body());
    assertThat(s.has("gateway_status")).isTrue();
    assertThat(s.get("stream_id").asText()).isEqualTo("load-1");
    assertThat(s.get("state").asText())
        .isIn("LOADING", "ONLINE", "DEGRADED_INPUT", "DEGRADED_INFERENCE", "ERROR");

    assertThat(
            post(
                    "/live/video-to-video/key-1/update",
                    "{\"prompt\":\"a blue whale\"}",
                    "application/json")
                .statusCode())
        .isEqualTo(200);
    Thread.sleep(200);
    EventParser parser = new EventParser();
    List<Event> events = new ArrayList<>();
    synchronized (messages) {
      for (byte[] m : messages) {
        if (parser.parse(m) instanceof ParseResult.Accepted a) {
          events.add(a.event());
        }
      }
    }
    assertThat(events).anyMatch(e -> e.streamId().equals("load-1")
        && e.subtype().equals("gateway_receive_stream_request") && e.testLoad());
    assertThat(events).anyMatch(e -> e.streamId().equals("load-1")
        && e.subtype().equals("gateway_send_first_ingest_segment"));
    assertThat(events).anyMatch(e -> e instanceof AiStreamEvent.ParamsUpdate p
        && p.streamId().equals("load-1") && p.paramsJson().contains("a blue whale"));
  }

  @Test
  void aStreamStartedOverHttp_runsOnTime_evenWithNoOtherTraffic() throws Exception {
    long now = System.currentTimeMillis();
    Simulator quiet =
        new Simulator(
            SimConfig.builder()
                .seed(12)
                .startMs(now)
                .duration(Duration.ofHours(1))
                .peakStreamsPerHour(0)
                .darkOrchestrator(false)
                .perfectDelivery()
                .build());
    Thread quietRunner =
        Thread.ofPlatform()
            .name("sim-quiet")
            .start(() -> quiet.run((k, v) -> {}, Pacer.realTime(20, now)));
    try (GatewayServer g = GatewayServer.start(quiet, 2, 0)) {
      Thread.sleep(1_200); // past the gateways' first capability snapshots (virtual 3, 10 and 17 s)
      String form =
          "query="
              + URLEncoder.encode(
                  "pipeline=streamdiffusion&streamId=quiet-1&duration_secs=120",
                  StandardCharsets.UTF_8);
      HttpResponse<String> started =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:" + g.port() + "/live/video-to-video/quiet-1/start"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(form))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(started.statusCode()).isEqualTo(200);
      // The next queued event is a capabilities snapshot minutes away; the stream's first status
      // is due about 10.5 virtual seconds (0.5 s) after its start all the same.
      Thread.sleep(1_500);
      JsonNode status =
          mapper.readTree(
              http.send(
                      HttpRequest.newBuilder(
                              URI.create(
                                  "http://127.0.0.1:"
                                      + g.port()
                                      + "/live/video-to-video/quiet-1/status"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      assertThat(status.path("state").asText())
          .isIn("LOADING", "ONLINE", "DEGRADED_INPUT", "DEGRADED_INFERENCE", "ERROR");
      assertThat(status.path("timestamp").asLong()).isPositive();
    } finally {
      quiet.stop();
      quietRunner.join(10_000);
    }
  }

  @Test
  void unknownStreams_andBadInput_areRefused() throws Exception {
    assertThat(post("/live/video-to-video/nope/update", "{}", "application/json").statusCode())
        .isEqualTo(404);
    assertThat(get("/live/video-to-video/nope/status").statusCode()).isEqualTo(404);
    String form = "query=" + URLEncoder.encode("pipeline=sora", StandardCharsets.UTF_8);
    HttpResponse<String> r =
        post("/live/video-to-video/k/start", form, "application/x-www-form-urlencoded");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("pipeline");
    assertThat(get("/nothing").statusCode()).isEqualTo(404);
  }
}
