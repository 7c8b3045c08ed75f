package dev.naap.scraper;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.naap.events.EventParser;
import dev.naap.events.NetworkCapabilities;
import dev.naap.events.ParseResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a gateway's {@code /getNetworkCapabilities} answer: {@code {"capabilities_names": {id:
 * name}, "orchestrators": [OrchNetworkCapabilities…]}}. The orchestrators are validated by
 * naap-events' {@link EventParser}, wrapped in a {@code network_capabilities} envelope, so the
 * scraper accepts exactly what the event contract accepts. Thread-safe.
 */
final class CapabilitiesReader {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final EventParser parser;

  CapabilitiesReader(int maxBytes) {
    // The envelope adds a few dozen bytes around the orchestrators array.
    this.parser = new EventParser(maxBytes + 1024);
  }

  /** The parsed answer. */
  record Answer(List<OrchestratorSnapshot> orchestrators, int skipped) {}

  Answer read(byte[] body, long nowMs) throws SourceException {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JacksonException e) {
      throw new SourceException(SourceException.Kind.INVALID_JSON,
          "not JSON: " + e.getOriginalMessage(), null, e);
    } catch (java.io.IOException e) {
      throw new SourceException(SourceException.Kind.INVALID_JSON, "not JSON: " + e, null, e);
    }
    if (root == null || !root.isObject()) {
      throw shape("expected an object with \"orchestrators\", got "
          + (root == null ? "nothing" : root.getNodeType()));
    }
    JsonNode orchestrators = root.get("orchestrators");
    if (orchestrators == null || !orchestrators.isArray()) {
      throw shape("orchestrators: expected an array, got "
          + (orchestrators == null ? "nothing" : orchestrators.getNodeType()));
    }
    if (orchestrators.isEmpty()) {
      // A gateway that just started knows no orchestrator yet: not a reason to end every version.
      throw shape("orchestrators: empty");
    }
    Map<Integer, String> names = capabilityNames(root.get("capabilities_names"));
    ObjectNode envelope = MAPPER.createObjectNode();
    envelope.put("id", "scrape");
    envelope.put("type", NetworkCapabilities.FAMILY);
    envelope.put("timestamp", Long.toString(nowMs));
    envelope.set("data", orchestrators);
    ParseResult parsed;
    try {
      parsed = parser.parse(MAPPER.writeValueAsBytes(envelope));
    } catch (JacksonException e) {
      throw shape("cannot re-encode: " + e.getOriginalMessage());
    }
    if (parsed instanceof ParseResult.Rejected r) {
      throw shape(r.detail().replaceFirst("^data", "orchestrators") + " (" + r.reason() + ")");
    }
    var event = (NetworkCapabilities) ((ParseResult.Accepted) parsed).event();
    Map<String, OrchestratorSnapshot> byUri = new LinkedHashMap<>();
    int skipped = 0;
    for (var o : event.orchestrators()) {
      if (o.orchUri().isEmpty() || byUri.containsKey(o.orchUri())) {
        skipped++;  // no key, or listed twice: the first one counts
        continue;
      }
      byUri.put(o.orchUri(), snapshot(o, names));
    }
    return new Answer(List.copyOf(byUri.values()), skipped);
  }

  private static OrchestratorSnapshot snapshot(
      NetworkCapabilities.OrchestratorCapabilities o, Map<Integer, String> names) {
    var caps = o.capabilities();
    List<OrchestratorSnapshot.Model> models = new ArrayList<>();
    caps.perCapability().forEach((capability, byModel) -> byModel.forEach((model, c) ->
        models.add(new OrchestratorSnapshot.Model(capability, name(names, capability), model,
            c.warm(), c.capacity(), c.capacityInUse(), c.runnerVersion()))));
    List<OrchestratorSnapshot.Price> prices = new ArrayList<>();
    for (var p : o.capabilitiesPrices()) {
      prices.add(new OrchestratorSnapshot.Price(p.capability(), name(names, p.capability()),
          p.constraint(), p.pricePerUnit(), p.pixelsPerUnit()));
    }
    List<OrchestratorSnapshot.Gpu> gpus = new ArrayList<>();
    for (var h : o.hardware()) {
      for (var g : h.gpus()) {
        gpus.add(new OrchestratorSnapshot.Gpu(h.pipeline(), h.modelId(), g.slot(), g.id(),
            g.name(), g.major(), g.minor(), g.memoryTotalBytes(), g.memoryFreeBytes()));
      }
    }
    var price = o.priceInfo();
    return new OrchestratorSnapshot(o.orchUri(), o.address(), o.localAddress(), caps.version(),
        caps.minVersion(), new java.util.TreeMap<>(caps.capacities()),
        price == null ? null : price.pricePerUnit(), price == null ? null : price.pixelsPerUnit(),
        null, "", models, prices, gpus);
  }

  private static String name(Map<Integer, String> names, int capability) {
    return names.getOrDefault(capability, "");
  }

  private static Map<Integer, String> capabilityNames(JsonNode node) throws SourceException {
    Map<Integer, String> names = new HashMap<>();
    if (node == null || node.isNull()) {
      return names;
    }
    if (!node.isObject()) {
      throw shape("capabilities_names: expected an object, got " + node.getNodeType());
    }
    for (var e : node.properties()) {
      try {
        if (e.getValue().isTextual()) {
          names.put(Integer.parseInt(e.getKey()), e.getValue().textValue());
        }
      } catch (NumberFormatException ignored) {
        // A name under a key that is not a capability id cannot be joined to anything.
      }
    }
    return names;
  }

  private static SourceException shape(String message) {
    return new SourceException(SourceException.Kind.INVALID_SHAPE, message);
  }
}
