package dev.naap.store;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement failed, or the store could not run it. {@link #code()} is the ClickHouse error code
 * (0 when there is none, for example a network failure); the message holds ClickHouse's own text
 * followed by the SQL, truncated.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final Pattern CODE = Pattern.compile("Code: (\\d+)");
  /** How much of the SQL a message quotes. */
  static final int SQL_QUOTE_CHARS = 500;
  /** ClickHouse's code for a statement refused in readonly mode. */
  public static final int READONLY = 164;

  private final int code;
  private final String serverMessage;

  /** An error with ClickHouse {@code code}, ClickHouse's {@code serverMessage} and the SQL. */
  public StoreException(int code, String serverMessage, String sql) {
    this(code, serverMessage, sql, null);
  }

  /** As {@link #StoreException(int, String, String)}, with a cause. */
  public StoreException(int code, String serverMessage, String sql, Throwable cause) {
    super(format(serverMessage, sql), cause);
    this.code = code;
    this.serverMessage = serverMessage;
  }

  /** An error from ClickHouse text such as {@code "Code: 60. DB::Exception: ..."}. */
  static StoreException fromServerText(String text, String sql) {
    return new StoreException(codeOf(text), text.strip(), sql);
  }

  /** The {@code Code: N} in a ClickHouse error text, or 0. */
  static int codeOf(String text) {
    Matcher m = CODE.matcher(text);
    if (!m.find()) {
      return 0;
    }
    try {
      return Integer.parseInt(m.group(1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The ClickHouse error code, or 0 if unknown. */
  public int code() {
    return code;
  }

  /** ClickHouse's own error text (or ours, when ClickHouse was not reached), without the SQL. */
  public String serverMessage() {
    return serverMessage;
  }

  private static String format(String serverMessage, String sql) {
    if (sql == null || sql.isEmpty()) {
      return serverMessage;
    }
    String oneLine = sql.strip();
    if (oneLine.length() > SQL_QUOTE_CHARS) {
      oneLine = oneLine.substring(0, SQL_QUOTE_CHARS) + "... (" + sql.length() + " chars)";
    }
    return serverMessage + " [SQL: " + oneLine + "]";
  }
}
