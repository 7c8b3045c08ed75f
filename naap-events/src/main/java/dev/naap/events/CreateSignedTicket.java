package dev.naap.events;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A {@code create_signed_ticket} event from a remote signer node: one signed payment for a live
 * session, with the seconds it bills. Numbers are boxed and null when absent; amounts that Go sends
 * as strings are parsed and null when absent or {@code ""}.
 *
 * @param sessionId {@code session_id}: the signer's payment-state id
 * @param sessionStatus "new" or "continuing"
 * @param app {@code app}, when the producer sends it
 * @param pipeline "live-video-to-video", "live" or {@code ""}
 * @param requestId {@code request_id}: the signer's own per-call id, not a stream request id
 * @param orchAddress the orchestrator signer address, lower-cased
 * @param currentTime {@code current_time} as sent (RFC 3339)
 * @param currentTimeUnixMs {@code current_time_unix}
 * @param previousTime {@code previous_time} as sent (RFC 3339)
 * @param previousTimeUnixMs {@code previous_time_unix}
 * @param billableSeconds {@code billable_secs}: seconds billed by this ticket
 * @param sessionBalanceWei {@code session_balance}
 * @param computedFeeWei {@code computed_fee}
 * @param costWeiPerUnit {@code cost}: the orchestrator price per billable unit
 */
public record CreateSignedTicket(
    Envelope envelope,
    String sessionId,
    String sessionStatus,
    String app,
    String pipeline,
    String requestId,
    String orchAddress,
    String orchUrl,
    String manifestId,
    String pmSessionId,
    String currentTime,
    Long currentTimeUnixMs,
    String previousTime,
    Long previousTimeUnixMs,
    Double billableSeconds,
    Long pixels,
    BigInteger sessionBalanceWei,
    BigInteger computedFeeWei,
    BigDecimal costWeiPerUnit,
    Long sequenceNumber,
    Integer numTickets,
    String authId,
    boolean testLoad)
    implements Event {

  /** The envelope type of this family. */
  public static final String FAMILY = "create_signed_ticket";

  @Override
  public String orchestratorAddress() {
    return orchAddress;
  }

  @Override
  public String orchestratorUrl() {
    return orchUrl;
  }
}
