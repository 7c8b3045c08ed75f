package dev.naap.scraper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a real MaxMind DB file (format 2.0, IPv6 tree with IPv4 under {@code ::/96}, 24-bit
 * records) that maps networks to records, so that the region lookup is tested through the
 * maintained reader on a file in the same format as GeoLite2 and DB-IP. Values: {@link String},
 * {@link Integer} (uint16), {@link Long} (uint32), {@link BigInteger} (uint64), {@link Map} with
 * string keys, {@link List}.
 */
final class MaxMindDbFile {

  private static final byte[] METADATA_MARKER = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF,
      'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'};
  private static final int EMPTY = -1;

  private MaxMindDbFile() {}

  /** Writes {@code file} mapping {@code 192.0.2.0/24} or {@code 2001:db8::/32} style networks. */
  static void write(Path file, Map<String, Map<String, Object>> networks) throws IOException {
    // Node i has two children: another node (>= 0), EMPTY, or record r encoded as -(2 + r).
    List<int[]> nodes = new ArrayList<>();
    nodes.add(new int[] {EMPTY, EMPTY});
    List<Map<String, Object>> records = new ArrayList<>();
    for (var e : networks.entrySet()) {
      String[] cidr = e.getKey().split("/");
      byte[] ip = InetAddress.ofLiteral(cidr[0]).getAddress();
      int prefix = Integer.parseInt(cidr[1]);
      if (ip.length == 4) { // IPv4 lives at ::a.b.c.d
        ip = java.util.Arrays.copyOf(new byte[12], 16);
        System.arraycopy(InetAddress.ofLiteral(cidr[0]).getAddress(), 0, ip, 12, 4);
        prefix += 96;
      }
      records.add(e.getValue());
      int node = 0;
      for (int depth = 0; depth < prefix; depth++) {
        int bit = (ip[depth / 8] >>> (7 - depth % 8)) & 1;
        if (depth == prefix - 1) {
          nodes.get(node)[bit] = -(2 + records.size() - 1);
        } else {
          if (nodes.get(node)[bit] < 0) {
            nodes.add(new int[] {EMPTY, EMPTY});
            nodes.get(node)[bit] = nodes.size() - 1;
          }
          node = nodes.get(node)[bit];
        }
      }
    }
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    int[] offsets = new int[records.size()];
    for (int r = 0; r < records.size(); r++) {
      offsets[r] = data.size();
      data.writeBytes(encode(records.get(r)));
    }
    int nodeCount = nodes.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int[] node : nodes) {
      for (int child : node) {
        writeRecord(out, child >= 0 ? child
            : child == EMPTY ? nodeCount : nodeCount + 16 + offsets[-child - 2]);
      }
    }
    out.writeBytes(new byte[16]); // the data section separator
    out.writeBytes(data.toByteArray());
    out.writeBytes(METADATA_MARKER);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("node_count", (long) nodeCount);
    metadata.put("record_size", 24);
    metadata.put("ip_version", 6);
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
