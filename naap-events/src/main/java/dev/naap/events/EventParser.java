package dev.naap.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Parses and validates one go-livepeer Kafka message value into an {@link Event}, or rejects it
 * with a {@link RejectReason} and a detail naming the offending field.
 *
 * <p>Each call first reads the message token by token straight from the bytes ({@link
 * StreamingReader}, no tree for the two largest families); only a message that path cannot accept
 * exactly is read as a Jackson tree, and decoded to characters to describe a rejection. The
 * Jackson factories are shared. Unknown
 * families and unknown subtypes are accepted as {@link UnsupportedEvent}. The contract (every
 * family, field, unit and reason) is docs/EVENTS.md.
 *
 * <p>Immutable and thread-safe: share one instance.
 */
public final class EventParser {
  /** The default byte limit of one message: 1 MiB. */
  public static final int DEFAULT_MAX_BYTES = 1 << 20;

  private final int maxBytes;

  /** A parser that accepts messages up to {@link #DEFAULT_MAX_BYTES}. */
  public EventParser() {
    this(DEFAULT_MAX_BYTES);
  }

  /**
   * A parser that rejects messages longer than {@code maxBytes} as {@link RejectReason#OVERSIZED}.
   *
   * @throws IllegalArgumentException if {@code maxBytes} is not positive
   */
  public EventParser(int maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /**
   * Parses one message value. Never throws: every input, null and empty included, yields an
   * {@link ParseResult.Accepted} or a {@link ParseResult.Rejected}.
   */
  public ParseResult parse(byte[] value) {
    try {
      return new ParseResult.Accepted(read(value));
    } catch (RejectException e) {
      return e.toResult();
    } catch (RuntimeException | StackOverflowError e) {
      // A bug, not bad input; the contract still forbids throwing. Tests assert this never occurs.
      return new ParseResult.Rejected(
          RejectReason.INVALID_VALUE, "internal parser error: " + e.getClass().getName());
    }
  }

  private Event read(byte[] value) {
    if (value == null || value.length == 0) {
      throw new RejectException(RejectReason.EMPTY, "message has no bytes");
    }
    if (value.length > maxBytes) {
      throw new RejectException(
          RejectReason.OVERSIZED,
          "message is " + value.length + " bytes, limit is " + maxBytes);
    }
    Event streamed = StreamingReader.read(value);
    return streamed != null ? streamed : readTree(value);
  }

  /** The tree path: judges every message, and names the reason of a rejection. */
  static Event readTree(byte[] value) {
    ObjectNode root = JsonInput.read(value);
    Envelope env = EnvelopeReader.read(root, value);
    return family(env, EnvelopeReader.data(root));
  }

  /** The event of a valid envelope's family, from its {@code data} tree. */
  static Event family(Envelope env, JsonNode data) {
    return switch (env.type()) {
      case StreamTrace.FAMILY -> LiveVideoReader.streamTrace(env, data);
      case AiStreamStatus.FAMILY -> LiveVideoReader.aiStreamStatus(env, data);
      case AiStreamEvent.FAMILY -> LiveVideoReader.aiStreamEvent(env, data);
      case StreamIngestMetrics.FAMILY -> LiveVideoReader.streamIngestMetrics(env, data);
      case DiscoveryResults.FAMILY -> NetworkReader.discoveryResults(env, data);
      case NetworkCapabilities.FAMILY -> NetworkReader.networkCapabilities(env, data);
      case CreateNewPayment.FAMILY -> PaymentReader.createNewPayment(env, data);
      case CreateSignedTicket.FAMILY -> PaymentReader.createSignedTicket(env, data);
      default -> UnsupportedReader.read(env, data);
    };
  }
}
