package dev.naap.events;

import static dev.naap.events.TestMessages.PARSER;
import static dev.naap.events.TestMessages.envelope;
import static dev.naap.events.TestMessages.reject;
import static dev.naap.events.TestMessages.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile and damaged input: the parser must classify it and never throw. A result whose detail
 * starts with "internal parser error" means an exception escaped a reader, so it fails every test
 * here.
 */
class HostileInputTest {
  private static final long SEED = 20260108L;

  @Test
  void parse_rejectsEveryCaptureMessageTruncatedAtEveryBytePosition() {
    int checked = 0;
    int totalBytes = 0;
    for (byte[] message : TestMessages.captureMessages()) {
      totalBytes += message.length;
      for (int cut = 0; cut < message.length; cut++) {
        ParseResult result = PARSER.parse(Arrays.copyOf(message, cut));
        assertThat(result).isInstanceOf(ParseResult.Rejected.class);
        RejectReason expected = cut == 0 ? RejectReason.EMPTY : RejectReason.TRUNCATED;
        assertThat(((ParseResult.Rejected) result).reason())
            .as("message %s cut at %d", new String(message, 0, Math.min(60, message.length)), cut)
            .isEqualTo(expected);
        checked++;
      }
    }
    assertThat(checked).isEqualTo(totalBytes).isGreaterThan(40_000);
  }

  @Test
  void parse_neverThrowsOnRandomByteFlipsOfTheCapture() {
    Random random = new Random(SEED);
    Map<RejectReason, Integer> reasons = new EnumMap<>(RejectReason.class);
    int accepted = 0;
    for (byte[] message : TestMessages.captureMessages()) {
      for (int round = 0; round < 300; round++) {
        byte[] damaged = message.clone();
        int flips = 1 + random.nextInt(3);
        for (int f = 0; f < flips; f++) {
          damaged[random.nextInt(damaged.length)] ^= (byte) (1 << random.nextInt(8));
        }
        ParseResult result = PARSER.parse(damaged);
        switch (result) {
          case ParseResult.Accepted(Event e) -> {
            accepted++;
            assertThat(utf8(e.envelope().json())).isEqualTo(damaged);
          }
          case ParseResult.Rejected(RejectReason reason, String detail) -> {
            assertThat(detail).doesNotStartWith("internal parser error").isNotBlank();
            reasons.merge(reason, 1, Integer::sum);
          }
        }
      }
    }
    // a flip inside a string value usually still parses; one in the syntax usually does not
    assertThat(accepted).isGreaterThan(1_000);
    assertThat(reasons).containsKeys(
        RejectReason.NOT_JSON, RejectReason.INVALID_UTF8, RejectReason.MISSING_FIELD);
  }

  @Test
  void parse_neverThrowsOnRandomBytes() {
    Random random = new Random(SEED);
    for (int i = 0; i < 5_000; i++) {
      byte[] noise = new byte[random.nextInt(200)];
      random.nextBytes(noise);
      ParseResult result = PARSER.parse(noise);
      assertThat(result).isInstanceOf(ParseResult.Rejected.class);
      assertThat(((ParseResult.Rejected) result).detail()).doesNotStartWith("internal");
    }
  }

  @Test
  void parse_rejectsAFiveMegabytePayloadAsOversized() {
    String big = envelope("x_family", "{\"blob\":\"" + "a".repeat(5 * 1024 * 1024) + "\"}");
    ParseResult.Rejected r = reject(big);
    assertThat(r.reason()).isEqualTo(RejectReason.OVERSIZED);
    assertThat(r.detail()).endsWith("limit is " + EventParser.DEFAULT_MAX_BYTES);
  }

  @Test
  void parse_rejectsNestingDeeperThanTheLimit() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    ParseResult.Rejected r = reject(envelope("x_family", deep));
    assertThat(r.reason()).isEqualTo(RejectReason.INVALID_VALUE);
    assertThat(r.detail()).startsWith("input exceeds a parser limit: Document nesting depth");
    // the envelope is level 1, so data may nest 63 more levels
    int allowed = JsonInput.MAX_NESTING_DEPTH - 1;
    String fits = "[".repeat(allowed) + "]".repeat(allowed);
    assertThat(TestMessages.accept(envelope("x_family", fits)).supported()).isFalse();
  }

  @Test
  void parse_rejectsHugeNumbers() {
    String longNumber = "9".repeat(10_000);
    assertThat(reject(envelope("x_family", longNumber)).detail())
        .startsWith("input exceeds a parser limit: Number value length");
    String outOfRange =
        "{\"type\":\"gateway_receive_stream_request\",\"timestamp\":123456789012345678901234567890}";
    assertThat(reject(envelope(StreamTrace.FAMILY, outOfRange)))
        .isEqualTo(
            new ParseResult.Rejected(
                RejectReason.INVALID_VALUE, "data.timestamp: integer outside the 64-bit range"));
    String infinite = "{\"type\":\"status\",\"input_status\":{\"fps\":1e400}}";
    assertThat(reject(envelope(AiStreamStatus.FAMILY, infinite)).detail())
        .isEqualTo("data.input_status.fps: number is not finite");
    String envelopeInfinity = "{\"id\":\"a\",\"type\":\"x\",\"timestamp\":1e400,\"data\":{}}";
    assertThat(reject(envelopeInfinity).reason()).isEqualTo(RejectReason.INVALID_VALUE);
  }

  @Test
  void parse_rejectsAHugeAmountStringWithoutBuildingIt() {
    String payment = "{\"faceValue\":\"1" + "0".repeat(5_000) + " WEI\"}";
    ParseResult.Rejected r = reject(envelope(CreateNewPayment.FAMILY, payment));
    assertThat(r.reason()).isEqualTo(RejectReason.INVALID_VALUE);
    assertThat(r.detail()).startsWith("data.faceValue: \"1000000000");
    assertThat(r.detail().length()).isLessThan(200);
  }

  @Test
  void parse_boundsTheDetailLengthForHostileValues() {
    String type = "\"" + "Z".repeat(100_000) + "\"";
    String json =
        "{\"id\":\"a\",\"type\":" + type + ",\"timestamp\":\"1767908945298\",\"data\":{}}";
    assertThat(reject(json).detail().length()).isLessThanOrEqualTo(301);
  }

  @Test
  void parse_handlesControlCharactersAndEscapesInStrings() {
    String data =
        "{\"type\":\"gateway_receive_stream_request\",\"stream_id\":\"a\\u0000b\\n\\\"c\"}";
    StreamTrace t = TestMessages.accept(envelope(StreamTrace.FAMILY, data), StreamTrace.class);
    assertThat(t.streamId()).isEqualTo("a\u0000b\n\"c");
    String raw = envelope(StreamTrace.FAMILY, "{\"type\":\"x\",\"stream_id\":\"a\u0001b\"}");
    assertThat(reject(raw).reason()).isEqualTo(RejectReason.NOT_JSON); // unescaped control char
  }

  @Test
  void parse_isSafeToShareAcrossThreads() throws Exception {
    List<byte[]> messages = TestMessages.captureMessages();
    List<Thread> threads = new java.util.ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger accepted =
        new java.util.concurrent.atomic.AtomicInteger();
    for (int t = 0; t < 8; t++) {
      threads.add(Thread.ofVirtual().start(() -> {
        for (int round = 0; round < 50; round++) {
          for (byte[] m : messages) {
            if (PARSER.parse(m) instanceof ParseResult.Accepted) {
              accepted.incrementAndGet();
            }
          }
        }
      }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(accepted.get()).isEqualTo(8 * 50 * messages.size());
  }

  @Test
  void parse_rejectsIdsAndKeyFieldsWithUnpairedSurrogates_neverAltersThem() {
    String[] lone = {"x\\ud800", "\\udc00x", "a\\ud800\\ud800b", "\\ud83d"};
    for (String s : lone) {
      ParseResult.Rejected id = reject("{\"id\":\"" + s + "\",\"type\":\"ai_stream_status\","
          + "\"timestamp\":\"" + TestMessages.ENVELOPE_MS + "\",\"gateway\":\"\",\"data\":{}}");
      assertThat(id.reason()).isEqualTo(RejectReason.INVALID_VALUE);
      assertThat(id.detail()).contains("id").contains("unpaired surrogate");

      ParseResult.Rejected stream = reject(envelope("ai_stream_status",
          "{\"stream_id\":\"" + s + "\",\"request_id\":\"r\",\"pipeline\":\"p\"}"));
      assertThat(stream.reason()).isEqualTo(RejectReason.INVALID_VALUE);
      assertThat(stream.detail()).contains("stream_id").contains("unpaired surrogate");

      ParseResult.Rejected unknown = reject(envelope("some_future_family",
          "{\"stream_id\":\"" + s + "\"}"));
      assertThat(unknown.detail()).contains("unpaired surrogate");
    }
    // A surrogate pair (an emoji) is valid Unicode and accepted as it is.
    ParseResult ok = PARSER.parse(utf8("{\"id\":\"x\\ud83d\\ude00\",\"type\":\"ai_stream_status\","
        + "\"timestamp\":\"" + TestMessages.ENVELOPE_MS + "\",\"gateway\":\"\",\"data\":{}}"));
    assertThat(ok).isInstanceOfSatisfying(ParseResult.Accepted.class,
        a -> assertThat(a.event().envelope().id()).isEqualTo("x\ud83d\ude00"));
  }
}
