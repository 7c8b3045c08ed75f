package dev.naap.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bytes to a JSON object tree, classifying every failure into a {@link RejectReason}.
 *
 * <p>Two paths give the same verdict. The fast one parses the bytes directly and lets the tree
 * builder catch repeated keys; it handles only messages it can judge exactly (first byte
 * {@code '{'}, no control bytes, valid UTF-8) and gives up on any error. The strict one decodes
 * strict UTF-8 to characters and parses those with the parser's own duplicate detection; it runs
 * only when the fast one gave up, to name the precise reason and position of a rejection.
 * Stateless and thread-safe: the Jackson factories and mappers are shared, a UTF-8 decoder is made
 * per call (decoders are not thread-safe, and a per-call one is cheaper than a ThreadLocal under
 * virtual threads).
 */
final class JsonInput {
  /** Deepest object/array nesting accepted; real envelopes nest under 10 levels. */
  static final int MAX_NESTING_DEPTH = 64;

  /** Longest JSON number accepted, in characters; Go int64/float64 need at most about 25. */
  static final int MAX_NUMBER_CHARS = 100;

  private static final StreamReadConstraints LIMITS =
      StreamReadConstraints.builder()
          .maxNestingDepth(MAX_NESTING_DEPTH)
          .maxNumberLength(MAX_NUMBER_CHARS)
          .build();

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(LIMITS)
          // Duplicate keys make a message mean different things to different readers.
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .build();

  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  // The parser's duplicate detection keeps a set of names per object; the tree builder's check is
  // free, as it sees the replaced value anyway. Its error text differs, so it only decides that
  // the strict path must run.
  static final ObjectMapper FAST_MAPPER =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(LIMITS)
                  .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private JsonInput() {}

  /** Parses one message; throws {@link RejectException} for every bad input. */
  static ObjectNode read(byte[] bytes) {
    ObjectNode root = readFast(bytes);
    return root != null ? root : readStrict(bytes);
  }

  /**
   * The root object, or null when the message is not one the fast path can judge, or is bad. A
   * non-null result is the tree the strict path builds: the same parser limits, the same strict
   * UTF-8 (checked first), duplicates refused, nothing after the value. The byte parser guesses
   * the encoding from the first bytes; a first byte {@code '{'} and no NUL fix it as UTF-8.
   */
  static ObjectNode readFast(byte[] bytes) {
    if (!fastReadable(bytes)) {
      return null;
    }
    try (JsonParser parser = FAST_MAPPER.createParser(bytes)) {
      JsonNode root = FAST_MAPPER.readTree(parser);
      return root instanceof ObjectNode object && parser.nextToken() == null ? object : null;
    } catch (IOException | RuntimeException e) {
      return null; // the strict path names what is wrong
    }
  }

  /** {@link #scan}: the message is not one a byte parser reads exactly as the strict path. */
  static final int NOT_FAST = -1;
  /** {@link #scan}: fast-readable, and no byte is a backslash, so no string holds an escape. */
  static final int NO_ESCAPES = 0;
  /** {@link #scan}: fast-readable, with a backslash somewhere. */
  static final int ESCAPES = 1;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * True when a byte parser reads {@code bytes} exactly as the strict path would: first byte
   * {@code '{'} (which fixes the encoding as UTF-8), no control bytes, valid UTF-8.
   */
  static boolean fastReadable(byte[] bytes) {
    return scan(bytes) != NOT_FAST;
  }

  /**
   * One pass over a message: {@link #NOT_FAST} unless its first byte is {@code '{'}, it holds no
   * control byte but tab, line feed and carriage return (JSON allows no other, in or out of
   * strings) and it is valid UTF-8; else whether it holds a backslash. Without one no string can
   * hold an unpaired surrogate: strict UTF-8 encodes none, only a JSON escape of one does.
   */
  static int scan(byte[] bytes) {
    if (bytes.length == 0 || bytes[0] != '{') {
      return NOT_FAST;
    }
    int i = 0;
    boolean backslash = false;
    // Printable ASCII without a backslash, the usual case, eight bytes at a time: every byte is in
    // 0x20..0x7F exactly when no byte of x - 0x20.. or of x has its top bit set.
    for (int end = bytes.length - Long.BYTES; i <= end; i += Long.BYTES) {
      long x = (long) LONGS.get(bytes, i);
      long y = x ^ 0x5C5C5C5C5C5C5C5CL;
      if ((((x - 0x2020202020202020L) | x | ((y - 0x0101010101010101L) & ~y))
          & 0x8080808080808080L) != 0) {
        break;
      }
    }
    boolean ascii = true;
    for (; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b < ' ') {
        if (b < 0) {
          ascii = false;
        } else if (b != '\t' && b != '\n' && b != '\r') {
          return NOT_FAST;
        }
      } else if (b == '\\') {
        backslash = true;
      }
    }
    if (!ascii) {
      try {
        decodeUtf8(bytes);
      } catch (RejectException e) {
        return NOT_FAST;
      }
    }
    return backslash ? ESCAPES : NO_ESCAPES;
  }

  /** The strict path: decodes, parses and classifies; throws {@link RejectException} when bad. */
  static ObjectNode readStrict(byte[] bytes) {
    CharBuffer chars = decodeUtf8(bytes);
    char[] buf = chars.array();
    int len = chars.position();
    JsonNode root;
    try (JsonParser parser = FACTORY.createParser(buf, 0, len)) {
      root = readValue(parser, buf, len);
      if (root == null) {
        throw new RejectException(RejectReason.EMPTY, "message holds only whitespace");
      }
      rejectTrailingContent(parser);
    } catch (IOException e) { // only from close(), which cannot fail on a char array
      throw new RejectException(RejectReason.NOT_JSON, "unreadable JSON: " + e.getMessage());
    }
    if (!(root instanceof ObjectNode object)) {
      throw new RejectException(
          RejectReason.NOT_AN_OBJECT, "expected a JSON object, got " + Fields.typeName(root));
    }
    return object;
  }

  /**
   * Strict UTF-8. Decoding with {@code endOfInput=false} leaves an incomplete final sequence unread
   * instead of reporting it, which separates a message cut inside a character (truncated) from one
   * holding bytes that can never be UTF-8 (invalid).
   */
  private static CharBuffer decodeUtf8(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never yields more chars than bytes
    CoderResult result = decoder.decode(in, out, false);
    if (result.isError()) {
      throw new RejectException(
          RejectReason.INVALID_UTF8, "invalid UTF-8 sequence at byte " + in.position());
    }
    if (in.hasRemaining()) {
      throw new RejectException(
          RejectReason.TRUNCATED, "message ends inside a UTF-8 sequence at byte " + in.position());
    }
    return out;
  }

  private static JsonNode readValue(JsonParser parser, char[] buf, int len) {
    try {
      return MAPPER.readTree(parser);
    } catch (StreamConstraintsException e) {
      throw new RejectException(
          RejectReason.INVALID_VALUE, "input exceeds a parser limit: " + firstLine(e));
    } catch (JsonEOFException e) {
      throw new RejectException(RejectReason.TRUNCATED, "JSON ends early: " + firstLine(e));
    } catch (JsonParseException e) {
      String message = firstLine(e);
      if (message.startsWith("Duplicate field")) {
        throw new RejectException(
            RejectReason.INVALID_VALUE,
            message + " at char " + offset(e) + " (keys must be unique)");
      }
      if (endsInsideLastToken(buf, len, offset(e))) {
        throw new RejectException(RejectReason.TRUNCATED, "JSON ends early: " + message);
      }
      throw new RejectException(
          RejectReason.NOT_JSON, "invalid JSON near char " + offset(e) + ": " + message);
    } catch (IOException e) {
      throw new RejectException(RejectReason.NOT_JSON, "invalid JSON: " + e.getMessage());
    }
  }

  private static void rejectTrailingContent(JsonParser parser) {
    long at = parser.currentTokenLocation().getCharOffset();
    try {
      if (parser.nextToken() == null) {
        return;
      }
      at = parser.currentTokenLocation().getCharOffset();
    } catch (IOException e) {
      // garbage that is not even a token: still trailing content
    }
    throw new RejectException(
        RejectReason.NOT_JSON, "trailing content after the JSON value, near char " + at);
  }

  /**
   * Jackson reports some cut-off inputs as plain syntax errors: a dangling comma ("{"a":1,"), a
   * literal cut short ("tru"), a number cut after its point ("1."). Such an input is a prefix of
   * valid JSON, so it counts as truncated when the error lies in the last token and that token is
   * itself a prefix of a literal or number.
   */
  static boolean endsInsideLastToken(char[] buf, int len, long errorOffset) {
    int start = len;
    while (start > 0 && isTokenChar(buf[start - 1])) {
      start--;
    }
    if (start == len) {
      // nothing after the last structural character: truncated only if the error is the end
      return errorOffset >= len;
    }
    if (errorOffset <= start) {
      return false; // the last token is unexpected as a whole, not cut short
    }
    String tail = new String(buf, start, len - start);
    return "true".startsWith(tail)
        || "false".startsWith(tail)
        || "null".startsWith(tail)
        || isNumberPrefix(tail);
  }

  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '-'
        || c == '+';
  }

  private static boolean isNumberPrefix(String s) {
    char first = s.charAt(0);
    if (first != '-' && (first < '0' || first > '9')) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static long offset(JsonProcessingException e) {
    JsonLocation location = e.getLocation();
    return location == null ? -1 : location.getCharOffset();
  }

  private static String firstLine(JsonProcessingException e) {
    String message = String.valueOf(e.getOriginalMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
