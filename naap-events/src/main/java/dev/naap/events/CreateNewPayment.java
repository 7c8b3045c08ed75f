package dev.naap.events;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A {@code create_new_payment} event: the gateway created a ticket batch for an orchestrator. Go
 * sends every value as a string; numeric ones are parsed here and are null when absent or {@code
 * ""}.
 *
 * @param clientIp {@code clientIP}
 * @param requestId {@code requestID}; {@code ""} on the recurring payments of a live stream
 * @param capability {@code capability}
 * @param manifestId {@code manifestID}: {@code "<capability>_<model>"} on the first payment of a
 *     live stream, later an 8-hex id
 * @param sessionId {@code sessionID}: the orchestrator session
 * @param recipient the ticket recipient, lower-cased: the <em>on-chain</em> orchestrator address
 *     ({@code network_capabilities} {@code address}), so it is not this event's {@link
 *     #orchestratorAddress()}
 * @param faceValueWei {@code faceValue} in wei ({@code "2402400000000000 WEI"}, or {@code "0.05
 *     ETH"} from 0.01 ETH up)
 * @param winProb {@code winProb}, e.g. 0.0009990010
 * @param priceWeiPerPixel {@code price} without its {@code " wei/pixel"} suffix
 * @param numTickets {@code numTickets}
 * @param sender the gateway's ETH address, lower-cased
 * @param orchestratorUrl {@code orchestrator}: the orchestrator service URL
 */
public record CreateNewPayment(
    Envelope envelope,
    String clientIp,
    String requestId,
    String capability,
    String manifestId,
    String sessionId,
    String recipient,
    BigInteger faceValueWei,
    BigDecimal winProb,
    BigDecimal priceWeiPerPixel,
    Integer numTickets,
    String sender,
    String orchestratorUrl)
    implements Event {

  /** The envelope type of this family. */
  public static final String FAMILY = "create_new_payment";

  /** The model of a {@code "<digits>_<model>"} manifest id, else {@code ""}. */
  @Override
  public String pipeline() {
    int underscore = manifestId.indexOf('_');
    if (underscore <= 0 || underscore == manifestId.length() - 1) {
      return "";
    }
    for (int i = 0; i < underscore; i++) {
      char c = manifestId.charAt(i);
      if (c < '0' || c > '9') {
        return "";
      }
    }
    return manifestId.substring(underscore + 1);
  }

  /** Always {@code ""}: the payment names only the on-chain {@link #recipient()}. */
}
