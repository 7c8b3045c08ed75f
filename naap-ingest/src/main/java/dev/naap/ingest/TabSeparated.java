package dev.naap.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Rows in ClickHouse's TabSeparated format: values in column order, a tab between them, a line
 * break after each row. String bytes go in as they are except the ones TabSeparated escapes
 * (backslash, tab, line feed, carriage return, NUL), so any bytes, valid UTF-8 or not, are stored
 * exactly. {@code DateTime64(3)} values are written as UTC date-times with milliseconds. Not
 * thread-safe.
 */
final class TabSeparated {

  private byte[] buf;
  private int size;
  private boolean rowStarted;

  TabSeparated(int initialCapacity) {
    buf = new byte[Math.max(initialCapacity, 64)];
  }

  TabSeparated string(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80 || c <= '\r' || c == '\\') {
        return bytes(s.getBytes(StandardCharsets.UTF_8)); // to encode or escape: the general way
      }
    }
    separate(); // ASCII with nothing to escape, the usual case: no intermediate array
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[size++] = (byte) s.charAt(i);
    }
    return this;
  }

  TabSeparated bytes(byte[] b) {
    separate();
    ensure(2 * b.length); // every byte escaped, at worst
    int run = 0; // bytes before i still to copy as they are
    for (int i = 0; i < b.length; i++) {
      byte c = b[i];
      if (c > '\r' && c != '\\') {
        continue; // nothing to escape: the common case (bytes of 0x80 and up are negative)
      }
      byte escaped = switch (c) {
        case '\\' -> '\\';
        case '\t' -> 't';
        case '\n' -> 'n';
        case '\r' -> 'r';
        case 0 -> '0';
        default -> -1;
      };
      if (escaped != -1) {
        System.arraycopy(b, run, buf, size, i - run);
        size += i - run;
        buf[size++] = '\\';
        buf[size++] = escaped;
        run = i + 1;
      }
    }
    System.arraycopy(b, run, buf, size, b.length - run);
    size += b.length - run;
    return this;
  }

  TabSeparated int64(long v) {
    return string(Long.toString(v));
  }

  TabSeparated int32(int v) {
    return string(Integer.toString(v));
  }

  TabSeparated bool(boolean v) {
    return string(v ? "1" : "0");
  }

  /** A {@code DateTime64(3, 'UTC')} from unix milliseconds. */
  TabSeparated millis(long epochMs) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMs, 1000L),
        (int) Math.floorMod(epochMs, 1000L) * 1_000_000, ZoneOffset.UTC);
    separate();
    ensure(23);
    digits(t.getYear(), 4).put('-').digits(t.getMonthValue(), 2).put('-')
        .digits(t.getDayOfMonth(), 2).put(' ').digits(t.getHour(), 2).put(':')
        .digits(t.getMinute(), 2).put(':').digits(t.getSecond(), 2).put('.')
        .digits(t.getNano() / 1_000_000, 3);
    return this;
  }

  /** The bytes its buffer holds without growing. */
  int capacity() {
    return buf.length;
  }

  /** Empties it for reuse, keeping its buffer. */
  void clear() {
    size = 0;
    rowStarted = false;
  }

  /** Ends the row. */
  TabSeparated end() {
    ensure(1);
    buf[size++] = '\n';
    rowStarted = false;
    return this;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  /** The rows written so far, without a copy: valid until it is written to again. */
  ByteBuffer view() {
    return ByteBuffer.wrap(buf, 0, size).asReadOnlyBuffer();
  }

  /** {@code v} (0 or more) in {@code width} digits, zero-padded; room already ensured. */
  private TabSeparated digits(int v, int width) {
    for (int i = width - 1; i >= 0; i--) {
      buf[size + i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    size += width;
    return this;
  }

  private TabSeparated put(char c) {
    buf[size++] = (byte) c;
    return this;
  }

  private void separate() {
    if (rowStarted) {
      ensure(1);
      buf[size++] = '\t';
    }
    rowStarted = true;
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }
}
