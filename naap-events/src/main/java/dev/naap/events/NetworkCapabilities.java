package dev.naap.events;

import java.util.List;
import java.util.Map;

/**
 * A {@code network_capabilities} event: the gateway's capability poll of every known orchestrator
 * ({@code common.OrchNetworkCapabilities}, also the elements of {@code /getNetworkCapabilities}
 * {@code orchestrators}). {@code data} is an array. Go marshals these with {@code omitempty}, so
 * absent numbers read 0, absent booleans false, absent strings {@code ""} and absent lists empty.
 * The event has no stream; its orchestrator accessors name the orchestrator only when the array
 * holds exactly one.
 */
public record NetworkCapabilities(Envelope envelope, List<OrchestratorCapabilities> orchestrators)
    implements Event {

  /** The envelope type of this family. */
  public static final String FAMILY = "network_capabilities";

  /** Copies the list so the record stays immutable. */
  public NetworkCapabilities {
    orchestrators = List.copyOf(orchestrators);
  }

  /**
   * One orchestrator's capabilities.
   *
   * @param address the on-chain address (ticket recipient), lower-cased
   * @param localAddress the signer address, lower-cased: the value other events carry in {@code
   *     orchestrator_info.address}
   * @param orchUri the service URL
   * @param priceInfo the default price; null when absent
   * @param capabilitiesPrices per-capability prices ({@code capabilities_prices}); empty when null
   * @param hardware GPUs per pipeline and model; empty when null
   */
  public record OrchestratorCapabilities(
      String address,
      String localAddress,
      String orchUri,
      Capabilities capabilities,
      PriceInfo priceInfo,
      List<PriceInfo> capabilitiesPrices,
      List<Hardware> hardware) {

    /** Copies the lists so the record stays immutable. */
    public OrchestratorCapabilities {
      capabilitiesPrices = List.copyOf(capabilitiesPrices);
      hardware = List.copyOf(hardware);
    }
  }

  /**
   * {@code capabilities}; never null.
   *
   * @param bitstring capability bit words: unsigned 64-bit values held in longs (use {@link
   *     Long#toUnsignedString(long)})
   * @param mandatories mandatory-capability bit words, same encoding
   * @param capacities capability id → capacity
   * @param version the orchestrator's go-livepeer version
   * @param minVersion {@code constraints.minVersion}
   * @param perCapability {@code constraints.PerCapability}: capability id → model id →
   *     constraint
   */
  public record Capabilities(
      List<Long> bitstring,
      List<Long> mandatories,
      Map<Integer, Long> capacities,
      String version,
      String minVersion,
      Map<Integer, Map<String, ModelConstraint>> perCapability) {

    /** Copies the collections so the record stays immutable. */
    public Capabilities {
      bitstring = List.copyOf(bitstring);
      mandatories = List.copyOf(mandatories);
      capacities = Map.copyOf(capacities);
      perCapability = Map.copyOf(perCapability);
    }
  }

  /**
   * One model's constraint under a capability.
   *
   * @param warm the model is loaded
   * @param capacity total capacity (idle included)
   * @param capacityInUse capacity in use
   * @param runnerVersion the ai-runner version; {@code ""} when absent
   */
  public record ModelConstraint(
      boolean warm, long capacity, long capacityInUse, String runnerVersion) {}

  /**
   * A price: {@code pricePerUnit} wei per {@code pixelsPerUnit} pixels.
   *
   * @param capability the capability id (0 on the default {@code price_info})
   * @param constraint the model id the price applies to; {@code ""} for any
   */
  public record PriceInfo(
      long pricePerUnit, long pixelsPerUnit, int capability, String constraint) {}

  /**
   * One {@code hardware} entry.
   *
   * @param gpus the {@code gpu_info} map's values, each with its key as {@link GpuInfo#slot()};
   *     empty when absent
   */
  public record Hardware(String pipeline, String modelId, List<GpuInfo> gpus) {

    /** Copies the list so the record stays immutable. */
    public Hardware {
      gpus = List.copyOf(gpus);
    }
  }

  /**
   * One GPU.
   *
   * @param slot the {@code gpu_info} key (device index as a string, e.g. "0")
   * @param id the GPU UUID, e.g. "GPU-a8d13655-…" (may churn on rented hosts)
   * @param name the model name, e.g. "NVIDIA GeForce RTX 5090"
   * @param major CUDA compute capability, major part
   * @param minor CUDA compute capability, minor part
   */
  public record GpuInfo(
      String slot,
      String id,
      String name,
      int major,
      int minor,
      long memoryFreeBytes,
      long memoryTotalBytes) {}

  @Override
  public String orchestratorAddress() {
    return orchestrators.size() == 1 ? orchestrators.getFirst().localAddress() : "";
  }

  @Override
  public String orchestratorUrl() {
    return orchestrators.size() == 1 ? orchestrators.getFirst().orchUri() : "";
  }
}
