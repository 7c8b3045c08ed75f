package dev.naap.api;

import java.util.Map;

/**
 * The operational figures of the dashboard's Operations view, served at {@code /v1/operations}: a
 * port, so that the API does not depend on where they come from (the app supplies NaaP's own
 * heartbeats; docs/OPERATIONS.md). Implementations read the store: they are called on a platform
 * thread, within the API's query timeout.
 */
@FunctionalInterface
public interface Operations {

  /**
   * The figures as JSON-able values: maps, lists, numbers (null when unknown), strings, instants.
   */
  Map<String, Object> figures();

  /** No figures: for servers that do not show operations. */
  static Operations none() {
    return Map::of;
  }
}
