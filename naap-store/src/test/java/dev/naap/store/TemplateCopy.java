package dev.naap.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A migrated database, read once, that new test databases are copied from: every table, then the
 * rows of those that hold any, then every view and materialized view in dependency order, each
 * from its {@code create_table_query} with the template's name replaced. It takes about a third of
 * the CPU of applying every migration (docs/STORE.md, "Tests"); {@code TemplateCopyTest} checks
 * that the copy and a migrated database are alike, object by object. Thread-safe.
 */
final class TemplateCopy {
  private static final Set<String> VIEWS = Set.of("View", "MaterializedView");

  private final String template;
  private final Pattern templateName;
  /** The tables' create queries, in name order. */
  private final List<String> tables;
  /** Tables that hold rows in the template → their stored columns, in order. */
  private final Map<String, String> rows;
  /** The views and materialized views, each after whatever it reads. */
  private final List<String> views;

  private TemplateCopy(String template, List<String> tables, Map<String, String> rows,
      List<String> views) {
    this.template = template;
    this.templateName = names(template);
    this.tables = List.copyOf(tables);
    this.rows = Map.copyOf(rows);
    this.views = List.copyOf(views);
  }

  /**
   * Reads {@code template}'s database, which must be migrated and left alone from then on.
   *
   * @throws IllegalStateException when it holds an object that a copy could not reproduce: a
   *     table other than a MergeTree, a materialized view's inner table, or rows that a copy
   *     could merge otherwise ({@link #checkOrderFree})
   */
  static TemplateCopy of(Store template) {
    String db = template.database();
    List<String> columns = List.of("name", "engine", "create_table_query", "total_rows",
        "sorting_key", "engine_full");
    Rows objects = Rows.query(template, "SELECT " + String.join(", ", columns) + " FROM"
        + " system.tables WHERE database = currentDatabase() ORDER BY name", Map.of(), columns);
    Map<String, String> tables = new LinkedHashMap<>();
    Map<String, String> views = new LinkedHashMap<>();
    Map<String, String> rows = new LinkedHashMap<>();
    for (Rows.Row o : objects) {
      String name = o.string("name");
      String engine = o.string("engine");
      String create = o.string("create_table_query");
      if (name.startsWith(".inner")) {
        throw new IllegalStateException("materialized view inner table " + name + " in " + db
            + ": a copy would get a new one; give the view a TO table");
      }
      if (VIEWS.contains(engine)) {
        views.put(name, create);
        continue;
      }
      if (!engine.endsWith("MergeTree")) {
        throw new IllegalStateException(db + "." + name + " has engine " + engine
            + ", which TemplateCopy does not copy; extend it or migrate test databases");
      }
      tables.put(name, create);
      if (o.count("total_rows") > 0) {
        checkOrderFree(template, name, engine, o.string("engine_full"), o.string("sorting_key"));
        rows.put(name, storedColumns(template, name));
      }
    }
    List<String> ordered = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>(tables.keySet());
    Pattern refs = names(db);
    for (String view : views.keySet()) {
      addAfterDependencies(view, views, refs, done, new LinkedHashSet<>(), ordered);
    }
    return new TemplateCopy(db, List.copyOf(tables.values()), rows, ordered);
  }

  /**
   * Makes {@code database}, on {@code engine}'s engine, a copy of the template. The database must
   * not exist or be empty.
   */
  void copyTo(Store engine, String database) {
    String quoted = Identifiers.quote(database);
    engine.execute("CREATE DATABASE IF NOT EXISTS " + quoted + " ENGINE = Atomic");
    tables.forEach(sql -> engine.execute(rename(sql, database)));
    // Rows before the materialized views, so that no copied row triggers one; every row kept,
    // as the template's separate inserts kept them (one insert would merge them on insert).
    for (Map.Entry<String, String> t : rows.entrySet()) {
      engine.execute("INSERT INTO " + quoted + "." + Identifiers.quote(t.getKey()) + " ("
          + t.getValue() + ") SELECT " + t.getValue() + " FROM " + Identifiers.quote(template)
          + "." + Identifiers.quote(t.getKey())
          + " SETTINGS insert_allow_materialized_columns = 1, optimize_on_insert = 0");
    }
    views.forEach(sql -> engine.execute(rename(sql, database)));
  }

  /** {@code sql} with every name qualified by the template's database moved to {@code db}. */
  String rename(String sql, String db) {
    return templateName.matcher(sql).replaceAll(Matcher.quoteReplacement(Identifiers.quote(db))
        + ".");
  }

  /** {@code db.} or {@code `db`.} as it stands before a name in a create query. */
  private static Pattern names(String db) {
    return Pattern.compile("(?<![A-Za-z0-9_`])(?:" + Pattern.quote(db) + "|"
        + Pattern.quote(Identifiers.quote(db)) + ")\\.");
  }

  private static void addAfterDependencies(String view, Map<String, String> views, Pattern refs,
      Set<String> done, Set<String> visiting, List<String> out) {
    if (done.contains(view)) {
      return;
    }
    if (!visiting.add(view)) {
      throw new IllegalStateException("views that read each other: " + visiting);
    }
    String create = views.get(view);
    Matcher m = refs.matcher(create);
    Pattern name = Pattern.compile("`((?:[^`\\\\]|\\\\.)*)`|([A-Za-z0-9_]+)");
    while (m.find()) {
      Matcher n = name.matcher(create).region(m.end(), create.length());
      if (n.lookingAt()) {
        String dep = n.group(1) != null ? n.group(1).replaceAll("\\\\(.)", "$1") : n.group(2);
        if (!dep.equals(view) && views.containsKey(dep)) {
          addAfterDependencies(dep, views, refs, done, visiting, out);
        }
      }
    }
    visiting.remove(view);
    done.add(view);
    out.add(create);
  }

  /**
   * Fails when {@code table}'s rows could merge into other rows than the template's once copied:
   * two rows of one sorting key (and one version, for a ReplacingMergeTree that has one), which
   * merges and {@code FINAL} pick between, or combine, in insert order. A plain MergeTree keeps
   * every row.
   */
  private static void checkOrderFree(Store template, String table, String engine,
      String engineFull, String sortingKey) {
    if (engine.equals("MergeTree") || sortingKey.isEmpty()) {
      return;
    }
    String key = sortingKey;
    Matcher version = Pattern.compile("ReplacingMergeTree\\((\\w+)").matcher(engineFull);
    if (engine.equals("ReplacingMergeTree") && version.lookingAt()) {
      key += ", " + version.group(1);
    }
    String t = Identifiers.quote(table);
    String dup = template.queryText("SELECT count() - (SELECT count() FROM (SELECT DISTINCT "
        + key + " FROM " + t + ")) FROM " + t, Map.of()).strip();
    if (!dup.equals("0")) {
      throw new IllegalStateException(template.database() + "." + table + " holds " + dup
          + " rows whose (" + key + ") another row has; their order would not survive a copy");
    }
  }

  /** The stored columns of {@code table} (not ALIAS or EPHEMERAL), in order. */
  private static String storedColumns(Store template, String table) {
    return String.join(", ", template.queryText("SELECT name FROM system.columns"
        + " WHERE database = currentDatabase() AND table = {t:String}"
        + " AND default_kind NOT IN ('ALIAS', 'EPHEMERAL') ORDER BY position",
        Map.of("t", table)).lines().map(Identifiers::quote).toList());
  }
}
