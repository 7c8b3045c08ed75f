package dev.naap.events;

/**
 * {@code data.orchestrator_info}: the orchestrator the gateway used. Every field is {@code ""} when
 * absent; {@link #EMPTY} when the whole object is absent or null.
 *
 * @param address the signer address ({@code OrchestratorInfo.address}), lower-cased; equals {@code
 *     local_address} in {@code network_capabilities}, not the on-chain {@code address}
 * @param url the orchestrator service URL
 * @param gpuId {@code orchestrator_info.gpu_id}, added by the upstream data-quality fixes
 * @param region {@code orchestrator_info.region}, added by the upstream data-quality fixes
 */
public record OrchestratorInfo(String address, String url, String gpuId, String region) {
  /** No orchestrator information. */
  public static final OrchestratorInfo EMPTY = new OrchestratorInfo("", "", "", "");
}
