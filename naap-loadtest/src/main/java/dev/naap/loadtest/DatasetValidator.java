package dev.naap.loadtest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a prompt dataset file (one JSON object per line, docs/DATASETS.md) and turns it into
 * entries. Every problem is reported, each naming its line and field, so a contributor fixes them
 * all in one go. Thread-safe.
 */
public final class DatasetValidator {
  public static final int MAX_FILE_BYTES = 4 << 20;
  public static final int MAX_LINE_BYTES = 8 << 10;
  public static final int MAX_ENTRIES = 10_000;
  public static final int MAX_TEXT_CHARS = 1_000;

  static final Set<String> FIELDS = Set.of("id", "prompt", "style", "negative_prompt",
      "num_inference_steps", "guidance_scale", "delta", "t_index_list", "seed", "width", "height");
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Pattern STYLE = Pattern.compile("[a-z][a-z-]{0,31}");
  // Markup in a prompt is never needed and would be dangerous wherever a prompt is shown unescaped.
  private static final Pattern MARKUP = Pattern.compile("<\\s*/?\\s*[A-Za-z!?]");
  private static final long MAX_SEED = 0xFFFF_FFFFL;

  private final ObjectMapper mapper = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** The problems found in a dataset file and, when there are none, its entries. */
  public record Report(List<DatasetProblem> problems, List<PromptEntry> entries) {
    public Report {
      problems = List.copyOf(problems);
      entries = List.copyOf(entries);
    }

    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** Validates {@code content}, the bytes of the dataset file called {@code source}. */
  public Report lines(String source, byte[] content) {
    List<DatasetProblem> problems = new ArrayList<>();
    if (content.length > MAX_FILE_BYTES) {
      problems.add(new DatasetProblem(source, 0, "", "file is " + content.length
          + " bytes, larger than the limit of " + MAX_FILE_BYTES));
      return new Report(problems, List.of());
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(content))
              .toString();
    } catch (CharacterCodingException e) {
      problems.add(new DatasetProblem(source, lineOfInvalidUtf8(content), "", "not valid UTF-8"));
      return new Report(problems, List.of());
    }
    if (!text.isEmpty() && !text.endsWith("\n")) {
      problems.add(new DatasetProblem(source, 0, "", "the last line does not end with a newline"));
    }
    String[] lines = text.isEmpty() ? new String[0] : text.split("\n", -1);
    int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
    if (count == 0) {
      problems.add(new DatasetProblem(source, 0, "", "no entries"));
    }
    if (count > MAX_ENTRIES) {
      problems.add(new DatasetProblem(source, 0, "", count + " entries, more than the limit of "
          + MAX_ENTRIES));
      return new Report(problems, List.of());
    }
    List<PromptEntry> entries = new ArrayList<>();
    Map<String, Integer> ids = new HashMap<>();
    Map<String, Integer> prompts = new HashMap<>();
    for (int i = 0; i < count; i++) {
      PromptEntry e = line(new LineContext(source, i + 1, problems), lines[i], ids, prompts);
      if (e != null) {
        entries.add(e);
      }
    }
    return new Report(problems, problems.isEmpty() ? entries : List.of());
  }

  /** Where a line's problems go. */
  private record LineContext(String source, int line, List<DatasetProblem> problems) {
    void add(String field, String message) {
      problems.add(new DatasetProblem(source, line, field, message));
    }
  }

  private PromptEntry line(LineContext at, String raw, Map<String, Integer> ids,
      Map<String, Integer> prompts) {
    int before = at.problems().size();
    if (raw.getBytes(StandardCharsets.UTF_8).length > MAX_LINE_BYTES) {
      at.add("", "line is longer than " + MAX_LINE_BYTES + " bytes");
      return null;
    }
    if (raw.indexOf('\r') >= 0) {
      at.add("", "carriage return: lines end with LF only");
      return null;
    }
    if (raw.isBlank()) {
      at.add("", "blank line");
      return null;
    }
    JsonNode node;
    try {
      node = mapper.readTree(raw);
    } catch (JsonProcessingException e) {
      at.add("", "not JSON: " + e.getOriginalMessage());
      return null;
    }
    if (!(node instanceof ObjectNode obj)) {
      at.add(
          "", "expected a JSON object, got " + node.getNodeType().name().toLowerCase(Locale.ROOT));
      return null;
    }
    for (Iterator<String> names = obj.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        at.add(name, "unknown field (allowed: " + FIELDS.stream().sorted().toList() + ")");
      }
    }
    String id = requiredText(at, obj, "id", 64);
    if (id != null && !ID.matcher(id).matches()) {
      at.add("id", "expected lower-case letters, digits and '-', starting with a letter or digit");
    }
    if (id != null && ids.putIfAbsent(id, at.line()) != null) {
      at.add("id", "duplicate of line " + ids.get(id));
    }
    String prompt = requiredText(at, obj, "prompt", MAX_TEXT_CHARS);
    if (prompt != null) {
      String key = prompt.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
      if (prompts.putIfAbsent(key, at.line()) != null) {
        at.add("prompt", "duplicate of line " + prompts.get(key));
      }
    }
    String style = optionalText(at, obj, "style", 32);
    if (style != null && !STYLE.matcher(style).matches()) {
      at.add("style", "expected lower-case letters and '-', at most 32");
    }
    optionalText(at, obj, "negative_prompt", MAX_TEXT_CHARS);
    long steps = integer(at, obj, "num_inference_steps", 1, 100, 50);
    number(at, obj, "guidance_scale", 0, 20);
    number(at, obj, "delta", 0, 1);
    integer(at, obj, "seed", 0, MAX_SEED, 0);
    for (String side : List.of("width", "height")) {
      long v = integer(at, obj, side, 64, 1024, 512);
      if (v % 8 != 0) {
        at.add(side, "expected a multiple of 8, got " + v);
      }
    }
    tIndexList(at, obj, steps);
    if (at.problems().size() > before) {
      return null;
    }
    ObjectNode params = obj.deepCopy();
    params.remove(List.of("id", "style"));
    return new PromptEntry(id, prompt, style, params);
  }

  private static String requiredText(LineContext at, ObjectNode obj, String field, int maxChars) {
    if (!obj.has(field)) {
      at.add(field, "missing");
      return null;
    }
    return optionalText(at, obj, field, maxChars);
  }

  private static String optionalText(LineContext at, ObjectNode obj, String field, int maxChars) {
    JsonNode v = obj.get(field);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      at.add(field, "expected a string, got " + v.getNodeType().name().toLowerCase(Locale.ROOT));
      return null;
    }
    String s = v.asText();
    if (s.isBlank()) {
      at.add(field, "empty");
      return null;
    }
    if (s.length() > maxChars) {
      at.add(field, s.length() + " characters, more than the limit of " + maxChars);
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (hidden(c)) {
        at.add(
            field, String.format("control or invisible character U+%04X at offset %d", (int) c, i));
        return null;
      }
    }
    if (MARKUP.matcher(s).find()) {
      at.add(field, "markup ('<' followed by a tag) is not allowed");
      return null;
    }
    return s;
  }

  /** Control characters, bidirectional overrides and zero-width characters: invisible, hostile. */
  static boolean hidden(char c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x200B && c <= 0x200F)
        || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
  }

  private static long integer(LineContext at, ObjectNode obj, String field, long min, long max,
      long fallback) {
    JsonNode v = obj.get(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
      at.add(field, "expected an integer " + min + ".." + max + ", got " + v);
      return fallback;
    }
    return v.asLong();
  }

  private static void number(LineContext at, ObjectNode obj, String field, double min, double max) {
    JsonNode v = obj.get(field);
    if (v != null && (!v.isNumber() || !(v.asDouble() >= min && v.asDouble() <= max))) {
      at.add(field, "expected a number " + min + ".." + max + ", got " + v);
    }
  }

  private static void tIndexList(LineContext at, ObjectNode obj, long steps) {
    JsonNode v = obj.get("t_index_list");
    if (v == null) {
      return;
    }
    if (!v.isArray() || v.isEmpty() || v.size() > 8) {
      at.add("t_index_list", "expected an array of 1 to 8 integers, got " + v);
      return;
    }
    long previous = -1;
    for (JsonNode t : v) {
      if (!t.isIntegralNumber() || t.asLong() <= previous || t.asLong() >= steps) {
        at.add("t_index_list", "expected strictly increasing integers 0.." + (steps - 1)
            + " (below num_inference_steps), got " + v);
        return;
      }
      previous = t.asLong();
    }
  }

  private static int lineOfInvalidUtf8(byte[] content) {
    var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    int line = 1;
    int start = 0;
    for (int i = 0; i <= content.length; i++) {
      if (i == content.length || content[i] == '\n') {
        try {
          decoder.decode(ByteBuffer.wrap(content, start, i - start));
        } catch (CharacterCodingException e) {
          return line;
        }
        line++;
        start = i + 1;
      }
    }
    return 0;
  }
}
