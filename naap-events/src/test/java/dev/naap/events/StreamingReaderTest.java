package dev.naap.events;

import static dev.naap.events.TestMessages.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming path may only ever agree with the tree path: whatever it accepts, the tree path
 * accepts as an equal event, and it takes every real message. Checked on the capture, on every
 * field of the two streamed families set to hostile values, removed, repeated or joined by a
 * stranger, and on damaged and crafted input.
 */
class StreamingReaderTest {
  private static final long SEED = 20261206L;

  /** Raw JSON values put in place of each field in turn. */
  private static final List<String> VALUES = List.of(
      "null", "\"\"", "\"x\"", "\"\\ud800\"", "\"\\ud83d\\ude00\"", "\"caf\u00e9\"",
      "\"0x52CF2968B3DC6016778742D3539449A6597D5954\"", "\"status\"", "\"other\"",
      "\"1767908945607\"", "\"17679089456070000000\"", "\"-1\"", "0", "-0", "-1", "1", "1.5",
      "1.0", "-0.0", "1e400", "-1e400", "1e18", "1E2", "2147483648", "-2147483649",
      "9223372036854775807", "9223372036854775808", "-9223372036854775809",
      "123456789012345678901234567890", "1767908945607", "1767908945607.0", "1767908945",
      "4102444800000", "true", "false", "[]", "{}", "[null]", "[\"a\",\"b\"]", "[\"\\ud800\"]",
      "[{}]", "[1]", "[{\"type\":\"video\",\"rtt\":5}]", "{\"a\":1,\"a\":2}",
      "{\"a\":{\"b\":[1,2.5,\"x\",null,true]}}", "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]");

  @Test
  void takesEveryRealMessage() {
    List<byte[]> messages = TestMessages.captureMessages();
    assertThat(messages).hasSizeGreaterThan(50);
    for (byte[] message : messages) {
      Event streamed = StreamingReader.read(message);
      assertThat(streamed).as(new String(message)).isNotNull()
          .isEqualTo(EventParser.readTree(message));
    }
  }

  @Test
  void agreesWhenAnyFieldOfTheStreamedFamiliesChanges() {
    int accepted = 0;
    int checked = 0;
    for (byte[] message : streamedFamilyMessages()) {
      JsonNode root = parse(message);
      int members = countMembers(root);
      for (int at = 0; at < members; at++) {
        for (String value : VALUES) {
          accepted += agree(render(root, new Edit(at, Edit.Kind.REPLACE, value)));
          accepted += agree(render(root, new Edit(at, Edit.Kind.STRANGER, value)));
          checked += 2;
        }
        accepted += agree(render(root, new Edit(at, Edit.Kind.REMOVE, null)));
        accepted += agree(render(root, new Edit(at, Edit.Kind.REPEAT, null)));
        accepted += agree(render(root, new Edit(at, Edit.Kind.NULL_FIRST, null)));
        checked += 3;
      }
    }
    assertThat(checked).isGreaterThan(10_000);
    assertThat(accepted).isGreaterThan(checked / 4); // the streaming path does take most
  }

  @Test
  void agreesOnDamagedAndCraftedInput() {
    Random random = new Random(SEED);
    List<byte[]> inputs = new ArrayList<>();
    for (byte[] message : TestMessages.captureMessages()) {
      for (int cut = 1; cut < message.length; cut += 5) {
        inputs.add(Arrays.copyOf(message, cut));
      }
      for (int round = 0; round < 200; round++) {
        byte[] damaged = message.clone();
        for (int f = 1 + random.nextInt(3); f > 0; f--) {
          damaged[random.nextInt(damaged.length)] ^= (byte) (1 << random.nextInt(8));
        }
        inputs.add(damaged);
      }
    }
    String data = "{\"stream_id\":\"s\",\"timestamp\":1767908945607}";
    String deep = "[".repeat(70) + "]".repeat(70);
    for (String s : List.of(
        // the envelope's fields in other orders, repeated, or after the data
        "{\"data\":" + data + ",\"id\":\"a\",\"type\":\"ai_stream_status\","
            + "\"timestamp\":1767908945607}",
        "{\"id\":\"a\",\"type\":\"ai_stream_status\",\"timestamp\":1767908945607,\"data\":" + data
            + ",\"gateway\":\"0xAB\"}",
        "{\"id\":\"a\",\"type\":\"ai_stream_status\",\"timestamp\":1767908945607,\"data\":" + data
            + ",\"id\":\"b\"}",
        "{\"id\":\"a\",\"type\":\"stream_ingest_metrics\",\"timestamp\":1767908945607,\"data\":"
            + data + ",\"data\":{}}",
        "{\"id\":\"a\",\"type\":\"stream_ingest_metrics\",\"timestamp\":1767908945607,\"data\":"
            + data + ",\"zz\":{\"a\":1,\"a\":1}}",
        "{\"id\":\"a\",\"type\":\"stream_ingest_metrics\",\"timestamp\":1767908945607,\"data\":"
            + data + ",\"zz\":1,\"zz\":1}",
        "{\"id\":\"a\",\"type\":\"stream_ingest_metrics\",\"timestamp\":1767908945607,\"data\":"
            + data + "}x",
        "{\"id\":\"a\",\"type\":\"stream_ingest_metrics\",\"timestamp\":1767908945607,\"data\":"
            + data + "} {}",
        "{\"id\":\"a\",\"type\":\"stream_ingest_metrics\",\"timestamp\":1767908945607,\"data\":"
            + data + "}  \n",
        "{\"id\":\"a\",\"type\":\"stream_ingest_metrics\",\"timestamp\":1767908945607,\"data\":"
            + "{\"zz\":" + deep + "}}",
        "{\"id\":\"a\",\"type\":\"ai_stream_status\",\"timestamp\":1767908945607,\"data\":"
            + "{\"inference_status\":{\"last_params\":" + deep + "}}}",
        "{\"id\":\"a\",\"type\":\"ai_stream_status\",\"timestamp\":1767908945607,\"data\":"
            + "{\"inference_status\":{\"last_params\":"
            + "{\"w\":1e400,\"h\":1.10,\"s\":\"\\u00e9\"}}}}",
        "{\"id\":\"a\",\"type\":\"ai_stream_status\",\"timestamp\":1767908945607,\"data\":"
            + "{\"input_status\":{\"fps\":" + "9".repeat(101) + "}}}",
        "{\"id\":\"a\",\"type\":\"ai_stream_status\",\"timestamp\":1767908945607,\"data\":[]}",
        "{\"id\":\"a\",\"type\":\"stream_ingest_metrics\",\"timestamp\":1767908945607,\"data\":7}",
        "{\"id\":\"a\",\"type\":\"Stream_ingest_metrics\",\"timestamp\":1767908945607,\"data\":{}}",
        "{\"id\":\"" + "i".repeat(129) + "\",\"type\":\"ai_stream_status\","
            + "\"timestamp\":1767908945607,\"data\":{}}",
        "{\"id\":\"a\",\"type\":\"ai_stream_status\",\"timestamp\":\"0017679089456070\","
            + "\"data\":{}}",
        "{\"id\":\"a\",\"type\":\"ai_stream_status\",\"timestamp\":1767908945607.5,\"data\":{}}",
        "{\"id\":\"a\",\"type\":\"ai_stream_status\",\"timestamp\":1.767908945607e12,\"data\":{}}",
        "{\"id\":\"a\",\"type\":\"ai_stream_status\",\"timestamp\":1767908945607,\"data\":{},}",
        "{\"id\":\"a\",\"type\":\"ai_stream_status\",\"timestamp\":1767908945607,\"data\":{}",
        "\ufeff{\"id\":\"a\",\"type\":\"ai_stream_status\",\"timestamp\":1767908945607,"
            + "\"data\":{}}",
        " {\"id\":\"a\",\"type\":\"ai_stream_status\",\"timestamp\":1767908945607,\"data\":{}}",
        "[]", "{}", "null")) {
      inputs.add(utf8(s));
    }
    byte[] invalid = utf8("{\"id\":\"a\",\"type\":\"ai_stream_status\",\"timestamp\":1767908945607,"
        + "\"data\":{\"stream_id\":\"..\"}}");
    for (byte[] bad : List.of(new byte[] {(byte) 0xC0, (byte) 0x80},
        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xFF, 'x'},
        new byte[] {0, 'x'})) {
      byte[] input = invalid.clone();
      int at = new String(invalid).indexOf("..");
      System.arraycopy(bad, 0, input, at, 2);
      inputs.add(input);
    }
    int accepted = 0;
    for (byte[] input : inputs) {
      accepted += agree(input);
    }
    assertThat(accepted).isGreaterThan(100);
  }

  /** Asserts the two paths agree on {@code input}; 1 when the streaming path accepted it. */
  private static int agree(byte[] input) {
    Event streamed = StreamingReader.read(input);
    if (streamed == null) {
      return 0;
    }
    try {
      assertThat(streamed).as(new String(input)).isEqualTo(EventParser.readTree(input));
    } catch (RejectException e) {
      fail("streamed, but the tree path rejects " + new String(input) + ": " + e.getMessage());
    }
    return 1;
  }

  private static List<byte[]> streamedFamilyMessages() {
    List<byte[]> out = new ArrayList<>();
    int ingest = 0;
    int status = 0;
    for (byte[] message : TestMessages.captureMessages()) {
      String type = parse(message).get("type").textValue();
      if (type.equals(StreamIngestMetrics.FAMILY) && ingest++ < 2
          || type.equals(AiStreamStatus.FAMILY) && status++ < 2) {
        out.add(message);
      }
    }
    assertThat(out).hasSize(4);
    return out;
  }

  private static JsonNode parse(byte[] message) {
    try {
      return TestMessages.JSON.readTree(message);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** One change at the {@code at}-th member (depth first) of a message. */
  private record Edit(int at, Kind kind, String value) {
    enum Kind { REPLACE, STRANGER, REMOVE, REPEAT, NULL_FIRST }
  }

  private static int countMembers(JsonNode n) {
    int count = 0;
    if (n.isObject()) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        count += 1 + countMembers(e.getValue());
      }
    } else if (n.isArray()) {
      for (JsonNode item : n) {
        count += countMembers(item);
      }
    }
    return count;
  }

  /** {@code root} as compact JSON with {@code edit} applied, written by hand to allow repeats. */
  private static byte[] render(JsonNode root, Edit edit) {
    StringBuilder out = new StringBuilder();
    write(root, edit, new int[] {0}, out);
    return utf8(out.toString());
  }

  private static void write(JsonNode n, Edit edit, int[] counter, StringBuilder out) {
    if (n.isArray()) {
      out.append('[');
      for (int i = 0; i < n.size(); i++) {
        out.append(i == 0 ? "" : ",");
        write(n.get(i), edit, counter, out);
      }
      out.append(']');
      return;
    }
    if (!n.isObject()) {
      out.append(n);
      return;
    }
    out.append('{');
    boolean first = true;
    for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = TestMessages.JSON.getNodeFactory().textNode(e.getKey()).toString();
      boolean here = counter[0]++ == edit.at();
      List<String> members = new ArrayList<>();
      if (here && edit.kind() == Edit.Kind.REMOVE) {
        skip(e.getValue(), counter);
        continue;
      }
      if (here && edit.kind() == Edit.Kind.NULL_FIRST) {
        members.add(name + ":null");
      }
      if (here && edit.kind() == Edit.Kind.STRANGER) {
        members.add("\"zz_stranger\":" + edit.value());
      }
      if (here && edit.kind() == Edit.Kind.REPLACE) {
        members.add(name + ":" + edit.value());
        skip(e.getValue(), counter);
      } else {
        StringBuilder value = new StringBuilder();
        write(e.getValue(), edit, counter, value);
        members.add(name + ":" + value);
        if (here && edit.kind() == Edit.Kind.REPEAT) {
          members.add(name + ":" + value);
        }
      }
      for (String m : members) {
        out.append(first ? "" : ",").append(m);
        first = false;
      }
    }
    out.append('}');
  }

  private static void skip(JsonNode n, int[] counter) {
    counter[0] += countMembers(n);
  }
}
