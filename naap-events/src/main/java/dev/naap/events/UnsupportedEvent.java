package dev.naap.events;

/**
 * An event this contract does not model: an unknown family, or an unknown {@code data.type} of a
 * known family. It is kept, never dropped: the envelope was valid, and the whole message is in
 * {@link Envelope#json()}. The shared columns are read best-effort: a value of an unexpected JSON
 * type reads as {@code ""} (or the envelope time) instead of rejecting the message.
 *
 * @param subtype {@code data.type} when data is an object holding a string there, else {@code ""}
 * @param eventTimeMs {@code data.timestamp} when it is a plausible unix-ms integer, else the
 *     envelope timestamp
 */
public record UnsupportedEvent(
    Envelope envelope,
    String subtype,
    long eventTimeMs,
    String streamId,
    String requestId,
    String pipeline,
    String orchestratorAddress,
    String orchestratorUrl,
    boolean testLoad)
    implements Event {

  @Override
  public boolean supported() {
    return false;
  }
}
