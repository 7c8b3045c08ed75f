package dev.naap.scraper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one gateway says about one orchestrator at one moment, normalised so that equal content
 * gives an equal {@link #contentHash()}: addresses lower-cased, capacities in a sorted map, and
 * model, price and GPU rows sorted. Immutable.
 *
 * @param capacities capability id → capacity ({@code capabilities.capacities})
 * @param pricePerUnit default {@code price_info} wei per unit; null when absent
 * @param region the resolved region; null when unknown
 * @param regionSource where the region came from: {@code operator}, {@code geoip} or {@code
 *     unknown}
 */
record OrchestratorSnapshot(
    String orchUri,
    String address,
    String localAddress,
    String version,
    String minVersion,
    SortedMap<Integer, Long> capacities,
    Long pricePerUnit,
    Long pixelsPerUnit,
    String region,
    String regionSource,
    List<Model> models,
    List<Price> prices,
    List<Gpu> gpus) {

  OrchestratorSnapshot {
    capacities = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(capacities));
    models = models.stream().sorted().toList();
    prices = prices.stream().sorted().toList();
    gpus = gpus.stream().sorted().toList();
  }

  /** The same snapshot with a region. */
  OrchestratorSnapshot withRegion(String region, String regionSource) {
    return new OrchestratorSnapshot(orchUri, address, localAddress, version, minVersion, capacities,
        pricePerUnit, pixelsPerUnit, region, regionSource, models, prices, gpus);
  }

  /**
   * SHA-256 (hex) of the canonical text of every field. The text is this record's {@code
   * toString()}, which is deterministic because every collection in it is sorted.
   */
  String contentHash() {
    return sha256(toString());
  }

  /**
   * SHA-256 (hex) of what this orchestrator is, as opposed to how busy it is: every field but each
   * model's idle and busy containers ({@code capacity}, {@code capacityInUse}), which change as
   * streams start and stop. A new version opens only when this changes; a change of those alone
   * rewrites the open version and adds a load reading (docs/SCRAPER.md, "Versioning rule").
   */
  String identityHash() {
    return sha256(new OrchestratorSnapshot(orchUri, address, localAddress, version, minVersion,
        capacities, pricePerUnit, pixelsPerUnit, region, regionSource,
        models.stream().map(m -> new Model(m.capability(), m.capabilityName(), m.modelId(),
            m.warm(), 0, 0, m.runnerVersion())).toList(),
        prices, gpus).toString());
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * One model under a capability ({@code constraints.PerCapability}).
   *
   * @param capacity {@code capacity} as sent: for live-video-to-video the idle containers
   * @param capacityInUse {@code capacityInUse}: busy containers
   */
  record Model(int capability, String capabilityName, String modelId, boolean warm, long capacity,
      long capacityInUse, String runnerVersion) implements Comparable<Model> {
    @Override
    public int compareTo(Model o) {
      int c = Integer.compare(capability, o.capability);
      return c != 0 ? c : modelId.compareTo(o.modelId);
    }
  }

  /** One {@code capabilities_prices} entry: wei per {@code pixelsPerUnit} units. */
  record Price(int capability, String capabilityName, String constraint, long pricePerUnit,
      long pixelsPerUnit) implements Comparable<Price> {
    @Override
    public int compareTo(Price o) {
      int c = Integer.compare(capability, o.capability);
      c = c != 0 ? c : constraint.compareTo(o.constraint);
      c = c != 0 ? c : Long.compare(pricePerUnit, o.pricePerUnit);
      return c != 0 ? c : Long.compare(pixelsPerUnit, o.pixelsPerUnit);
    }
  }

  /** One GPU of one {@code hardware} entry; memory in bytes. */
  record Gpu(String pipeline, String modelId, String slot, String id, String name, int major,
      int minor, long memoryTotalBytes, long memoryFreeBytes) implements Comparable<Gpu> {
    @Override
    public int compareTo(Gpu o) {
      int c = pipeline.compareTo(o.pipeline);
      c = c != 0 ? c : modelId.compareTo(o.modelId);
      c = c != 0 ? c : slot.compareTo(o.slot);
      return c != 0 ? c : id.compareTo(o.id);
    }
  }
}
