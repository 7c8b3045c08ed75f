package dev.naap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Messages for ingest tests, built from the real Kafka capture in {@code
 * ../shared/reference/data/}: the 65 real envelopes, fresh copies of them under new ids, and bad
 * messages of every kind the ingest must quarantine.
 */
public final class EventFixtures {

  private static final ObjectMapper JSON = new ObjectMapper();

  private EventFixtures() {}

  /** The real capture file (a JSON array of capture records). */
  public static Path captureFile() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolveSibling("shared").resolve(
          "reference/data/kafka-capture-live-session-2026-01-08.json");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "../shared/reference/data/kafka-capture-live-session-2026-01-08.json not found");
  }

  /** The 65 envelopes of the capture, in file order. */
  public static List<String> captureEnvelopes() {
    try {
      List<String> envelopes = new ArrayList<>();
      for (JsonNode record : JSON.readTree(captureFile().toFile())) {
        envelopes.add(JSON.writeValueAsString(record.get("value")));
      }
      return envelopes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code n} valid envelopes: the capture's envelopes in turn, each under a new random id. */
  public static List<byte[]> freshEvents(int n, long seed) {
    List<String> templates = captureEnvelopes();
    List<String> ids = templates.stream().map(t -> {
      try {
        return JSON.readTree(t).get("id").asText();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).toList();
    Random random = new Random(seed);
    List<byte[]> events = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int t = i % templates.size();
      String id = new UUID(random.nextLong(), random.nextLong()).toString();
      events.add(templates.get(t).replace(ids.get(t), id).getBytes(StandardCharsets.UTF_8));
    }
    return events;
  }

  /** The kinds of bad message; {@link #bad} builds one of each kind in turn. */
  public enum Bad {
    NOT_JSON, TRUNCATED, WRONG_TYPES, INVALID_UTF8, MISSING_ID, INVALID_TYPE, WRONG_DATA_SHAPE,
    NOT_AN_OBJECT, EMPTY, OVERSIZED
  }

  /** The {@code i}-th bad message; {@code oversizedBytes} sets the size of the oversized kind. */
  public static byte[] bad(int i, int oversizedBytes) {
    String good =
        "{\"id\":\"bad-"
            + i
            + "\",\"type\":\"ai_stream_status\",\"timestamp\":\"1767908955609\","
            + "\"gateway\":\"\",\"data\":{\"type\":\"status\",\"stream_id\":\"s\",\"request_id\":\"r\","
            + "\"inference_status\":{\"fps\":17.3}}}";
    return switch (Bad.values()[i % Bad.values().length]) {
      case NOT_JSON -> ("this is not json " + i).getBytes(StandardCharsets.UTF_8);
      case TRUNCATED ->
          good.substring(0, 20 + i % (good.length() - 21)).getBytes(StandardCharsets.UTF_8);
      case WRONG_TYPES -> good.replace("17.3", "\"fast\"").getBytes(StandardCharsets.UTF_8);
      case INVALID_UTF8 -> {
        String marked = good.replace("\"s\"", "\"s?\"");
        byte[] b = marked.getBytes(StandardCharsets.UTF_8);
        b[marked.indexOf("\"s?\"") + 2] = (byte) 0xC3; // a lead byte without its continuation
        yield b;
      }
      case MISSING_ID ->
          good.replace("\"id\":\"bad-" + i + "\",", "").getBytes(StandardCharsets.UTF_8);
      case INVALID_TYPE ->
          good.replace("\"ai_stream_status\"", "\"<script>drop table</script>\"")
              .getBytes(StandardCharsets.UTF_8);
      case WRONG_DATA_SHAPE ->
          ("{\"id\":\"bad-"
                  + i
                  + "\",\"type\":\"discovery_results\","
                  + "\"timestamp\":\"1767908955609\",\"gateway\":\"\",\"data\":{\"address\":\"0x1\"}}")
              .getBytes(StandardCharsets.UTF_8);
      case NOT_AN_OBJECT -> ("[1,2," + i + "]").getBytes(StandardCharsets.UTF_8);
      case EMPTY -> new byte[0];
      case OVERSIZED -> {
        StringBuilder b = new StringBuilder(oversizedBytes + 200);
        b.append(good, 0, good.length() - 2).append(",\"pad\":\"");
        while (b.length() < oversizedBytes) {
          b.append("0123456789abcdef");
        }
        yield b.append("\"}}").toString().getBytes(StandardCharsets.UTF_8);
      }
    };
  }
}
