package dev.naap.events;

/**
 * The go-livepeer Kafka envelope ({@code monitor.GatewayEvent}) shared by every family.
 *
 * @param id the envelope {@code id} (a UUID in practice; also the Kafka key), 1 to 128 characters
 * @param type the event family, e.g. {@code "stream_trace"}
 * @param timestampMs the envelope {@code timestamp}: unix ms on the gateway clock at enqueue (sent
 *     as a string of digits or as a number; both are accepted)
 * @param gateway the {@code -gatewayHost} value; {@code ""} when absent or null. An ETH address
 *     (older producers) is lower-cased; any other value is kept as sent
 * @param json the whole envelope text exactly as received (valid UTF-8), for the raw table
 */
public record Envelope(String id, String type, long timestampMs, String gateway, String json) {}
