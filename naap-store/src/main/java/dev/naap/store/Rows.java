package dev.naap.store;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A statement's result read by column name: the one decoder of query results. The statement runs
 * in {@value #FORMAT}, and the names in its header must be exactly the ones the caller expects, in
 * order — a statement and the catalogue that describes it cannot drift apart unnoticed.
 *
 * <p>Fields are decoded as ClickHouse writes them: {@code \N} is null, strings are unescaped,
 * {@code nan} and {@code inf} (which no query should produce) are null rather than a number that
 * looks measured. Immutable and thread-safe.
 */
public final class Rows implements Iterable<Rows.Row> {

  /** The output format the decoder reads. */
  public static final String FORMAT = "TSVWithNames";

  private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .toFormatter();

  private final List<String> names;
  private final Map<String, Integer> index;
  private final List<Row> rows;

  private Rows(List<String> names, List<String[]> fields) {
    this.names = List.copyOf(names);
    Map<String, Integer> byName = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      byName.put(names.get(i), i);
    }
    this.index = Map.copyOf(byName);
    List<Row> decoded = new ArrayList<>(fields.size());
    fields.forEach(f -> decoded.add(new Row(f)));
    this.rows = Collections.unmodifiableList(decoded);
  }

  /**
   * Runs {@code sql} and reads its result.
   *
   * @param expected the column names the statement must return, in order
   * @throws IllegalStateException when it returns other columns
   */
  public static Rows query(Store store, String sql, Map<String, ?> params, List<String> expected) {
    return parse(new String(store.query(sql, params, FORMAT), StandardCharsets.UTF_8), expected);
  }

  /**
   * Reads a {@value #FORMAT} result. An empty text (a result without even a header) has no rows.
   *
   * @throws IllegalStateException when the header is not {@code expected} or a row has another
   *     number of fields
   */
  public static Rows parse(String text, List<String> expected) {
    if (text.isEmpty()) {
      return new Rows(expected, List.of());
    }
    String[] lines = text.split("\n");
    List<String> header = new ArrayList<>();
    for (String name : lines[0].split("\t", -1)) {
      header.add(unescape(name));
    }
    if (!header.equals(expected)) {
      throw new IllegalStateException("the statement returns columns " + header
          + ", the caller expects " + expected);
    }
    List<String[]> fields = new ArrayList<>(lines.length - 1);
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        continue;
      }
      String[] f = lines[i].split("\t", -1);
      if (f.length != header.size()) {
        throw new IllegalStateException("expected " + header.size() + " fields, got " + f.length
            + ": " + lines[i]);
      }
      fields.add(f);
    }
    return new Rows(header, fields);
  }

  /** The column names, in order. */
  public List<String> names() {
    return names;
  }

  /** The rows, in the statement's order. */
  public List<Row> list() {
    return rows;
  }

  public int size() {
    return rows.size();
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /**
   * The only row of a statement that returns exactly one (an aggregate without GROUP BY).
   *
   * @throws IllegalStateException when it returned another number
   */
  public Row single() {
    if (rows.size() != 1) {
      throw new IllegalStateException("expected one row, got " + rows.size());
    }
    return rows.getFirst();
  }

  @Override
  public Iterator<Row> iterator() {
    return rows.iterator();
  }

  /** One row: its fields by column name; an unknown name is a bug and throws. */
  public final class Row {
    private final String[] fields;

    private Row(String[] fields) {
      this.fields = fields;
    }

    /** The raw field, null for {@code \N}. */
    private String field(String name) {
      Integer i = index.get(name);
      if (i == null) {
        throw new IllegalArgumentException("no column " + name + " in " + names);
      }
      String f = fields[i];
      return f.equals("\\N") ? null : f;
    }

    /** The string, unescaped; null for NULL. */
    public String string(String name) {
      String f = field(name);
      return f == null ? null : unescape(f);
    }

    /** The integer; null for NULL. */
    public Long integer(String name) {
      String f = field(name);
      return f == null ? null : Long.parseLong(f);
    }

    /** The integer, 0 for NULL: for counts. */
    public long count(String name) {
      Long n = integer(name);
      return n == null ? 0 : n;
    }

    /** The number; null for NULL, NaN and infinities. */
    public Double decimal(String name) {
      String f = field(name);
      return f == null ? null : switch (f) {
        case "nan", "-nan", "inf", "-inf", "+inf" -> null;
        default -> Double.parseDouble(f);
      };
    }

    /** The boolean ({@code true}/{@code 1}); null for NULL. */
    public Boolean bool(String name) {
      String f = field(name);
      return f == null ? null : f.equals("true") || f.equals("1");
    }

    /**
     * The instant: epoch seconds (a fraction allowed), or a {@code DateTime}/{@code DateTime64}
     * as text, which must be of a UTC column; null for NULL.
     */
    public Instant instant(String name) {
      String f = field(name);
      if (f == null) {
        return null;
      }
      if (!f.isEmpty() && (Character.isDigit(f.charAt(0)) || f.charAt(0) == '-')
          && f.indexOf(' ') < 0) {
        BigDecimal seconds = new BigDecimal(f);
        long whole = seconds.setScale(0, RoundingMode.FLOOR).longValueExact();
        long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
        return Instant.ofEpochSecond(whole, nanos);
      }
      try {
        return LocalDateTime.parse(f, DATE_TIME).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw new IllegalStateException("column " + name + ": not a time: " + f, e);
      }
    }
  }

  private static String unescape(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder b = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c != '\\' || i + 1 == field.length()) {
        b.append(c);
        continue;
      }
      char next = field.charAt(++i);
      b.append(switch (next) {
        case 't' -> '\t';
        case 'n' -> '\n';
        case 'r' -> '\r';
        case '0' -> '\0';
        case 'b' -> '\b';
        case 'f' -> '\f';
        default -> next;
      });
    }
    return b.toString();
  }
}
