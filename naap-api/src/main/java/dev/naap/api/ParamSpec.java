package dev.naap.api;

import java.util.List;

/**
 * One parameter a route accepts, described once: the parser checks requests against it and the
 * OpenAPI document is generated from it.
 *
 * @param name the parameter's name in the query string or path template
 * @param inPath true for a path parameter ({@code {address}}), false for a query parameter
 * @param required whether a request must give it (a path parameter always does)
 * @param type the JSON Schema type of one value: {@code string}, {@code integer} or {@code boolean}
 * @param repeatable whether the parameter may be given more than once
 * @param allowed the only values accepted, empty when any value of {@code type} is
 * @param defaultValue the value assumed when absent, null when there is none
 * @param minimum the smallest value of an integer, null when unbounded
 * @param maximum the largest value of an integer, null when unbounded
 * @param description what it means, for the OpenAPI document
 */
record ParamSpec(String name, boolean inPath, boolean required, String type, boolean repeatable,
    List<String> allowed, String defaultValue, Integer minimum, Integer maximum,
    String description) {

  ParamSpec {
    allowed = List.copyOf(allowed);
    if (inPath && !required) {
      throw new IllegalArgumentException("a path parameter is required: " + name);
    }
  }

  static ParamSpec query(String name, String type, String defaultValue, String description) {
    return new ParamSpec(
        name, false, false, type, false, List.of(), defaultValue, null, null, description);
  }

  /** An integer from {@code minimum} to {@code maximum}. */
  static ParamSpec integer(
      String name, int defaultValue, int minimum, int maximum, String description) {
    return new ParamSpec(name, false, false, "integer", false, List.of(),
        Integer.toString(defaultValue), minimum, maximum, description);
  }

  static ParamSpec choice(
      String name, List<String> allowed, String defaultValue, String description) {
    return new ParamSpec(
        name, false, false, "string", false, allowed, defaultValue, null, null, description);
  }

  static ParamSpec repeatable(String name, String description) {
    return repeatable(name, List.of(), description);
  }

  /** Repeatable, each value one of {@code allowed} (any string when empty). */
  static ParamSpec repeatable(String name, List<String> allowed, String description) {
    return new ParamSpec(
        name, false, false, "string", true, allowed, null, null, null, description);
  }

  static ParamSpec path(String name, String description) {
    return new ParamSpec(
        name, true, true, "string", false, List.of(), null, null, null, description);
  }

  /** This parameter, which a request must give. */
  ParamSpec asRequired() {
    return new ParamSpec(name, inPath, true, type, repeatable, allowed, defaultValue, minimum,
        maximum, description);
  }
}
