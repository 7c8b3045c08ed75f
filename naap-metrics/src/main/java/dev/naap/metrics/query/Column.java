package dev.naap.metrics.query;

/**
 * One column of a report: its name in JSON and CSV, its type, its unit ({@code ""} when it has
 * none) and what it means. The API's OpenAPI document and CSV headers are generated from these.
 */
public record Column(String name, Type type, String unit, String description) {

  public enum Type {
    STRING,
    INTEGER,
    DECIMAL,
    TIMESTAMP,
    BOOLEAN
  }
}
