package dev.naap.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builders for test messages, and the real captures from {@code ../shared/reference/data}. */
final class TestMessages {
  static final EventParser PARSER = new EventParser();
  static final ObjectMapper JSON = new ObjectMapper();

  /** The envelope timestamp {@link #envelope} uses: 2026-01-08T21:49:05.298Z. */
  static final long ENVELOPE_MS = 1_767_908_945_298L;

  private TestMessages() {}

  /** A complete envelope around {@code dataJson}, with the capture's string timestamp. */
  static String envelope(String type, String dataJson) {
    return "{\"id\":\"e-1\",\"type\":\"" + type + "\",\"timestamp\":\"" + ENVELOPE_MS
        + "\",\"gateway\":\"\",\"data\":" + dataJson + "}";
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Parses {@code json} and asserts it was accepted. */
  static Event accept(String json) {
    ParseResult result = PARSER.parse(utf8(json));
    assertThat(result).isInstanceOf(ParseResult.Accepted.class);
    return ((ParseResult.Accepted) result).event();
  }

  /** Parses {@code json} and asserts it was accepted as an instance of {@code type}. */
  static <T extends Event> T accept(String json, Class<T> type) {
    Event event = accept(json);
    assertThat(event).isInstanceOf(type);
    return type.cast(event);
  }

  /** Parses {@code bytes} and asserts it was rejected. */
  static ParseResult.Rejected reject(byte[] bytes) {
    ParseResult result = PARSER.parse(bytes);
    assertThat(result).isInstanceOf(ParseResult.Rejected.class);
    return (ParseResult.Rejected) result;
  }

  static ParseResult.Rejected reject(String json) {
    return reject(utf8(json));
  }

  /** A file of the shared reference data, found by walking up to the directory beside shared/. */
  static Path sharedData(String file) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolveSibling("shared").resolve("reference/data").resolve(file);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("../shared/reference/data/" + file + " not found");
  }

  static JsonNode readShared(String file) {
    try {
      return JSON.readTree(sharedData(file).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The 65 envelopes of the real capture, as compact JSON bytes in capture order. */
  static List<byte[]> captureMessages() {
    List<byte[]> out = new ArrayList<>();
    for (JsonNode record : readShared("kafka-capture-live-session-2026-01-08.json")) {
      out.add(utf8(record.get("value").toString()));
    }
    return out;
  }

  /** A {@code network_capabilities} envelope whose data is a file's {@code orchestrators}. */
  static String capabilitiesEnvelope(String file) {
    ObjectNode env = JSON.createObjectNode();
    env.put("id", "caps-" + file);
    env.put("type", NetworkCapabilities.FAMILY);
    env.put("timestamp", Long.toString(ENVELOPE_MS));
    env.put("gateway", "");
    env.set("data", readShared(file).get("orchestrators"));
    return env.toString();
  }
}
