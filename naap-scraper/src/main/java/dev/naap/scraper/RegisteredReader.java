package dev.naap.scraper;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a gateway's {@code /registeredOrchestrators}: an array of go-livepeer {@code
 * eth/types.Transcoder} with Go field names. Big integers (stake, rounds, cuts) are kept as exact
 * decimal strings whether sent as JSON numbers or strings; {@code PricePerPixel} (a Go big.Rat) is
 * kept as sent, normally {@code "num/den"}. Thread-safe.
 */
final class RegisteredReader {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  private RegisteredReader() {}

  /** One registered orchestrator; numbers as decimal strings, {@code ""} when absent. */
  record Registered(String address, String serviceUri, String lastRewardRound, String rewardCut,
      String feeShare, String delegatedStake, String activationRound, String deactivationRound,
      String lastActiveStakeUpdateRound, boolean active, String status, String pricePerPixel) {}

  /** Key: lower-cased address. The first entry of an address counts. */
  static Map<String, Registered> read(byte[] body) throws SourceException {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JacksonException e) {
      throw new SourceException(SourceException.Kind.INVALID_JSON,
          "not JSON: " + e.getOriginalMessage(), null, e);
    } catch (java.io.IOException e) {
      throw new SourceException(SourceException.Kind.INVALID_JSON, "not JSON: " + e, null, e);
    }
    if (root == null || !root.isArray()) {
      throw shape("expected an array of transcoders, got "
          + (root == null ? "nothing" : root.getNodeType()));
    }
    Map<String, Registered> out = new LinkedHashMap<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode t = root.get(i);
      String at = "[" + i + "]";
      if (!t.isObject()) {
        throw shape(at + ": expected an object, got " + t.getNodeType());
      }
      String address = text(t, "Address", at).toLowerCase(Locale.ROOT);
      if (address.isEmpty()) {
        throw shape(at + ".Address: missing");
      }
      JsonNode active = t.get("Active");
      if (active != null && !active.isNull() && !active.isBoolean()) {
        throw shape(at + ".Active: expected boolean, got " + active.getNodeType());
      }
      out.putIfAbsent(address, new Registered(address, text(t, "ServiceURI", at),
          number(t, "LastRewardRound", at), number(t, "RewardCut", at),
          number(t, "FeeShare", at), number(t, "DelegatedStake", at),
          number(t, "ActivationRound", at), number(t, "DeactivationRound", at),
          number(t, "LastActiveStakeUpdateRound", at), active != null && active.asBoolean(),
          text(t, "Status", at), text(t, "PricePerPixel", at)));
    }
    return out;
  }

  private static String text(JsonNode t, String field, String at) throws SourceException {
    JsonNode n = t.get(field);
    if (n == null || n.isNull()) {
      return "";
    }
    if (!n.isTextual()) {
      throw shape(at + "." + field + ": expected string, got " + n.getNodeType());
    }
    return n.textValue();
  }

  /** An integer sent as a JSON integer or a string of digits, as exact decimal text. */
  private static String number(JsonNode t, String field, String at) throws SourceException {
    JsonNode n = t.get(field);
    if (n == null || n.isNull()) {
      return "";
    }
    if (n.isIntegralNumber()) {
      return n.bigIntegerValue().toString();
    }
    if (n.isTextual() && n.textValue().matches("-?[0-9]{1,100}")) {
      return n.textValue();
    }
    throw shape(at + "." + field + ": expected an integer, got "
        + (n.isTextual() ? "\"" + n.textValue() + "\"" : n.getNodeType()));
  }

  private static SourceException shape(String message) {
    return new SourceException(SourceException.Kind.INVALID_SHAPE, message);
  }

  static List<Registered> list(Map<String, Registered> m) {
    return List.copyOf(m.values());
  }
}
