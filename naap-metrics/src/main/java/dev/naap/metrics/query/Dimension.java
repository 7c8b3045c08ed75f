package dev.naap.metrics.query;

import java.util.Optional;

/** A dimension metrics can be filtered and grouped by. */
public enum Dimension {
  ORCHESTRATOR("orchestrator", "orchestrator_address"),
  GPU_ID("gpu_id", "gpu_id"),
  GPU_MODEL("gpu_model", "gpu_model"),
  PIPELINE("pipeline", "pipeline"),
  REGION("region", "region"),
  GATEWAY("gateway", "gateway"),
  /** The application a remote signer names on its signed tickets (fees only). */
  APP("app", "app");

  private final String parameter;
  private final String column;

  Dimension(String parameter, String column) {
    this.parameter = parameter;
    this.column = column;
  }

  /** The name of the filter parameter in the API ({@code orchestrator=0xabc…}). */
  public String parameter() {
    return parameter;
  }

  /** The name of the column in rollups and in results. */
  public String column() {
    return column;
  }

  /** The dimension whose parameter or column name is {@code name}. */
  public static Optional<Dimension> byName(String name) {
    for (Dimension d : values()) {
      if (d.parameter.equals(name) || d.column.equals(name)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
