package dev.naap.scraper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a real MaxMind DB file (format 2.0, IPv4, 24-bit records) that maps one network to one
 * record, so that the region lookup is tested through the maintained reader on a file in the same
 * format as GeoLite2. Values: {@link String}, {@link Integer} (uint16), {@link Long} (uint32), {@link BigInteger} (uint64), {@link
 * Map} with string keys, {@link List}.
 */
final class MaxMindDbFile {

  private static final byte[] METADATA_MARKER = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF,
      'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'};

  private MaxMindDbFile() {}

  /** Writes {@code file} mapping {@code network}/{@code prefixLength} to {@code record}. */
  static void write(Path file, int network, int prefixLength, Map<String, Object> record) throws IOException {
    // One node per prefix bit: the record for the bit on the path leads to the next node (or, at
    // the last bit, to the data); the other record is "no data" (= node count).
    int nodeCount = prefixLength;
    ByteArrayOutputStream tree = new ByteArrayOutputStream();
    for (int node = 0; node < nodeCount; node++) {
      int bit = (network >>> (31 - node)) & 1;
      int onPath = node + 1 < nodeCount ? node + 1 : nodeCount + 16; // data offset 0
      writeRecord(tree, bit == 0 ? onPath : nodeCount);
      writeRecord(tree, bit == 1 ? onPath : nodeCount);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(tree.toByteArray());
    out.writeBytes(new byte[16]); // the data section separator
    out.writeBytes(encode(record));
    out.writeBytes(METADATA_MARKER);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("node_count", (long) nodeCount);
    metadata.put("record_size", 24);
    metadata.put("ip_version", 4);
    metadata.put("database_type", "NaaP-Test-Country");
    metadata.put("languages", List.of("en"));
    metadata.put("binary_format_major_version", 2);
    metadata.put("binary_format_minor_version", 0);
    metadata.put("build_epoch", BigInteger.valueOf(1_767_900_000L));
    metadata.put("description", Map.of("en", "NaaP region lookup test database"));
    out.writeBytes(encode(metadata));
    Files.write(file, out.toByteArray());
  }

  private static void writeRecord(ByteArrayOutputStream out, int value) {
    out.write(value >>> 16);
    out.write(value >>> 8);
    out.write(value);
  }

  private static byte[] encode(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (value) {
      case String s -> {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        control(out, 2, utf8.length);
        out.writeBytes(utf8);
      }
      case Integer i -> unsigned(out, 5, i, 2);
      case Long l -> unsigned(out, 6, l, 4);
      case BigInteger b -> unsigned(out, 9, b.longValueExact(), 8);
      case Map<?, ?> map -> {
        control(out, 7, map.size());
        map.forEach((k, v) -> {
          out.writeBytes(encode(k));
          out.writeBytes(encode(v));
        });
      }
      case List<?> list -> {
        control(out, 11, list.size());
        list.forEach(v -> out.writeBytes(encode(v)));
      }
      default -> throw new IllegalArgumentException("cannot encode " + value.getClass());
    }
    return out.toByteArray();
  }

  private static void unsigned(ByteArrayOutputStream out, int type, long value, int bytes) {
    control(out, type, bytes);
    for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift));
    }
  }

  /**
   * The control byte: type in the top 3 bits (types above 7 are "extended": 0 there and type − 7 in
   * the next byte), size in the low 5 bits, or 29 and the size − 29 in one more byte.
   */
  private static void control(ByteArrayOutputStream out, int type, int size) {
    if (size >= 29 + 256) {
      throw new IllegalArgumentException("sizes beyond 284 are not needed here");
    }
    int sizeBits = Math.min(size, 29);
    out.write((type <= 7 ? type << 5 : 0) | sizeBits);
    if (type > 7) {
      out.write(type - 7);
    }
    if (sizeBits == 29) {
      out.write(size - 29);
    }
  }
}
