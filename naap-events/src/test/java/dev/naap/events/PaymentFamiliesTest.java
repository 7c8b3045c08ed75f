package dev.naap.events;

import static dev.naap.events.TestMessages.ENVELOPE_MS;
import static dev.naap.events.TestMessages.accept;
import static dev.naap.events.TestMessages.envelope;
import static dev.naap.events.TestMessages.reject;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Quirks of create_new_payment and create_signed_ticket. */
class PaymentFamiliesTest {

  private static String payment(String faceValue, String price) {
    return envelope(CreateNewPayment.FAMILY, "{\"faceValue\":\"" + faceValue + "\",\"price\":\""
        + price + "\",\"manifestID\":\"35_streamdiffusion\",\"numTickets\":\"3\"}");
  }

  @Test
  void faceValue_parsesTheEthFormGoUsesFromOneHundredthEth() {
    CreateNewPayment p = accept(payment("0.0240240000 ETH", "1635.021 wei/pixel"),
        CreateNewPayment.class);
    assertThat(p.faceValueWei()).isEqualTo(new BigInteger("24024000000000000"));
  }

  @Test
  void faceValue_matchesUnitsCaseInsensitively() {
    CreateNewPayment p = accept(payment("1500 wei", "0.5 WEI/PIXEL"), CreateNewPayment.class);
    assertThat(p.faceValueWei()).isEqualTo(BigInteger.valueOf(1500));
    assertThat(p.priceWeiPerPixel()).isEqualByComparingTo(new BigDecimal("0.5"));
  }

  @Test
  void faceValue_rejectsOtherUnitsAndForms() {
    for (String bad : new String[] {"2402400000000000", "2402400000000000 LPT", "1.5 WEI",
        "0.0000000000000000001 ETH", "-5 WEI", "1e18 WEI", " WEI"}) {
      ParseResult.Rejected r = reject(payment(bad, "1 wei/pixel"));
      assertThat(r.reason()).as(bad).isEqualTo(RejectReason.INVALID_VALUE);
      assertThat(r.detail()).as(bad).startsWith("data.faceValue: ");
    }
  }

  @Test
  void price_rejectsAMissingUnitSuffix() {
    assertThat(reject(payment("1 WEI", "1635.021")).detail())
        .isEqualTo("data.price: \"1635.021\" is not \"<decimal> wei/pixel\"");
  }

  @Test
  void payment_readsManifestModelTicketsAndEnvelopeTime() {
    CreateNewPayment p = accept(payment("1 WEI", "1 wei/pixel"), CreateNewPayment.class);
    assertThat(p.pipeline()).isEqualTo("streamdiffusion");
    assertThat(p.numTickets()).isEqualTo(3);
    assertThat(p.eventTimeMs()).isEqualTo(ENVELOPE_MS);
    assertThat(p.subtype()).isEmpty();
  }

  @Test
  void payment_readsEmptyAndAbsentAmountsAsNull() {
    CreateNewPayment p = accept(envelope(CreateNewPayment.FAMILY,
        "{\"faceValue\":\"\",\"manifestID\":\"mike-test\"}"), CreateNewPayment.class);
    assertThat(p.faceValueWei()).isNull();
    assertThat(p.priceWeiPerPixel()).isNull();
    assertThat(p.winProb()).isNull();
    assertThat(p.numTickets()).isNull();
    assertThat(p.pipeline()).isEmpty(); // no "<digits>_" prefix
  }

  @Test
  void payment_rejectsNumbersWhereGoSendsStrings() {
    assertThat(reject(envelope(CreateNewPayment.FAMILY, "{\"numTickets\":2}")).detail())
        .isEqualTo("data.numTickets: expected string, got integer");
    assertThat(reject(envelope(CreateNewPayment.FAMILY, "{\"numTickets\":\"two\"}")).reason())
        .isEqualTo(RejectReason.INVALID_VALUE);
  }

  @Test
  void signedTicket_readsEveryRemoteSignerField() {
    String data = "{\"session_id\":\"st-1\",\"session_status\":\"continuing\",\"app\":\"daydream\","
        + "\"pipeline\":\"live-video-to-video\",\"request_id\":\"req-1\","
        + "\"orch_address\":\"0x52CF2968b3DC6016778742D3539449a6597D5954\","
        + "\"orch_url\":\"https://o:8935\",\"manifest_id\":\"m-1\",\"pm_session_id\":\"0xabc\","
        + "\"current_time\":\"2026-01-08T21:49:15.5Z\",\"current_time_unix\":1767908955500,"
        + "\"previous_time\":\"2026-01-08T21:49:05.5Z\",\"previous_time_unix\":1767908945500,"
        + "\"billable_secs\":10.000123,\"pixels\":122880000,\"session_balance\":\"-42\","
        + "\"computed_fee\":\"200908800000\",\"cost\":\"1635.0210000000\",\"sequence_number\":7,"
        + "\"num_tickets\":1,\"auth_id\":\"user-9\"}";
    CreateSignedTicket t = accept(envelope(CreateSignedTicket.FAMILY, data),
        CreateSignedTicket.class);
    assertThat(t.sessionStatus()).isEqualTo("continuing");
    assertThat(t.app()).isEqualTo("daydream");
    assertThat(t.pipeline()).isEqualTo("live-video-to-video");
    assertThat(t.orchestratorAddress()).isEqualTo("0x52cf2968b3dc6016778742d3539449a6597d5954");
    assertThat(t.orchestratorUrl()).isEqualTo("https://o:8935");
    assertThat(t.currentTimeUnixMs()).isEqualTo(1_767_908_955_500L);
    assertThat(t.previousTimeUnixMs()).isEqualTo(1_767_908_945_500L);
    assertThat(t.billableSeconds()).isEqualTo(10.000123);
    assertThat(t.pixels()).isEqualTo(122_880_000L);
    assertThat(t.sessionBalanceWei()).isEqualTo(BigInteger.valueOf(-42));
    assertThat(t.computedFeeWei()).isEqualTo(new BigInteger("200908800000"));
    assertThat(t.costWeiPerUnit()).isEqualByComparingTo(new BigDecimal("1635.021"));
    assertThat(t.sequenceNumber()).isEqualTo(7L);
    assertThat(t.numTickets()).isEqualTo(1);
    assertThat(t.authId()).isEqualTo("user-9");
    assertThat(t.requestId()).isEqualTo("req-1");
    assertThat(t.eventTimeMs()).isEqualTo(ENVELOPE_MS);
  }

  @Test
  void signedTicket_rejectsAFeeSentAsANumber() {
    assertThat(reject(envelope(CreateSignedTicket.FAMILY, "{\"computed_fee\":1}")).detail())
        .isEqualTo("data.computed_fee: expected string, got integer");
    assertThat(reject(envelope(CreateSignedTicket.FAMILY, "{\"computed_fee\":\"1.5\"}")).detail())
        .isEqualTo("data.computed_fee: \"1.5\" is not an integer");
  }
}
