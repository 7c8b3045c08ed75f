package dev.naap.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;

/** Reads the payment families: {@code create_new_payment} and {@code create_signed_ticket}. */
final class PaymentReader {
  private PaymentReader() {}

  /** All values are strings ({@code map[string]string} in {@code server/segment_rpc.go}). */
  static Event createNewPayment(Envelope env, JsonNode dataNode) {
    Fields data = Payloads.object(env, dataNode);
    BigInteger numTickets = data.integerString("numTickets");
    if (numTickets != null && (numTickets.signum() < 0 || numTickets.bitLength() > 31)) {
      throw data.invalid("numTickets", numTickets + " is outside 0.." + Integer.MAX_VALUE);
    }
    return new CreateNewPayment(
        env,
        data.str("clientIP"),
        data.str("requestID"),
        data.str("capability"),
        data.str("manifestID"),
        data.str("sessionID"),
        data.lowerStr("recipient"),
        faceValueWei(data),
        data.decimalString("winProb"),
        priceWeiPerPixel(data),
        numTickets == null ? null : numTickets.intValue(),
        data.lowerStr("sender"),
        data.str("orchestrator"));
  }

  /** A {@code map[string]interface{}} in {@code server/remote_signer.go}: mixed types. */
  static Event createSignedTicket(Envelope env, JsonNode dataNode) {
    Fields data = Payloads.object(env, dataNode);
    return new CreateSignedTicket(
        env,
        data.str("session_id"),
        data.str("session_status"),
        data.str("app"),
        data.str("pipeline"),
        data.str("request_id"),
        data.lowerStr("orch_address"),
        data.str("orch_url"),
        data.str("manifest_id"),
        data.str("pm_session_id"),
        data.str("current_time"),
        data.optLong("current_time_unix"),
        data.str("previous_time"),
        data.optLong("previous_time_unix"),
        data.optDouble("billable_secs"),
        data.optLong("pixels"),
        data.integerString("session_balance"),
        data.integerString("computed_fee"),
        data.decimalString("cost"),
        data.optLong("sequence_number"),
        data.optInt("num_tickets"),
        data.str("auth_id"),
        Payloads.testLoad(data));
  }

  private static BigInteger faceValueWei(Fields data) {
    String s = data.str("faceValue");
    if (s.isEmpty()) {
      return null;
    }
    String expected = " is not \"<integer> WEI\" or \"<decimal> ETH\"";
    return Decimals.parseWei(s)
        .orElseThrow(() -> data.invalid("faceValue", Fields.quote(s) + expected));
  }

  private static BigDecimal priceWeiPerPixel(Fields data) {
    String s = data.str("price");
    if (s.isEmpty()) {
      return null;
    }
    return Decimals.parseWithUnit(s, "wei/pixel")
        .orElseThrow(
            () -> data.invalid("price", Fields.quote(s) + " is not \"<decimal> wei/pixel\""));
  }
}
