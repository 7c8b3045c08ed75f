package dev.naap.app;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The usage problems a command finds in its options beyond parsing and ranges (a required option
 * missing, options that exclude each other, a config its builder refuses), collected so that one
 * run reports every one.
 */
final class Problems {

  private final List<String> messages = new ArrayList<>();

  void add(String message) {
    messages.add(message);
  }

  /** {@code build}'s result, or null with its {@link IllegalArgumentException} recorded. */
  <T> T attempt(Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      add(e.getMessage());
      return null;
    }
  }

  /** Throws the problems found so far, one per line, as bad usage of {@code spec}'s command. */
  void check(CommandSpec spec) {
    if (!messages.isEmpty()) {
      throw new ParameterException(spec.commandLine(), String.join("\n", messages));
    }
  }
}
