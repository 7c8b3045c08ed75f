package dev.naap.events;

import static dev.naap.events.TestMessages.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast path may only ever agree with the strict one: whatever it accepts, the strict path
 * accepts as the same tree, and it takes every real message.
 */
class JsonInputTest {
  private static final long SEED = 20261205L;

  @Test
  void fastPath_takesEveryRealMessage() {
    for (byte[] message : TestMessages.captureMessages()) {
      assertThat(JsonInput.readFast(message)).isNotNull().isEqualTo(JsonInput.readStrict(message));
    }
  }

  @Test
  void fastPath_agreesWithTheStrictPathOnDamagedAndCraftedInput() {
    Random random = new Random(SEED);
    List<byte[]> inputs = new ArrayList<>();
    for (byte[] message : TestMessages.captureMessages()) {
      for (int cut = 1; cut < message.length; cut += 7) {
        inputs.add(Arrays.copyOf(message, cut));
      }
      for (int round = 0; round < 300; round++) {
        byte[] damaged = message.clone();
        for (int f = 1 + random.nextInt(3); f > 0; f--) {
          damaged[random.nextInt(damaged.length)] ^= (byte) (1 << random.nextInt(8));
        }
        inputs.add(damaged);
      }
    }
    for (String s : List.of(
        "{\"a\":1,\"a\":2}",
        "{\"a\":{\"b\":1,\"b\":1}}",
        "{\"a\":[{\"b\":null,\"b\":null}]}",
        "{\"a\":1,\"b\":{},\"c\":[],\"a\":{}}",
        "{\"a\":\"\\u0000\"}",
        "{\"a\":\"caf\u00e9 \ud83d\ude00\"}",
        "{\"a\":\"\\ud83d\"}",
        "{\"a\":1} ",
        "{\"a\":1} {}",
        "{\"a\":1}x",
        "{\"a\":01}",
        "{\"a\":1.5e400}",
        "{\"a\":NaN}",
        "{'a':1}",
        "{\"a\":1,}",
        "{\"a\":\"tab\there\"}",
        " {\"a\":1}",
        "\ufeff{\"a\":1}")) {
      inputs.add(utf8(s));
    }
    inputs.add(new byte[] {'{', 0, '}', 0});
    inputs.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}'});
    inputs.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80,
        '"', '}'});
    inputs.add(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xF4, (byte) 0x90, (byte) 0x80,
        (byte) 0x80, '"', '}'});
    int fast = 0;
    for (byte[] input : inputs) {
      ObjectNode tree = JsonInput.readFast(input);
      if (tree != null) {
        fast++;
        assertThat(JsonInput.readStrict(input)).as(new String(input)).isEqualTo(tree);
      }
    }
    assertThat(fast).isGreaterThan(1_000);
  }

  /** The word-at-a-time scan gives what a byte-by-byte one does, wherever the odd byte falls. */
  @Test
  void scan_agreesWithAByteByByteCheck() {
    Random random = new Random(SEED);
    byte[] odd = {0, 9, 10, 13, 31, 32, '\\', 0x5B, 0x5D, 0x7F, (byte) 0x80, (byte) 0xC3,
        (byte) 0xA9, (byte) 0xED, (byte) 0xFF};
    for (int round = 0; round < 50_000; round++) {
      byte[] input = new byte[1 + random.nextInt(40)];
      input[0] = '{';
      for (int i = 1; i < input.length; i++) {
        input[i] = random.nextInt(8) == 0 ? odd[random.nextInt(odd.length)]
            : (byte) (' ' + random.nextInt(95));
      }
      int expected = JsonInput.NOT_FAST;
      boolean controls = false;
      boolean backslash = false;
      for (byte b : input) {
        controls |= b >= 0 && b < ' ' && b != '\t' && b != '\n' && b != '\r';
        backslash |= b == '\\';
      }
      boolean utf8 = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
          .decode(java.nio.ByteBuffer.wrap(input), java.nio.CharBuffer.allocate(input.length),
              true).isUnderflow();
      if (!controls && utf8) {
        expected = backslash ? JsonInput.ESCAPES : JsonInput.NO_ESCAPES;
      }
      assertThat(JsonInput.scan(input)).as(Arrays.toString(input)).isEqualTo(expected);
    }
  }
}
