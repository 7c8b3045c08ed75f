package dev.naap.sim;

/**
 * Where the simulator's messages go, in publish order. {@code key} is the Kafka message key (the
 * envelope id, a random UUID as go-livepeer uses); {@code value} the message bytes, which are not
 * valid JSON for injected malformed messages. Implementations need not be thread-safe: one
 * simulation calls one sink from one thread.
 */
public interface EventSink extends AutoCloseable {

  void send(String key, byte[] value);

  /** Flushes and releases resources; the default does nothing. */
  @Override
  default void close() {}
}
