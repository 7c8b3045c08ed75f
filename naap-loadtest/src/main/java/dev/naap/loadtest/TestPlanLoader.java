package dev.naap.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.naap.store.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a test plan from JSON (docs/LOADTEST.md, "Plans"). Every key has a default, so {@code {}}
 * is a valid plan; every bad key is reported at once, naming the key, the value and the limit.
 */
public final class TestPlanLoader {
  private static final Set<String> KEYS = Set.of("name", "targets", "dataset", "test_duration",
      "interval", "concurrency", "orchestrators", "tests_per_run", "prompt_changes",
      "poll_interval", "startup_timeout", "prompt_timeout", "batch_requests");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TestPlanLoader() {}

  /**
   * A plan with every default: streamdiffusion on sd-turbo over good-prompts-v1, every 10 minutes.
   */
  public static TestPlan defaults() {
    return parse("{}".getBytes());
  }

  /** The plan in {@code file}. */
  public static TestPlan load(Path file) throws IOException {
    return parse(Files.readAllBytes(file));
  }

  /**
   * The plan in {@code json}.
   *
   * @throws IllegalArgumentException listing every problem, one per line
   */
  public static TestPlan parse(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "plan: not JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("plan: expected a JSON object");
    }
    List<String> errors = new ArrayList<>();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        errors.add(key + ": unknown key, expected one of " + KEYS.stream().sorted().toList());
      }
    }
    Reader r = new Reader(root, errors);
    TestPlan plan =
        new TestPlan(
            r.text("name", "default"),
            targets(root.get("targets"), errors),
            r.text("dataset", "good-prompts-v1"),
            r.duration(
                "test_duration",
                Duration.ofSeconds(60),
                Duration.ofSeconds(5),
                Duration.ofHours(1)),
            r.duration(
                "interval", Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofDays(1)),
            r.integer("concurrency", 4, 1, 64),
            r.texts("orchestrators"),
            r.integer("tests_per_run", 0, 0, 10_000),
            r.integer("prompt_changes", 2, 0, 50),
            r.duration(
                "poll_interval",
                Duration.ofSeconds(1),
                Duration.ofMillis(50),
                Duration.ofSeconds(30)),
            r.duration(
                "startup_timeout",
                Duration.ofSeconds(60),
                Duration.ofSeconds(1),
                Duration.ofMinutes(10)),
            r.duration(
                "prompt_timeout",
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                Duration.ofMinutes(10)),
            r.integer("batch_requests", 4, 0, 1_000));
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("plan: " + String.join("\nplan: ", errors));
    }
    return plan;
  }

  private static List<TestPlan.Target> targets(JsonNode node, List<String> errors) {
    if (node == null) {
      return List.of(
          new TestPlan.Target("streamdiffusion", "stabilityai/sd-turbo", TestPlan.Kind.LIVE));
    }
    if (!node.isArray() || node.isEmpty()) {
      errors.add("targets: expected a non-empty array of {pipeline, model, kind}, got " + node);
      return List.of();
    }
    List<TestPlan.Target> targets = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode t = node.get(i);
      String at = "targets[" + i + "].";
      String pipeline = t.path("pipeline").asText("");
      if (pipeline.isBlank()) {
        errors.add(at + "pipeline: required");
      }
      String kind = t.path("kind").asText("live").toUpperCase(Locale.ROOT);
      if (!kind.equals("LIVE") && !kind.equals("BATCH")) {
        errors.add(at + "kind: expected live or batch, got '" + t.path("kind").asText() + "'");
        continue;
      }
      targets.add(
          new TestPlan.Target(pipeline, t.path("model").asText(""), TestPlan.Kind.valueOf(kind)));
    }
    return targets;
  }

  /** Reads keys of the root object, recording problems instead of throwing. */
  private record Reader(JsonNode root, List<String> errors) {
    String text(String key, String fallback) {
      JsonNode v = root.get(key);
      if (v == null) {
        return fallback;
      }
      if (!v.isTextual() || v.asText().isBlank()) {
        errors.add(key + ": expected a non-empty string, got " + v);
        return fallback;
      }
      return v.asText();
    }

    List<String> texts(String key) {
      JsonNode v = root.get(key);
      if (v == null) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      if (!v.isArray()) {
        errors.add(key + ": expected an array of strings, got " + v);
        return out;
      }
      for (JsonNode e : v) {
        if (!e.isTextual() || e.asText().isBlank()) {
          errors.add(key + ": expected non-empty strings, got " + e);
        } else {
          out.add(e.asText());
        }
      }
      return out;
    }

    int integer(String key, int fallback, int min, int max) {
      JsonNode v = root.get(key);
      if (v == null) {
        return fallback;
      }
      if (!v.isInt() || v.asInt() < min || v.asInt() > max) {
        errors.add(key + ": expected an integer " + min + ".." + max + ", got " + v);
        return fallback;
      }
      return v.asInt();
    }

    Duration duration(String key, Duration fallback, Duration min, Duration max) {
      JsonNode v = root.get(key);
      if (v == null) {
        return fallback;
      }
      try {
        Duration d = Durations.parse(v.asText());
        if (!v.isTextual() || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
          errors.add(key + ": expected a duration " + min + ".." + max + ", got " + v);
          return fallback;
        }
        return d;
      } catch (RuntimeException e) {
        errors.add(key + ": " + e.getMessage());
        return fallback;
      }
    }
  }
}
