package dev.naap.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Rows in ClickHouse's RowBinary format: values back to back in column order, integers little
 * endian, strings as a LEB128 length and the bytes. Nothing is escaped, so the original bytes of a
 * message go in as they are. {@code DateTime64(3)} is an Int64 of milliseconds. Not thread-safe.
 */
final class RowBinary {

  private byte[] buf;
  private int size;

  RowBinary(int initialCapacity) {
    buf = new byte[Math.max(initialCapacity, 64)];
  }

  RowBinary string(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  RowBinary bytes(byte[] b) {
    varint(b.length);
    ensure(b.length);
    System.arraycopy(b, 0, buf, size, b.length);
    size += b.length;
    return this;
  }

  RowBinary int64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[size++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  RowBinary int32(int v) {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buf[size++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  RowBinary bool(boolean v) {
    ensure(1);
    buf[size++] = (byte) (v ? 1 : 0);
    return this;
  }

  int size() {
    return size;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  private void varint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }
}
