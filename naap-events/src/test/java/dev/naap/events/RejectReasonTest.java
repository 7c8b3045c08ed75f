package dev.naap.events;

import static dev.naap.events.TestMessages.envelope;
import static dev.naap.events.TestMessages.reject;
import static dev.naap.events.TestMessages.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every reject reason, each from a concrete input, with the detail it reports. */
class RejectReasonTest {
  private static final String TRACE =
      "{\"type\":\"gateway_receive_stream_request\",\"stream_id\":\"s\",\"timestamp\":1767908945298}";

  @Test
  void code_isTheStableLowerSnakeName() {
    assertThat(Arrays.stream(RejectReason.values()).map(RejectReason::code))
        .containsExactly(
            "empty", "oversized", "invalid_utf8", "not_json", "truncated", "not_an_object",
            "missing_field", "wrong_type", "invalid_value", "data_shape", "store_error");
  }

  @Test
  void parse_rejectsNullAndEmptyBytesAsEmpty() {
    assertThat(reject((byte[]) null).reason()).isEqualTo(RejectReason.EMPTY);
    assertThat(reject(new byte[0]).reason()).isEqualTo(RejectReason.EMPTY);
    assertThat(reject(" \n\t\r ").reason()).isEqualTo(RejectReason.EMPTY);
  }

  @Test
  void parse_rejectsMessagesOverTheByteLimitBeforeDecoding() {
    EventParser small = new EventParser(64);
    byte[] notEvenUtf8 = new byte[65];
    Arrays.fill(notEvenUtf8, (byte) 0xFF);
    ParseResult result = small.parse(notEvenUtf8);
    assertThat(result)
        .isEqualTo(
            new ParseResult.Rejected(RejectReason.OVERSIZED, "message is 65 bytes, limit is 64"));
  }

  @Test
  void parse_acceptsAMessageOfExactlyTheByteLimit() {
    byte[] message = utf8(envelope("x_family", "{}"));
    assertThat(new EventParser(message.length).parse(message))
        .isInstanceOf(ParseResult.Accepted.class);
    assertThat(new EventParser(message.length - 1).parse(message))
        .isInstanceOf(ParseResult.Rejected.class);
  }

  @Test
  void parse_rejectsInvalidUtf8WithItsBytePosition() {
    byte[] message = utf8(envelope(StreamTrace.FAMILY, TRACE));
    message[10] = (byte) 0xC3; // a lead byte followed by an ASCII byte
    ParseResult.Rejected r = reject(message);
    assertThat(r.reason()).isEqualTo(RejectReason.INVALID_UTF8);
    assertThat(r.detail()).isEqualTo("invalid UTF-8 sequence at byte 10");
  }

  @Test
  void parse_rejectsOverlongAndSurrogateUtf8Encodings() {
    byte[] overlongSlash = {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}'};
    byte[] surrogate = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
    assertThat(reject(overlongSlash).reason()).isEqualTo(RejectReason.INVALID_UTF8);
    assertThat(reject(surrogate).reason()).isEqualTo(RejectReason.INVALID_UTF8);
  }

  @Test
  void parse_rejectsAMessageCutInsideAUtf8CharacterAsTruncated() {
    byte[] full = utf8(envelope("x_family", "{\"note\":\"café\"}"));
    int cut = indexOf(full, (byte) 0xC3) + 1; // keep the lead byte of é, drop its continuation
    ParseResult.Rejected r = reject(Arrays.copyOf(full, cut));
    assertThat(r.reason()).isEqualTo(RejectReason.TRUNCATED);
    assertThat(r.detail()).startsWith("message ends inside a UTF-8 sequence");
  }

  @Test
  void parse_rejectsUnparsableTextAsNotJson() {
    ParseResult.Rejected r = reject("id=1&type=stream_trace");
    assertThat(r.reason()).isEqualTo(RejectReason.NOT_JSON);
    assertThat(r.detail()).startsWith("invalid JSON near char 2: Unrecognized token 'id'");
  }

  @Test
  void parse_rejectsTrailingGarbageAfterTheObjectAsNotJson() {
    assertThat(reject(envelope("x_family", "{}") + "x").reason()).isEqualTo(RejectReason.NOT_JSON);
    assertThat(reject(envelope("x_family", "{}") + " {}").detail())
        .startsWith("trailing content after the JSON value");
  }

  @Test
  void parse_rejectsTruncatedJson() {
    String full = envelope(StreamTrace.FAMILY, TRACE);
    ParseResult.Rejected r = reject(full.substring(0, full.length() - 1));
    assertThat(r.reason()).isEqualTo(RejectReason.TRUNCATED);
    assertThat(r.detail()).startsWith("JSON ends early");
  }

  @Test
  void parse_rejectsJsonCutInsideALiteralOrNumberAsTruncated() {
    assertThat(reject("{\"a\":tr").reason()).isEqualTo(RejectReason.TRUNCATED);
    assertThat(reject("{\"a\":17.").reason()).isEqualTo(RejectReason.TRUNCATED);
    assertThat(reject("{\"a\":1,").reason()).isEqualTo(RejectReason.TRUNCATED);
    // not a prefix of any valid JSON: a syntax error, even at the very end
    assertThat(reject("{\"a\":tx").reason()).isEqualTo(RejectReason.NOT_JSON);
    assertThat(reject("{\"a\" 1").reason()).isEqualTo(RejectReason.NOT_JSON);
    assertThat(reject("{\"a\",").reason()).isEqualTo(RejectReason.NOT_JSON);
  }

  @Test
  void parse_rejectsJsonThatIsNotAnObject() {
    for (String json : new String[] {"[1,2]", "\"text\"", "42", "true", "null"}) {
      ParseResult.Rejected r = reject(json);
      assertThat(r.reason()).as(json).isEqualTo(RejectReason.NOT_AN_OBJECT);
    }
    assertThat(reject("[{\"id\":\"a\"}]").detail()).isEqualTo("expected a JSON object, got array");
  }

  @Test
  void parse_rejectsAMissingIdNamingTheField() {
    ParseResult.Rejected r =
        reject("{\"type\":\"stream_trace\",\"timestamp\":\"1767908945298\",\"data\":{}}");
    assertThat(r).isEqualTo(
        new ParseResult.Rejected(RejectReason.MISSING_FIELD, "id: required field is missing"));
  }

  @Test
  void parse_rejectsMissingTypeTimestampAndData() {
    assertThat(reject("{\"id\":\"a\",\"timestamp\":\"1767908945298\",\"data\":{}}").detail())
        .isEqualTo("type: required field is missing");
    assertThat(reject("{\"id\":\"a\",\"type\":\"stream_trace\",\"data\":{}}").detail())
        .isEqualTo("timestamp: required field is missing");
    ParseResult.Rejected noData =
        reject("{\"id\":\"a\",\"type\":\"x\",\"timestamp\":\"1767908945298\",\"data\":null}");
    assertThat(noData.reason()).isEqualTo(RejectReason.MISSING_FIELD);
    assertThat(noData.detail()).isEqualTo("data: required field is missing");
  }

  @Test
  void parse_rejectsAMissingSubtypeOnFamiliesThatHaveOne() {
    ParseResult.Rejected r = reject(envelope(StreamTrace.FAMILY, "{\"stream_id\":\"s\"}"));
    assertThat(r)
        .isEqualTo(
            new ParseResult.Rejected(
                RejectReason.MISSING_FIELD, "data.type: required field is missing"));
    assertThat(reject(envelope(AiStreamEvent.FAMILY, "{}")).reason())
        .isEqualTo(RejectReason.MISSING_FIELD);
  }

  @Test
  void parse_rejectsAWrongTypeNamingThePath() {
    String status =
        "{\"type\":\"status\",\"inference_status\":{\"fps\":\"17.3\"},\"timestamp\":1767908955609}";
    ParseResult.Rejected r = reject(envelope(AiStreamStatus.FAMILY, status));
    assertThat(r).isEqualTo(
        new ParseResult.Rejected(
            RejectReason.WRONG_TYPE, "data.inference_status.fps: expected number, got string"));
  }

  @Test
  void parse_rejectsWrongTypesInsideArrays() {
    String metrics = "{\"stats\":{\"track_stats\":[{\"type\":\"video\"},{\"rtt\":\"5ms\"}]}}";
    assertThat(reject(envelope(StreamIngestMetrics.FAMILY, metrics)).detail())
        .isEqualTo("data.stats.track_stats[1].rtt: expected integer, got string");
    assertThat(reject(envelope(DiscoveryResults.FAMILY, "[{\"address\":\"0xa\"},7]")).detail())
        .isEqualTo("data[1]: expected object, got integer");
  }

  @Test
  void parse_rejectsAnInvalidEnvelopeTimestamp() {
    ParseResult.Rejected notDigits =
        reject("{\"id\":\"a\",\"type\":\"x\",\"timestamp\":\"2026-01-08T21:49:05Z\",\"data\":{}}");
    assertThat(notDigits.reason()).isEqualTo(RejectReason.INVALID_VALUE);
    assertThat(notDigits.detail())
        .isEqualTo("timestamp: \"2026-01-08T21:49:05Z\" is not unix milliseconds");
    ParseResult.Rejected seconds =
        reject("{\"id\":\"a\",\"type\":\"x\",\"timestamp\":\"1767908945\",\"data\":{}}");
    assertThat(seconds.detail())
        .isEqualTo("timestamp: 1767908945 is not a unix-ms time between 2015 and 2100");
    assertThat(reject("{\"id\":\"a\",\"type\":\"x\",\"timestamp\":0,\"data\":{}}").reason())
        .isEqualTo(RejectReason.INVALID_VALUE);
    assertThat(reject("{\"id\":\"a\",\"type\":\"x\",\"timestamp\":-1,\"data\":{}}").reason())
        .isEqualTo(RejectReason.INVALID_VALUE);
    assertThat(reject("{\"id\":\"a\",\"type\":\"x\",\"timestamp\":true,\"data\":{}}").reason())
        .isEqualTo(RejectReason.WRONG_TYPE);
  }

  @Test
  void parse_rejectsATypeThatIsNotAFamilyName() {
    for (String type : new String[] {"\"Stream_Trace\"", "\"\"", "\"1x\"", "\"a-b\"", "7",
        "{\"x\":1}", "\"" + "a".repeat(65) + "\""}) {
      String json =
          "{\"id\":\"a\",\"type\":" + type + ",\"timestamp\":\"1767908945298\",\"data\":{}}";
      ParseResult.Rejected r = reject(json);
      assertThat(r.reason()).as(type).isEqualTo(RejectReason.INVALID_VALUE);
      assertThat(r.detail()).as(type).startsWith("type: must be a string matching");
    }
  }

  @Test
  void parse_rejectsAnEmptyOrOverlongId() {
    String empty = "{\"id\":\"\",\"type\":\"x\",\"timestamp\":\"1767908945298\",\"data\":{}}";
    assertThat(reject(empty).detail()).isEqualTo("id: must be 1 to 128 characters, got 0");
    String longId = "{\"id\":\"" + "a".repeat(129)
        + "\",\"type\":\"x\",\"timestamp\":\"1767908945298\",\"data\":{}}";
    assertThat(reject(longId).reason()).isEqualTo(RejectReason.INVALID_VALUE);
    String numeric = "{\"id\":7,\"type\":\"x\",\"timestamp\":\"1767908945298\",\"data\":{}}";
    assertThat(reject(numeric).detail()).isEqualTo("id: expected string, got integer");
  }

  @Test
  void parse_rejectsDataOfTheWrongShape() {
    ParseResult.Rejected arrayForObject = reject(envelope(StreamTrace.FAMILY, "[" + TRACE + "]"));
    assertThat(arrayForObject).isEqualTo(
        new ParseResult.Rejected(
            RejectReason.DATA_SHAPE, "data: stream_trace sends an object, got array"));
    ParseResult.Rejected objectForArray =
        reject(envelope(NetworkCapabilities.FAMILY, "{\"address\":\"0xa\"}"));
    assertThat(objectForArray.reason()).isEqualTo(RejectReason.DATA_SHAPE);
    assertThat(objectForArray.detail())
        .isEqualTo("data: network_capabilities sends an array, got object");
    assertThat(reject(envelope(CreateNewPayment.FAMILY, "\"x\"")).reason())
        .isEqualTo(RejectReason.DATA_SHAPE);
  }

  @Test
  void parse_rejectsDuplicateKeysAsInvalid() {
    ParseResult.Rejected r =
        reject(
            "{\"id\":\"a\",\"id\":\"b\",\"type\":\"x\",\"timestamp\":\"1767908945298\",\"data\":{}}");
    assertThat(r.reason()).isEqualTo(RejectReason.INVALID_VALUE);
    assertThat(r.detail()).startsWith("Duplicate field 'id'");
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    throw new IllegalArgumentException("byte not found");
  }
}
