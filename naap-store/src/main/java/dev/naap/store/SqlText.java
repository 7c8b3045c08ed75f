package dev.naap.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Just enough SQL lexing to find statement boundaries and the leading keyword: it knows quoted
 * strings and identifiers ({@code '...'}, {@code "..."}, {@code `...`}, with backslash escapes and
 * doubled quotes), {@code --} and {@code #} line comments and {@code /* *\/} block comments.
 */
final class SqlText {
  private SqlText() {}

  /** The first keyword, upper-cased, skipping comments, whitespace and opening parentheses. */
  static String firstKeyword(String sql) {
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (startsComment(sql, i)) {
        i = skipComment(sql, i);
      } else {
        break;
      }
    }
    int start = i;
    while (i < n && (Character.isLetter(sql.charAt(i)) || sql.charAt(i) == '_')) {
      i++;
    }
    return sql.substring(start, i).toUpperCase(Locale.ROOT);
  }

  /**
   * Whether the statement only reads: {@code SELECT} or {@code WITH} first (ClickHouse writes
   * with a query as {@code INSERT … SELECT} and {@code CREATE … AS SELECT}).
   */
  static boolean isRead(String sql) {
    String keyword = firstKeyword(sql);
    return keyword.equals("SELECT") || keyword.equals("WITH");
  }

  /** Splits a script into statements at {@code ;} outside quotes and comments; drops comments. */
  static List<String> split(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int i = 0;
    int n = script.length();
    while (i < n) {
      char c = script.charAt(i);
      if (startsComment(script, i)) {
        i = skipComment(script, i);
        cur.append(' ');
      } else if (c == '\'' || c == '"' || c == '`') {
        int end = skipQuoted(script, i);
        cur.append(script, i, end);
        i = end;
      } else if (c == ';') {
        addIfNotBlank(out, cur);
        cur.setLength(0);
        i++;
      } else {
        cur.append(c);
        i++;
      }
    }
    addIfNotBlank(out, cur);
    return out;
  }

  /** Whether {@code sql} holds more than one statement (a trailing {@code ;} is fine). */
  static boolean isMultiStatement(String sql) {
    return split(sql).size() > 1;
  }

  private static void addIfNotBlank(List<String> out, StringBuilder cur) {
    String s = cur.toString().strip();
    if (!s.isEmpty()) {
      out.add(s);
    }
  }

  private static boolean startsComment(String s, int i) {
    char c = s.charAt(i);
    if (c == '#') {
      return true;
    }
    if (i + 1 >= s.length()) {
      return false;
    }
    char d = s.charAt(i + 1);
    return (c == '-' && d == '-') || (c == '/' && d == '*');
  }

  private static int skipComment(String s, int i) {
    if (s.charAt(i) == '/') {
      int end = s.indexOf("*/", i + 2);
      return end < 0 ? s.length() : end + 2;
    }
    int end = s.indexOf('\n', i);
    return end < 0 ? s.length() : end + 1;
  }

  /** The index just past the quoted token that starts at {@code i}. */
  private static int skipQuoted(String s, int i) {
    char q = s.charAt(i);
    int j = i + 1;
    while (j < s.length()) {
      char c = s.charAt(j);
      if (c == '\\') {
        j += 2;
      } else if (c == q) {
        if (j + 1 < s.length() && s.charAt(j + 1) == q) {
          j += 2;
        } else {
          return j + 1;
        }
      } else {
        j++;
      }
    }
    return s.length();
  }
}
