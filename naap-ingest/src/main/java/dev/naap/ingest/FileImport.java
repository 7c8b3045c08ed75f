package dev.naap.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Imports files of events through the same validation and tables as the Kafka ingest.
 *
 * <p>Two formats:
 * <ul>
 *   <li>a JSON array ({@code [...]}) of messages, when the whole file is one array (whitespace
 *       around it allowed). An array that spans lines and is followed by anything, or is broken
 *       after its first line, is an error and nothing of the file is imported;
 *   <li>otherwise newline-delimited: one message per line (LF or CRLF), kept byte for byte (invalid
 *       UTF-8 included), each validated on its own; a first line such as {@code [1,2]} is one
 *       (rejected) message, not a format.
 * </ul>
 * A UTF-8 byte order mark at the start is ignored. In both, a message may be an envelope or a
 * capture record, an object whose {@code value} is the envelope (the format of {@code
 * kafka-capture-*.json}); a capture record has a {@code value} object and no {@code data}. Nesting
 * is bounded ({@link #MAX_NESTING_DEPTH}) and so is a message's size (the parser's limit); each
 * message that is quarantined is reported with its file and line. Messages are written in batches
 * of at most {@code batchSize} messages and {@link KafkaIngestConfig#MAX_BATCH_BYTES}, so a file
 * of large messages is held a batch at a time as a file of small ones. Not thread-safe.
 */
public final class FileImport {

  /** Lines longer than this are cut here; the rest of such a line is not kept. */
  static final int MAX_KEPT_LINE_BYTES = 16 << 20;
  /** Deepest nesting read in an array file: the array, then a message within the parser's limit. */
  static final int MAX_NESTING_DEPTH = 66;
  /**
   * Messages written at once: the Kafka ingest's batch. Each insert has a fixed cost (a part in
   * every table the events reach), so 5 000 took 1.6 times as long as this (docs/benchmarks.md).
   */
  public static final int DEFAULT_BATCH_SIZE = KafkaIngestConfig.DEFAULT_BATCH_MAX_EVENTS;
  /** Rejections reported one by one per file; the rest are counted. */
  static final int MAX_REPORTED = 100;

  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_NESTING_DEPTH)
          .maxStringLength(MAX_KEPT_LINE_BYTES)
          .build())
      .build());
  private static final byte[] VALUE_KEY = "\"value\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private enum Format { ARRAY, LINES }

  private final EventWriter writer;
  private final int batchSize;
  private final Consumer<String> problems;

  /** An import in batches of {@link #DEFAULT_BATCH_SIZE} that reports only its counts. */
  public FileImport(EventWriter writer) {
    this(writer, DEFAULT_BATCH_SIZE, problem -> { });
  }

  /** An import in batches of at most {@code batchSize} messages that reports only its counts. */
  public FileImport(EventWriter writer, int batchSize) {
    this(writer, batchSize, problem -> { });
  }

  /**
   * @param batchSize most messages written at once; a batch is written sooner when it reaches
   *     {@link KafkaIngestConfig#MAX_BATCH_BYTES}
   * @param problems receives one line per quarantined message ({@code file:line: reason: detail}),
   *     up to {@link #MAX_REPORTED} per file, then how many more there were
   */
  public FileImport(EventWriter writer, int batchSize, Consumer<String> problems) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    this.writer = writer;
    this.batchSize = batchSize;
    this.problems = problems;
  }

  /**
   * Imports one file.
   *
   * @throws ImportException when the file cannot be read or is a broken JSON array; it names the
   *     file and the line, and says what of the file was imported
   */
  public BatchResult importFile(Path file) {
    Batcher batcher = new Batcher(file.toString());
    try {
      Format format = classify(file);
      try (InputStream in = open(file)) {
        if (format == Format.ARRAY) {
          readArray(in, batcher);
        } else {
          readLines(in, batcher);
        }
      }
    } catch (NoSuchFileException e) {
      throw new ImportException(file + ": no such file", e);
    } catch (JsonProcessingException e) {
      batcher.flush();
      throw new ImportException(file + ":" + line(e, 0) + ": not a valid JSON array of messages ("
          + e.getOriginalMessage() + "); the " + batcher.position + " messages before it were"
          + " imported (" + batcher.result + ")", e);
    } catch (IOException e) {
      batcher.flush();
      throw new ImportException(file + ": cannot read: " + e.getMessage() + "; the "
          + batcher.position + " messages before it were imported (" + batcher.result + ")", e);
    }
    batcher.flush();
    batcher.reportRest();
    return batcher.result;
  }

  /** The file, past a UTF-8 byte order mark if it starts with one. */
  private static InputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(BOM.length);
    byte[] head = in.readNBytes(BOM.length);
    if (!Arrays.equals(head, BOM)) {
      in.reset();
    }
    return in;
  }

  /**
   * One JSON array spanning the whole file, or lines. Reads the file once without keeping it:
   * the array's structure is checked before anything of it is imported.
   */
  private static Format classify(Path file) throws IOException {
    try (InputStream in = open(file); JsonParser p = JSON.createParser(in)) {
      JsonToken first;
      try {
        first = p.nextToken();
      } catch (JsonProcessingException e) {
        return Format.LINES; // the first line is not JSON: a message for the parser to reject
      }
      if (first != JsonToken.START_ARRAY) {
        return Format.LINES;
      }
      int startLine = p.currentTokenLocation().getLineNr();
      int endLine;
      try {
        p.skipChildren();
        endLine = p.currentLocation().getLineNr();
      } catch (JsonProcessingException e) {
        if (line(e, startLine) == startLine) {
          return Format.LINES; // a bad first line, followed by more lines
        }
        throw new ImportException(file + ":" + line(e, startLine) + ": not a valid JSON array of"
            + " messages (" + e.getOriginalMessage() + "); a file is either one JSON array or one"
            + " message per line; nothing of it was imported", e);
      }
      boolean trailing;
      int trailingLine = endLine;
      try {
        trailing = p.nextToken() != null;
        trailingLine = p.currentTokenLocation().getLineNr();
      } catch (JsonProcessingException e) {
        trailing = true;
        trailingLine = line(e, endLine);
      }
      if (!trailing) {
        return Format.ARRAY;
      }
      if (endLine == startLine) {
        return Format.LINES; // "[1,2]" on its own line, then more lines: one message per line
      }
      throw new ImportException(file + ":" + trailingLine + ": content after the JSON array that"
          + " ends at line " + endLine + "; a file is either one JSON array or one message per"
          + " line; nothing of it was imported", null);
    }
  }

  private static int line(JsonProcessingException e, int otherwise) {
    return e.getLocation() == null ? otherwise : e.getLocation().getLineNr();
  }

  private void readArray(InputStream in, Batcher batcher) throws IOException {
    try (JsonParser p = JSON.createParser(in)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new ImportException(batcher.file + ": expected a JSON array", null);
      }
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (p.currentToken() == null) {
          throw new JsonProcessingException(
              "unexpected end of file inside the array", p.currentLocation()) {};
        }
        int line = p.currentTokenLocation().getLineNr();
        batcher.add(unwrapCapture(copy(p)), line);
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
          line =
              Arrays.copyOf(
                  line, Math.min(Math.max(line.length * 2, len + take), MAX_KEPT_LINE_BYTES));
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

  /**
   * The value at the parser's current token, as JSON text: token by token, numbers as written
   * and repeated keys kept, so that the parser judges the message as it came (a tree would keep
   * one of two repeated keys, and the message would pass where Kafka's copy is rejected).
   */
  private static byte[] copy(JsonParser p) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      int depth = 0;
      do {
        JsonToken t = p.currentToken();
        g.copyCurrentEventExact(p);
        depth += t.isStructStart() ? 1 : t.isStructEnd() ? -1 : 0;
      } while (depth > 0 && p.nextToken() != null);
    }
    return out.toByteArray();
  }

  /**
   * A capture record (an object with an object {@code value} and no {@code data}) carries the
   * envelope in {@code value}, copied as it came; anything else is the message itself, also a
   * record with two {@code value}s, which the parser then rejects.
   */
  private static byte[] unwrapCapture(byte[] message) {
    if (indexOf(message, VALUE_KEY) < 0) {
      return message;
    }
    try (JsonParser p = JSON.createParser(message)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return message;
      }
      byte[] value = null;
      int values = 0;
      boolean data = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        data |= name.equals("data");
        if (name.equals("value")) {
          values++;
          if (t == JsonToken.START_OBJECT) {
            value = copy(p);
            continue;
          }
        }
        p.skipChildren();
      }
      return value != null && values == 1 && !data ? value : message;
    } catch (IOException e) {
      return message; // not JSON: the writer rejects it with the reason
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
    /** The line of each message of {@link #batch} whose line is not its position (arrays). */
    private final Map<Long, Integer> lines = new HashMap<>();
    private long batchBytes;
    private long position;
    private long reported;
    private BatchResult result = BatchResult.EMPTY;

    Batcher(String file) {
      this.file = file;
    }

    void addLine(byte[] line) {
      position++;
      if (!isBlank(line)) {
        append(unwrapCapture(line));
      }
    }

    void add(byte[] message, int line) {
      position++;
      lines.put(position, line);
      append(message);
    }

    private void append(byte[] message) {
      batch.add(new Message(message, Origin.file(file, position)));
      batchBytes += message.length;
      if (batch.size() >= batchSize || batchBytes >= KafkaIngestConfig.MAX_BATCH_BYTES) {
        flush();
      }
    }

    void flush() {
      EventWriter.Prepared prepared = writer.prepare(batch);
      result = result.plus(writer.write(prepared));
      for (EventWriter.Rejection r : prepared.rejections()) {
        if (reported++ < MAX_REPORTED) {
          long pos = r.origin().offset();
          Integer line = lines.get(pos);
          problems.accept(file + ":" + (line == null ? pos : line + " (element " + pos + ")")
              + ": rejected, " + r.reason() + ": " + r.detail());
        }
      }
      batch.clear();
      lines.clear();
      batchBytes = 0;
    }

    void reportRest() {
      if (reported > MAX_REPORTED) {
        problems.accept(file + ": " + (reported - MAX_REPORTED) + " more messages rejected; all"
            + " are in rejected_events (topic = '" + file + "', offset = the line, or"
            + " the element of an array)");
      }
    }
  }

  /** A file that cannot be imported (missing, unreadable, or an unparsable JSON array). */
  public static final class ImportException extends RuntimeException {
    ImportException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
