package dev.naap.events;

import java.util.List;

/**
 * A {@code discovery_results} event: the orchestrators the gateway found on a selection refresh,
 * sorted by latency. {@code data} is an array. The event has no stream; its orchestrator accessors
 * name the orchestrator only when exactly one was found.
 */
public record DiscoveryResults(Envelope envelope, List<Orchestrator> orchestrators)
    implements Event {

  /** The envelope type of this family. */
  public static final String FAMILY = "discovery_results";

  /** Copies the list so the record stays immutable. */
  public DiscoveryResults {
    orchestrators = List.copyOf(orchestrators);
  }

  /**
   * One discovered orchestrator.
   *
   * @param address the signer address, lower-cased
   * @param url the service URL
   * @param latencyMs the GetOrchestrator round trip in ms (sent as a string); null when empty
   */
  public record Orchestrator(String address, String url, Long latencyMs) {}

  @Override
  public String orchestratorAddress() {
    return orchestrators.size() == 1 ? orchestrators.getFirst().address() : "";
  }

  @Override
  public String orchestratorUrl() {
    return orchestrators.size() == 1 ? orchestrators.getFirst().url() : "";
  }
}
