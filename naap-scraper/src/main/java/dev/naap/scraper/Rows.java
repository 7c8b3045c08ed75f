package dev.naap.scraper;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns snapshots into the rows of the versioned tables (V004__scraper.sql). */
final class Rows {
  private Rows() {}

  static VersionedWriter.Version orchestrator(OrchestratorSnapshot s) {
    ObjectNode row = VersionedWriter.MAPPER.createObjectNode();
    row.put("address", s.address());
    row.put("local_address", s.localAddress());
    row.put("version", s.version());
    row.put("min_version", s.minVersion());
    ObjectNode capacities = row.putObject("capacities");
    s.capacities().forEach((k, v) -> capacities.put(Integer.toString(k), v));
    if (s.pricePerUnit() == null) {
      row.putNull("price_per_unit");
      row.putNull("pixels_per_unit");
    } else {
      row.put("price_per_unit", s.pricePerUnit());
      row.put("pixels_per_unit", s.pixelsPerUnit());
    }
    if (s.region() == null) {
      row.putNull("region");
    } else {
      row.put("region", s.region());
    }
    row.put("region_source", s.regionSource());
    List<ObjectNode> models = new ArrayList<>();
    List<ObjectNode> load = new ArrayList<>();
    for (var m : s.models()) {
      ObjectNode r = VersionedWriter.MAPPER.createObjectNode();
      r.put("capability", m.capability());
      r.put("capability_name", m.capabilityName());
      r.put("model_id", m.modelId());
      r.put("warm", m.warm());
      r.put("capacity_idle", m.capacity());
      r.put("capacity_in_use", m.capacityInUse());
      r.put("runner_version", m.runnerVersion());
      models.add(r);
      ObjectNode reading = VersionedWriter.MAPPER.createObjectNode();
      reading.put("capability", m.capability());
      reading.put("model_id", m.modelId());
      reading.put("capacity_idle", m.capacity());
      reading.put("capacity_in_use", m.capacityInUse());
      load.add(reading);
    }
    List<ObjectNode> prices = new ArrayList<>();
    for (var p : s.prices()) {
      ObjectNode r = VersionedWriter.MAPPER.createObjectNode();
      r.put("capability", p.capability());
      r.put("capability_name", p.capabilityName());
      r.put("model_constraint", p.constraint());
      r.put("price_per_unit", p.pricePerUnit());
      r.put("pixels_per_unit", p.pixelsPerUnit());
      prices.add(r);
    }
    List<ObjectNode> gpus = new ArrayList<>();
    for (var g : s.gpus()) {
      ObjectNode r = VersionedWriter.MAPPER.createObjectNode();
      r.put("pipeline", g.pipeline());
      r.put("model_id", g.modelId());
      r.put("gpu_slot", g.slot());
      r.put("gpu_id", g.id());
      r.put("gpu_name", g.name());
      r.put("gpu_major", g.major());
      r.put("gpu_minor", g.minor());
      r.put("memory_total_bytes", g.memoryTotalBytes());
      r.put("memory_free_bytes", g.memoryFreeBytes());
      gpus.add(r);
    }
    return new VersionedWriter.Version(s.contentHash(), s.identityHash(), row, Map.of(
        "orchestrator_version_models", models,
        "orchestrator_version_prices", prices,
        "orchestrator_version_gpus", gpus),
        Map.of("orchestrator_load_readings", load));
  }

  static VersionedWriter.Version registered(RegisteredReader.Registered r) {
    ObjectNode row = VersionedWriter.MAPPER.createObjectNode();
    row.put("service_uri", r.serviceUri());
    row.put("last_reward_round", r.lastRewardRound());
    row.put("reward_cut", r.rewardCut());
    row.put("fee_share", r.feeShare());
    row.put("delegated_stake", r.delegatedStake());
    row.put("activation_round", r.activationRound());
    row.put("deactivation_round", r.deactivationRound());
    row.put("last_active_stake_update_round", r.lastActiveStakeUpdateRound());
    row.put("active", r.active());
    row.put("status", r.status());
    row.put("price_per_pixel", r.pricePerPixel());
    String hash = OrchestratorSnapshot.sha256(r.toString());
    return new VersionedWriter.Version(hash, hash, row, Map.of(), Map.of());
  }
}
