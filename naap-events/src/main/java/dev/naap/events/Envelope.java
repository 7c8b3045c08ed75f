package dev.naap.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The go-livepeer Kafka envelope ({@code monitor.GatewayEvent}) shared by every family.
 *
 * @param id the envelope {@code id} (a UUID in practice; also the Kafka key), 1 to 128 characters
 * @param type the event family, e.g. {@code "stream_trace"}
 * @param timestampMs the envelope {@code timestamp}: unix ms on the gateway clock at enqueue (sent
 *     as a string of digits or as a number; both are accepted)
 * @param gateway the {@code -gatewayHost} value; {@code ""} when absent or null. An ETH address
 *     (older producers) is lower-cased; any other value is kept as sent
 * @param message the whole message exactly as received (valid UTF-8). The parser's input array
 *     itself, not a copy, so that accepting an event copies no bytes: do not modify it
 */
public record Envelope(String id, String type, long timestampMs, String gateway, byte[] message) {

  /** The whole envelope text exactly as received, decoded on each call. */
  public String json() {
    return new String(message, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Envelope e
        && id.equals(e.id)
        && type.equals(e.type)
        && timestampMs == e.timestampMs
        && gateway.equals(e.gateway)
        && Arrays.equals(message, e.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, type, timestampMs, gateway, Arrays.hashCode(message));
  }

  @Override
  public String toString() {
    return "Envelope[id=" + id + ", type=" + type + ", timestampMs=" + timestampMs + ", gateway="
        + gateway + ", message=" + message.length + " bytes]";
  }
}
