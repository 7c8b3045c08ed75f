package dev.naap.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Imports files of events through the same validation and tables as the Kafka ingest.
 *
 * <p>Two formats, told apart by the first non-blank byte:
 * <ul>
 *   <li>newline-delimited: one message per line (LF or CRLF), kept byte for byte (invalid UTF-8
 *       included);
 *   <li>a JSON array ({@code [...]}): each element is a message.
 * </ul>
 * In both, a message may be an envelope or a capture record, an object whose {@code value} is the
 * envelope (the format of {@code kafka-capture-*.json}); a capture record has a {@code value}
 * object and no {@code data}. Not thread-safe.
 */
public final class FileImport {

  /** Lines longer than this are cut here; the rest of such a line is not kept. */
  static final int MAX_KEPT_LINE_BYTES = 16 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] VALUE_KEY = "\"value\"".getBytes(StandardCharsets.US_ASCII);

  private final EventWriter writer;
  private final int batchSize;

  public FileImport(EventWriter writer, int batchSize) {
    this.writer = writer;
    this.batchSize = batchSize;
  }

  /**
   * Imports one file.
   *
   * @throws ImportException when the file cannot be read or a JSON array file cannot be parsed
   *     past some point; what was read before that point is already imported
   */
  public BatchResult importFile(Path file) {
    Batcher batcher = new Batcher(file.toString());
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      in.mark(1 << 16);
      int first = firstNonBlank(in);
      in.reset();
      if (first == '[') {
        readArray(in, batcher);
      } else {
        readLines(in, batcher);
      }
    } catch (NoSuchFileException e) {
      throw new ImportException(file + ": no such file", e);
    } catch (JsonProcessingException e) {
      batcher.flush();
      throw new ImportException(file + ": not a valid JSON array of messages at line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + " ("
          + e.getOriginalMessage() + "); the " + batcher.position + " messages before it were imported "
          + "(" + batcher.result + ")", e);
    } catch (IOException e) {
      throw new ImportException(file + ": cannot read: " + e.getMessage(), e);
    }
    batcher.flush();
    return batcher.result;
  }

  private static int firstNonBlank(InputStream in) throws IOException {
    int b;
    do {
      b = in.read();
    } while (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0xEF || b == 0xBB || b == 0xBF);
    return b;
  }

  private void readArray(InputStream in, Batcher batcher) throws IOException {
    try (JsonParser p = JSON.createParser(in)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new ImportException(batcher.file + ": expected a JSON array", null);
      }
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (p.currentToken() == null) {
          throw new JsonProcessingException("unexpected end of file inside the array", p.currentLocation()) {};
        }
        JsonNode element = p.readValueAsTree();
        batcher.add(JSON.writeValueAsBytes(unwrapCapture(element)));
      }
    }
  }

  /** Splits the stream at LF (a CR before it is dropped), reading it in chunks. */
  private void readLines(InputStream in, Batcher batcher) throws IOException {
    byte[] chunk = new byte[1 << 16];
    byte[] line = new byte[8192];
    int len = 0;
    boolean cut = false; // the line passed MAX_KEPT_LINE_BYTES: the rest of it is not kept
    int n;
    while ((n = in.read(chunk)) != -1) {
      int from = 0;
      while (from < n) {
        int newline = indexOf(chunk, (byte) '\n', from, n);
        int end = newline < 0 ? n : newline;
        int take = cut ? 0 : Math.min(end - from, MAX_KEPT_LINE_BYTES - len);
        if (len + take > line.length) {
          line = Arrays.copyOf(line, Math.min(Math.max(line.length * 2, len + take), MAX_KEPT_LINE_BYTES));
        }
        System.arraycopy(chunk, from, line, len, take);
        len += take;
        cut = cut || take < end - from;
        if (newline < 0) {
          break;
        }
        batcher.addLine(Arrays.copyOf(line, len > 0 && line[len - 1] == '\r' ? len - 1 : len));
        len = 0;
        cut = false;
        from = newline + 1;
      }
    }
    if (len > 0) {
      batcher.addLine(Arrays.copyOf(line, len));
    }
  }

  private static int indexOf(byte[] a, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** A capture record carries the envelope in {@code value}; anything else is the message itself. */
  private static JsonNode unwrapCapture(JsonNode node) {
    JsonNode value = node.get("value");
    return node.isObject() && value != null && value.isObject() && !node.has("data") ? value : node;
  }

  private static byte[] unwrapCaptureLine(byte[] line) {
    if (indexOf(line, VALUE_KEY) < 0) {
      return line;
    }
    try {
      JsonNode node = JSON.readTree(line);
      JsonNode unwrapped = node == null ? null : unwrapCapture(node);
      return unwrapped == null || unwrapped == node ? line : JSON.writeValueAsBytes(unwrapped);
    } catch (IOException e) {
      return line; // not JSON: the writer rejects it with the reason
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static boolean isBlank(byte[] line) {
    for (byte b : line) {
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /** Collects messages with their positions and writes them in batches. */
  private final class Batcher {
    private final String file;
    private final List<Message> batch = new ArrayList<>();
    private long position;
    private BatchResult result = BatchResult.EMPTY;

    Batcher(String file) {
      this.file = file;
    }

    void addLine(byte[] line) {
      position++;
      if (!isBlank(line)) {
        append(unwrapCaptureLine(line));
      }
    }

    void add(byte[] message) {
      position++;
      append(message);
    }

    private void append(byte[] message) {
      batch.add(new Message(message, Origin.file(file, position)));
      if (batch.size() >= batchSize) {
        flush();
      }
    }

    void flush() {
      result = result.plus(writer.write(batch));
      batch.clear();
    }
  }

  /** A file that cannot be imported (missing, unreadable, or an unparsable JSON array). */
  public static final class ImportException extends RuntimeException {
    ImportException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
