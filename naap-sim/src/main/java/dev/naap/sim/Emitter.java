package dev.naap.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Wraps payloads in the {@code monitor.GatewayEvent} envelope ({@code id}, {@code type}, {@code
 * timestamp} as a string of unix ms, or an integer on some gateways, {@code gateway}, {@code data})
 * and hands them to {@link Delivery}. Go marshals {@code map[string]any} payloads with sorted keys
 * and structs in field order: callers use {@link #goMap()} and {@link #struct()} accordingly. Not
 * thread-safe.
 */
final class Emitter {

  private final ObjectMapper mapper = new ObjectMapper();
  private final Rng ids;
  private final Delivery delivery;
  private long emitted;

  Emitter(Rng ids, Delivery delivery) {
    this.ids = ids;
    this.delivery = delivery;
  }

  static Map<String, Object> goMap() {
    return new TreeMap<>();
  }

  /**
   * A Go map from alternating keys and values (sorted keys, never {@code Map.of}'s random order).
   */
  static Map<String, Object> obj(Object... keysAndValues) {
    Map<String, Object> m = goMap();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  static Map<String, Object> struct() {
    return new LinkedHashMap<>();
  }

  /**
   * Emits one event; {@code subtype} (may be null) only refines the ground-truth counters. False
   * when the delivery lost it (it never reaches Kafka).
   */
  boolean emit(
      long nowMs, Network.Gateway gw, long envelopeMs, String type, String subtype, Object data) {
    String id = ids.uuid();
    Map<String, Object> envelope = struct();
    envelope.put("id", id);
    envelope.put("type", type);
    // A string as go-livepeer marshals it; an integer from gateways whose events pass another
    // system.
    envelope.put(
        "timestamp", gw.integerTimestamps() ? (Object) envelopeMs : Long.toString(envelopeMs));
    envelope.put("gateway", gw.host());
    envelope.put("data", data);
    emitted++;
    return delivery.publish(
        nowMs, subtype == null ? type : type + "/" + subtype, id, json(envelope), type, envelopeMs);
  }

  long emitted() {
    return emitted;
  }

  byte[] json(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a simulated event", e);
    }
  }

  /** ai-runner's {@code last_params_hash}: MD5 of the params JSON, as 32 hex characters. */
  String paramsHash(Object params) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(json(params)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by the Java platform", e);
    }
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
