package dev.naap.events;

import static dev.naap.events.TestMessages.ENVELOPE_MS;
import static dev.naap.events.TestMessages.accept;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The envelope quirks of real producers: timestamp forms, the gateway field, extra members. */
class EnvelopeQuirksTest {
  private static final String DATA = "{\"note\":1}";

  private static String env(String timestamp, String gatewayMember) {
    return "{\"id\":\"e-1\",\"type\":\"x_family\",\"timestamp\":" + timestamp + gatewayMember
        + ",\"data\":" + DATA + "}";
  }

  @Test
  void timestamp_acceptsAStringOfDigits() {
    assertThat(accept(env("\"1767908945298\"", "")).envelope().timestampMs())
        .isEqualTo(ENVELOPE_MS);
  }

  @Test
  void timestamp_acceptsAnIntegerNumber() {
    assertThat(accept(env("1767908945298", "")).envelope().timestampMs()).isEqualTo(ENVELOPE_MS);
  }

  @Test
  void timestamp_acceptsAnIntegralFloat() {
    assertThat(accept(env("1767908945298.0", "")).envelope().timestampMs()).isEqualTo(ENVELOPE_MS);
    assertThat(accept(env("1.767908945298E12", "")).envelope().timestampMs())
        .isEqualTo(ENVELOPE_MS);
  }

  @Test
  void timestamp_rejectsAFractionalNumber() {
    ParseResult.Rejected r = TestMessages.reject(env("1767908945298.5", ""));
    assertThat(r.reason()).isEqualTo(RejectReason.WRONG_TYPE);
    assertThat(r.detail()).startsWith("timestamp: expected integer, got fractional number");
  }

  @Test
  void gateway_isEmptyWhenMissingNullOrEmpty() {
    assertThat(accept(env("\"1767908945298\"", "")).envelope().gateway()).isEmpty();
    assertThat(accept(env("\"1767908945298\"", ",\"gateway\":null")).envelope().gateway())
        .isEmpty();
    assertThat(accept(env("\"1767908945298\"", ",\"gateway\":\"\"")).envelope().gateway())
        .isEmpty();
  }

  @Test
  void gateway_keepsAHostAndLowerCasesAnOldEthAddress() {
    assertThat(
            accept(env("1767908945298", ",\"gateway\":\"GW-1.Example.com\"")).envelope().gateway())
        .isEqualTo("GW-1.Example.com");
    String address = "0x5aE4E42dB3671370a0c25AfF451E7482aAEc3D0B";
    assertThat(
            accept(env("1767908945298", ",\"gateway\":\"" + address + "\"")).envelope().gateway())
        .isEqualTo("0x5ae4e42db3671370a0c25aff451e7482aaec3d0b");
  }

  @Test
  void gateway_rejectsANonString() {
    ParseResult.Rejected r = TestMessages.reject(env("1767908945298", ",\"gateway\":42"));
    assertThat(r.detail()).isEqualTo("gateway: expected string, got integer");
  }

  @Test
  void envelope_ignoresUnknownMembersAndKeepsTheTextVerbatim() {
    String json = "{ \"id\" : \"e-1\", \"type\":\"x_family\", \"timestamp\":\"1767908945298\","
        + " \"data\":{}, \"producer\":\"naap-tester\" }";
    Event e = accept(json);
    assertThat(e.envelope().json()).isEqualTo(json);
    assertThat(e.id()).isEqualTo("e-1");
  }

  @Test
  void envelope_keepsNonAsciiTextVerbatim() {
    String json = TestMessages.envelope("x_family", "{\"prompt\":\"café ☕ 東京\"}");
    assertThat(accept(json).envelope().json()).isEqualTo(json);
  }

  @Test
  void id_acceptsAnyNonEmptyStringUpTo128Characters() {
    String json = "{\"id\":\"" + "i".repeat(128)
        + "\",\"type\":\"x_family\",\"timestamp\":\"1767908945298\",\"data\":[]}";
    assertThat(accept(json).id()).hasSize(128);
  }
}
