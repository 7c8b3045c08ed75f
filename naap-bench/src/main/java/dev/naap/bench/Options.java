package dev.naap.bench;

import java.util.HashMap;
import java.util.Map;

/** The {@code --name value} options of a benchmark's command line. */
final class Options {

  private Options() {}

  static Map<String, String> parse(String[] argv) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < argv.length; i += 2) {
      if (!argv[i].startsWith("--") || i + 1 == argv.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + argv[i]);
      }
      options.put(argv[i].substring(2), argv[i + 1]);
    }
    return options;
  }
}
