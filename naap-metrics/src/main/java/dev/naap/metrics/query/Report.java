package dev.naap.metrics.query;

/** The reports the query layer serves; each has a fixed catalogue of columns. */
public enum Report {
  /** Per bucket × orchestrator × GPU (by default): FPS, PTFF, jitter, failures, bandwidth. */
  GPU_METRICS,
  /** Per bucket × gateway × pipeline × region (by default): requests, stream-minutes, supply. */
  NETWORK_DEMAND,
  /** Per orchestrator × pipeline × region (by default) over the whole range: SLA compliance. */
  SLA_COMPLIANCE,
  /** Per orchestrator over the whole range: metadata and headline metrics. */
  ORCHESTRATORS,
  /** Per orchestrator × pipeline over the whole range: the 0–100 score and its parts. */
  ORCHESTRATOR_SCORES,
  /**
   * Per orchestrator × pipeline × GPU model (by default) over the whole range: the reliability
   * breakdown.
   */
  RELIABILITY,
  /**
   * Per bucket × orchestrator × gateway × pipeline × app: expected fees, tickets, billable time.
   */
  NETWORK_ECONOMICS,
  /** Per bucket × orchestrator × pipeline: the price in force and the network's median. */
  NETWORK_PRICES,
  /**
   * Per pipeline (× GPU model) over the whole range: orchestrators, GPUs, slots and their
   * stability.
   */
  NETWORK_CAPACITY
}
