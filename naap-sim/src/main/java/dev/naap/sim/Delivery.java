package dev.naap.sim;

import java.nio.charset.StandardCharsets;
import java.util.PriorityQueue;

/**
 * The producer's quirks between an event being generated and a message reaching the sink: events
 * are lost, sent twice, or held back and sent minutes later (late); malformed messages are added.
 * Not thread-safe.
 */
final class Delivery {

  private record Held(long releaseMs, long seq, String key, byte[] value) {}

  static final String[] MALFORMED_KINDS = {
      "truncated", "invalid_utf8", "not_json", "timestamp_seconds", "missing_id", "wrong_type"};

  private final SimConfig config;
  private final Rng rng;
  private final EventSink sink;
  private final TruthRecorder truth;
  private final PriorityQueue<Held> held =
      new PriorityQueue<>(
          (a, b) ->
              a.releaseMs != b.releaseMs
                  ? Long.compare(a.releaseMs, b.releaseMs)
                  : Long.compare(a.seq, b.seq));
  private long seq;
  private long sent;

  Delivery(SimConfig config, Rng rng, EventSink sink, TruthRecorder truth) {
    this.config = config;
    this.rng = rng;
    this.sink = sink;
    this.truth = truth;
  }

  /** Publishes one generated event at virtual time {@code nowMs}; false when it is lost. */
  boolean publish(
      long nowMs, String truthKey, String id, byte[] value, String type, long envelopeMs) {
    truth.generated(truthKey);
    if (rng.chance(config.lossRate())) {
      truth.lost(truthKey);
      return false;
    }
    if (rng.chance(config.lateRate())) {
      truth.late(truthKey);
      held.add(new Held(nowMs + rng.between(30_000, 600_000), seq++, id, value));
    } else {
      send(id, value);
    }
    if (rng.chance(config.duplicateRate())) {
      truth.duplicated(truthKey);
      send(id, value);
    }
    if (rng.chance(config.malformedRate())) {
      malformed(value, type, envelopeMs);
    }
    return true;
  }

  /** Sends the held-back events whose time has come. */
  void advanceTo(long nowMs) {
    while (!held.isEmpty() && held.peek().releaseMs <= nowMs) {
      Held h = held.poll();
      send(h.key, h.value);
    }
  }

  /** Sends everything still held back (at the end of a run). */
  void flush() {
    advanceTo(Long.MAX_VALUE);
  }

  long sent() {
    return sent;
  }

  private void send(String key, byte[] value) {
    sent++;
    sink.send(key, value);
  }

  /** Sends a broken copy of {@code value}, one of {@link #MALFORMED_KINDS}. */
  private void malformed(byte[] value, String type, long envelopeMs) {
    String kind = MALFORMED_KINDS[rng.below(MALFORMED_KINDS.length)];
    String text = new String(value, StandardCharsets.UTF_8);
    String id = rng.uuid();
    byte[] bad = switch (kind) {
      case "truncated" -> java.util.Arrays.copyOf(value, (int) rng.between(1, value.length - 1));
      case "invalid_utf8" -> {
        byte[] b = value.clone();
        int at = (int) rng.between(1, b.length - 2);
        b[at] = (byte) 0xC3;
        b[at + 1] = (byte) 0x28;
        yield b;
      }
      case "not_json" -> ("id=" + id + "&type=" + type + "&timestamp=" + envelopeMs)
          .getBytes(StandardCharsets.UTF_8);
      case "timestamp_seconds" -> text.replaceFirst("\"timestamp\":\"?" + envelopeMs + "\"?",
          "\"timestamp\":\"" + envelopeMs / 1000 + "\"").getBytes(StandardCharsets.UTF_8);
      case "missing_id" -> text.replaceFirst("^\\{\"id\":\"[^\"]*\",", "{")
          .getBytes(StandardCharsets.UTF_8);
      default -> text.replaceFirst("\"type\":\"" + type + "\"", "\"type\":" + 7)
          .getBytes(StandardCharsets.UTF_8);
    };
    truth.malformed(kind);
    send(id, bad);
  }
}
