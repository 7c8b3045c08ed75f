package dev.naap.store.http;

import dev.naap.store.Store;
import dev.naap.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a read-only statement may not do although the engine's {@code readonly = 1} lets it. The
 * engine is chDB, ClickHouse in local mode with one user: {@code INTO OUTFILE} is written by its
 * client layer, outside {@code readonly}; the function {@code file()} reads any file the process
 * can; {@code DESCRIBE} of a table function (a file, a URL) runs it; and {@code KILL QUERY} stops
 * any statement, the ingest's and the API's included. So each statement is first parsed by the
 * engine itself, with the same parser that will run it (escapes, comments and quoting cannot hide
 * a name): {@code formatQuerySingleLine} gives its canonical text and {@code EXPLAIN AST} its
 * syntax tree. It is refused unless it is a read by its first keyword ({@link #KINDS}) and by its
 * tree's root ({@link #READS}, with no other statement below it: {@code SELECT 1 PARALLEL WITH
 * KILL QUERY …} starts with SELECT), writes no file, calls neither {@code file} nor a table
 * function other than the generators in {@link #TABLE_FUNCTIONS}, and names no path (the
 * engine's {@code default} database maps names to files, so it names nothing there either, and
 * calls no function that looks a table up by a value, {@link #NAME_LOOKUPS}).
 * What a statement's text may do does not depend on its parameters' values, but for an {@code
 * Identifier} parameter, which is a name (a path: {@code default.{t:Identifier}}); so the texts
 * without one that passed are remembered (by their SHA-256, the last {@link #REMEMBERED}): a client
 * sending the same statements, as an API instance does, pays the two parses once. Thread-safe.
 */
final class ReadOnlyScreen {

  /** The statements a read-only request may run, by their first keyword. */
  static final Set<String> KINDS =
      Set.of("SELECT", "WITH", "SHOW", "DESC", "DESCRIBE", "EXISTS", "EXPLAIN");
  /** Table functions that make rows from their arguments or read this engine's own tables. */
  static final Set<String> TABLE_FUNCTIONS = Set.of("numbers", "numbers_mt", "zeros", "zeros_mt",
      "generate_series", "generateseries", "primes", "values", "sqlstandardvalues", "format",
      "null", "view", "merge", "loop", "generaterandom");
  /**
   * Functions that look a table or dictionary up by a name given as a value, which no name check
   * sees ({@code concat} can build it): {@code joinGet('default./etc/passwd', …)} attaches the
   * file to the engine's {@code default} database for any later statement to read (measured),
   * {@code hasColumnInTable} tells whether a file exists.
   */
  private static final Pattern NAME_LOOKUPS =
      Pattern.compile("hascolumnintable|joinget.*|dict.*");
  /**
   * Functions that only wait: a read has no use for them, and they hold one of the endpoint's
   * engine connections up to the statement's time limit at no cost to the client.
   */
  private static final Set<String> WAITS = Set.of("sleep", "sleepeachrow");
  /**
   * {@code system.models}: reading it makes the engine start its library bridge, which chDB does
   * not ship; the start fails after about 10 s, holding an engine connection (code 302, measured).
   */
  private static final String BRIDGE_DATABASE = "system";
  private static final String BRIDGE_TABLE = "models";
  /** A database name as {@code merge} may give it: a plain string literal. */
  private static final Pattern PLAIN_NAME = Pattern.compile("Literal '([A-Za-z0-9_]+)'");
  private static final Pattern CHILDREN = Pattern.compile("\\(children (\\d+)\\)");
  /**
   * The engine's {@code default} database, which maps names to files (relative ones to the
   * process's directory: {@code EXISTS DICTIONARY default.`naap`} attaches the launcher script).
   */
  static final String FILE_DATABASE = "default";
  /** A node naming a database or table of {@link #FILE_DATABASE}. */
  private static final Pattern FILE_DATABASE_NAME =
      Pattern.compile("(?:^|\\s)" + FILE_DATABASE + "(?:\\.|\\s|$)");
  /** A query parameter that is a name: its value changes what the statement reads. */
  private static final Pattern IDENTIFIER_PARAMETER =
      Pattern.compile("(?i)\\{[^{}]*:\\s*Identifier\\s*}");
  private static final String CANONICAL = "SELECT formatQuerySingleLine({naap_statement:String})";
  private static final Pattern FILE_CLAUSE = Pattern.compile("\\b(INTO OUTFILE|FROM INFILE)\\b");
  /** Statements, by the type of their syntax tree's root, that read and nothing else. */
  static final Set<String> READS = Set.of("SelectWithUnionQuery", "Explain", "DescribeQuery",
      "ExistsTableQuery", "ExistsDatabaseQuery", "ExistsViewQuery", "ExistsDictionaryQuery",
      "ShowTables", "ShowColumns", "ShowFunctions", "ShowEngineQuery", "ShowProcesslistQuery",
      "ShowCreateTableQuery", "ShowCreateViewQuery", "ShowCreateDatabaseQuery",
      "ShowCreateDictionaryQuery");
  /**
   * The nodes named "…Query" a read may hold below its root: queries and their tables, never a
   * statement such as DDL or KILL. An unknown one is refused.
   */
  private static final Set<String> NESTED = Set.of("SelectWithUnionQuery", "SelectQuery",
      "SelectIntersectExceptQuery", "TablesInSelectQuery");
  /** A node of {@code EXPLAIN AST}: its type, and for functions their name. */
  private static final Pattern NODE = Pattern.compile("[ \\t]*(\\S+)(?: (\\S+))?.*");
  static final int REMEMBERED = 4_096;

  /** Every table function the engine has, lower-cased; read once. */
  private volatile Set<String> engineTableFunctions;
  private final Set<String> passed = Collections.newSetFromMap(Collections.synchronizedMap(
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > REMEMBERED;
        }
      }));

  /**
   * Refuses {@code sql} as above, with ClickHouse's code 164 (not a read) or 497 (access denied).
   *
   * @param params the statement's query parameters, which its parse may need
   * @throws StoreException what the engine says of a statement it cannot parse, or a refusal
   */
  void check(Store store, String sql, Map<String, ?> params) {
    if (store.database().equals(FILE_DATABASE)) {
      throw denied("the database " + FILE_DATABASE + " (it maps names to files)");
    }
    // What a text may read depends on the database it runs in (models in system).
    String digest = sha256(store.database() + "\n" + sql);
    if (passed.contains(digest)) {
      return;
    }
    String canonical = text(store.query(CANONICAL, Map.of("naap_statement", sql),
        "TabSeparatedRaw")).strip();
    String kind = RequestHandler.firstKeyword(canonical);
    if (!KINDS.contains(kind)) {
      throw new StoreException(StoreException.READONLY, "Code: 164. DB::Exception: Cannot"
          + " execute query in readonly mode: only SELECT, WITH, SHOW, DESCRIBE, EXISTS and"
          + " EXPLAIN run here, not " + (kind.isEmpty() ? "this statement" : kind)
          + ". (READONLY)", null);
    }
    Matcher clause = FILE_CLAUSE.matcher(canonical);
    if (clause.find()) {
      throw denied(clause.group(1) + " (a file of the server)");
    }
    String tree = text(store.query("EXPLAIN AST " + canonical, params, "TabSeparatedRaw"));
    Set<String> tableFunctions = tableFunctions(store);
    boolean inSystem = store.database().equalsIgnoreCase(BRIDGE_DATABASE);
    List<String> lines = tree.lines().toList();
    boolean root = true;
    for (int line = 0; line < lines.size(); line++) {
      Matcher node = NODE.matcher(lines.get(line));
      if (!node.matches()) {
        continue;
      }
      String type = node.group(1);
      if (root ? !READS.contains(type) : type.endsWith("Query") && !NESTED.contains(type)) {
        // PARALLEL WITH runs its other statements without readonly's checks (measured: KILL,
        // CREATE TABLE, CREATE DICTIONARY); a read holds none.
        throw new StoreException(StoreException.READONLY, "Code: 164. DB::Exception: Cannot"
            + " execute query in readonly mode: a " + type + " is not a read. (READONLY)", null);
      }
      root = false;
      if (!type.equals("Literal") && node.group().contains("/")) {
        // The engine's default database maps names to files: EXISTS TABLE default.`/etc/x`.
        throw denied("a file path as a name");
      }
      if (!type.equals("Literal") && FILE_DATABASE_NAME.matcher(node.group()).find()) {
        throw denied("a name in the database " + FILE_DATABASE + " (it maps names to files)");
      }
      String name = type.startsWith("Function") && node.group(2) != null
          ? node.group(2).toLowerCase(Locale.ROOT) : "";
      if (name.equals("file") || NAME_LOOKUPS.matcher(name).matches()
          || (tableFunctions.contains(name) && !TABLE_FUNCTIONS.contains(name))) {
        throw denied("the function " + node.group(2));
      }
      if (WAITS.contains(name)) {
        throw refused("the function " + node.group(2) + " (it holds an engine connection"
            + " doing nothing)");
      }
      if (type.endsWith("Identifier") && node.group(2) != null
          && bridgeTable(node.group(2), inSystem)) {
        throw refused("the table " + BRIDGE_DATABASE + "." + BRIDGE_TABLE + " (reading it starts"
            + " the engine's library bridge, which this build lacks)");
      }
      if (name.equals("merge") && mayMergeBridgeTable(lines, line, inSystem)) {
        throw refused("merge() over the database " + BRIDGE_DATABASE + " or a database given"
            + " other than by a plain name (it can read " + BRIDGE_DATABASE + "."
            + BRIDGE_TABLE + ")");
      }
    }
    if (!IDENTIFIER_PARAMETER.matcher(canonical).find()) {
      // A name parameter's value is checked above, in the tree: each value needs its own check.
      passed.add(digest);
    }
  }

  /** Whether the table or column {@code name} may be {@code system.models}. */
  private static boolean bridgeTable(String name, boolean inSystem) {
    return name.equalsIgnoreCase(BRIDGE_DATABASE + "." + BRIDGE_TABLE)
        || (inSystem && name.equalsIgnoreCase(BRIDGE_TABLE));
  }

  /**
   * Whether the {@code merge} at {@code lines[at]} may read {@code system.models}: its database
   * (the first of its two arguments, or the current one) is {@code system}, or is not a plain
   * name (a {@code REGEXP} or any expression can match {@code system}).
   */
  private static boolean mayMergeBridgeTable(List<String> lines, int at, boolean inSystem) {
    if (at + 2 >= lines.size()) {
      return true;
    }
    Matcher args = CHILDREN.matcher(lines.get(at + 1));
    if (!args.find()) {
      return true;
    }
    if (args.group(1).equals("1")) {
      return inSystem;
    }
    Matcher database = PLAIN_NAME.matcher(lines.get(at + 2).strip());
    return !database.matches() || database.group(1).equalsIgnoreCase(BRIDGE_DATABASE);
  }

  private static StoreException refused(String what) {
    return new StoreException(497, "Code: 497. DB::Exception: " + what + " is not allowed on"
        + " this read-only endpoint. (ACCESS_DENIED)", null);
  }

  private Set<String> tableFunctions(Store store) {
    Set<String> names = engineTableFunctions;
    if (names == null) {
      names = text(store.query("SELECT name FROM system.table_functions", Map.of(),
          "TabSeparatedRaw")).lines().map(n -> n.toLowerCase(Locale.ROOT))
          .collect(Collectors.toUnmodifiableSet());
      engineTableFunctions = names;
    }
    return names;
  }

  private static StoreException denied(String what) {
    return new StoreException(497, "Code: 497. DB::Exception: " + what + " is not allowed on this"
        + " read-only endpoint: it reaches outside the engine's tables. (ACCESS_DENIED)", null);
  }

  private static String sha256(String sql) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(sql.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
