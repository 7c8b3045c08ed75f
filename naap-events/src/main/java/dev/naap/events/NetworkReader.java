package dev.naap.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the array families about the orchestrator network: {@code discovery_results} and {@code
 * network_capabilities}. Also reads one {@code /getNetworkCapabilities} orchestrator, which has
 * the same shape as a {@code network_capabilities} element.
 */
final class NetworkReader {
  private NetworkReader() {}

  static Event discoveryResults(Envelope env, JsonNode dataNode) {
    List<Fields> items = elements(Payloads.array(env, dataNode));
    List<DiscoveryResults.Orchestrator> out = new ArrayList<>(items.size());
    for (Fields item : items) {
      out.add(
          new DiscoveryResults.Orchestrator(
              item.lowerStr("address"), item.str("url"), item.longString("latency_ms")));
    }
    return new DiscoveryResults(env, out);
  }

  static Event networkCapabilities(Envelope env, JsonNode dataNode) {
    List<Fields> items = elements(Payloads.array(env, dataNode));
    List<NetworkCapabilities.OrchestratorCapabilities> out = new ArrayList<>(items.size());
    for (Fields item : items) {
      out.add(orchestrator(item));
    }
    return new NetworkCapabilities(env, out);
  }

  /** One {@code OrchNetworkCapabilities} object. */
  static NetworkCapabilities.OrchestratorCapabilities orchestrator(Fields o) {
    Fields priceInfo = o.obj("price_info");
    List<NetworkCapabilities.PriceInfo> prices = new ArrayList<>();
    for (Fields p : o.objList("capabilities_prices")) {
      prices.add(price(p));
    }
    List<NetworkCapabilities.Hardware> hardware = new ArrayList<>();
    for (Fields h : o.objList("hardware")) {
      hardware.add(hardware(h));
    }
    return new NetworkCapabilities.OrchestratorCapabilities(
        o.lowerStr("address"),
        o.lowerStr("local_address"),
        o.str("orch_uri"),
        capabilities(o.obj("capabilities")),
        priceInfo.present() ? price(priceInfo) : null,
        prices,
        hardware);
  }

  private static NetworkCapabilities.Capabilities capabilities(Fields c) {
    Map<Integer, Long> capacities = new HashMap<>();
    for (Map.Entry<String, Long> e : c.longMap("capacities")) {
      capacities.put(capabilityId(c, "capacities", e.getKey()), e.getValue());
    }
    Fields constraints = c.obj("constraints");
    Map<Integer, Map<String, NetworkCapabilities.ModelConstraint>> perCapability = new HashMap<>();
    for (Map.Entry<String, Fields> cap : constraints.objMap("PerCapability")) {
      Map<String, NetworkCapabilities.ModelConstraint> models = new HashMap<>();
      for (Map.Entry<String, Fields> model : cap.getValue().objMap("models")) {
        Fields m = model.getValue();
        models.put(
            model.getKey(),
            new NetworkCapabilities.ModelConstraint(
                m.bool("warm"), m.lng("capacity"), m.lng("capacityInUse"), m.str("runnerVersion")));
      }
      int id = capabilityId(constraints, "PerCapability", cap.getKey());
      perCapability.put(id, Map.copyOf(models));
    }
    return new NetworkCapabilities.Capabilities(
        c.uint64List("bitstring"),
        c.uint64List("mandatories"),
        capacities,
        c.str("version"),
        constraints.str("minVersion"),
        perCapability);
  }

  private static NetworkCapabilities.PriceInfo price(Fields p) {
    return new NetworkCapabilities.PriceInfo(
        p.lng("pricePerUnit"),
        p.lng("pixelsPerUnit"),
        p.integer("capability"),
        p.str("constraint"));
  }

  private static NetworkCapabilities.Hardware hardware(Fields h) {
    List<NetworkCapabilities.GpuInfo> gpus = new ArrayList<>();
    for (Map.Entry<String, Fields> e : h.objMap("gpu_info")) {
      Fields g = e.getValue();
      gpus.add(
          new NetworkCapabilities.GpuInfo(
              e.getKey(),
              g.str("id"),
              g.str("name"),
              g.integer("major"),
              g.integer("minor"),
              g.lng("memory_free"),
              g.lng("memory_total")));
    }
    return new NetworkCapabilities.Hardware(h.str("pipeline"), h.str("model_id"), gpus);
  }

  /** A Go {@code map[Capability]…} key: a decimal capability id (may be negative). */
  private static int capabilityId(Fields map, String field, String key) {
    try {
      return Integer.parseInt(key);
    } catch (NumberFormatException e) {
      throw map.invalid(field, "key " + Fields.quote(key) + " is not a capability id");
    }
  }

  private static List<Fields> elements(JsonNode array) {
    Fields data = Fields.root(array, "data");
    List<Fields> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      out.add(data.element(i));
    }
    return out;
  }
}
