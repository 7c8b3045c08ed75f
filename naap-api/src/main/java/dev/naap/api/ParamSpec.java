package dev.naap.api;

import java.util.List;

/**
 * One parameter a route accepts, described once: the parser checks requests against it and the
 * OpenAPI document is generated from it.
 *
 * @param name the parameter's name in the query string or path template
 * @param inPath true for a path parameter ({@code {address}}), false for a query parameter
 * @param type the JSON Schema type of one value: {@code string}, {@code integer} or {@code boolean}
 * @param repeatable whether the parameter may be given more than once
 * @param allowed the only values accepted, empty when any value of {@code type} is
 * @param defaultValue the value assumed when absent, null when there is none
 * @param description what it means, for the OpenAPI document
 */
record ParamSpec(String name, boolean inPath, String type, boolean repeatable, List<String> allowed,
    String defaultValue, String description) {

  ParamSpec {
    allowed = List.copyOf(allowed);
  }

  static ParamSpec query(String name, String type, String defaultValue, String description) {
    return new ParamSpec(name, false, type, false, List.of(), defaultValue, description);
  }

  static ParamSpec choice(
      String name, List<String> allowed, String defaultValue, String description) {
    return new ParamSpec(name, false, "string", false, allowed, defaultValue, description);
  }

  static ParamSpec repeatable(String name, String description) {
    return new ParamSpec(name, false, "string", true, List.of(), null, description);
  }

  static ParamSpec path(String name, String description) {
    return new ParamSpec(name, true, "string", false, List.of(), null, description);
  }
}
