package dev.naap.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The migrations for a ClickHouse cluster (docs/CLUSTER.md): each single-node statement rewritten
 * to run {@code ON CLUSTER}, with replicated engines. Thread-safe (stateless).
 *
 * <p>Layout: {@link #SHARDED} tables (the raw event log, by far the largest) are spread over the
 * shards as {@code NAME_local}, replicated within each shard, and read and written through a
 * {@code Distributed} table under the original name, sharded by event id so that every copy of
 * an event lands on one shard and {@code FINAL} stays exact. Every other table (the per-family
 * tables the sessions are computed from, the rollups, the refresh state and lease) is replicated
 * to every node, unsharded: the refresh reads and writes one complete copy, and the rollups'
 * versions replace each other as on a single node. Replica paths use {@code {uuid}}, so that
 * {@code CREATE OR REPLACE TABLE} gets a fresh path.
 *
 * <p>Statements other than DDL (the migrations' few {@code INSERT}s) are left as they are: they
 * run on one node and replicate.
 */
public final class ClusterDdl {

  /** Sharded tables and their sharding keys. */
  static final Map<String, String> SHARDED = Map.of("raw_events", "cityHash64(event_id)");

  private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9_]{1,100}");
  private static final String NAME = "(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)";
  /** Leading comments and blank lines, kept as they are. */
  private static final String LEAD = "((?:\\s*--[^\\n]*\\n)*\\s*)";
  private static final Pattern CREATE_TABLE = Pattern.compile(
      "(?is)^" + LEAD + "(CREATE\\s+(?:OR\\s+REPLACE\\s+)?TABLE\\s+"
          + "(?:IF\\s+NOT\\s+EXISTS\\s+)?)" + NAME);
  private static final Pattern CREATE_VIEW = Pattern.compile(
      "(?is)^" + LEAD + "(CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:MATERIALIZED\\s+)?VIEW\\s+"
          + "(?:IF\\s+NOT\\s+EXISTS\\s+)?)" + NAME);
  private static final Pattern DROP = Pattern.compile(
      "(?is)^" + LEAD + "(DROP\\s+(?:TABLE|VIEW)\\s+(?:IF\\s+EXISTS\\s+)?)" + NAME);
  private static final Pattern ALTER =
      Pattern.compile("(?is)^" + LEAD + "(ALTER\\s+TABLE\\s+)" + NAME);
  private static final Pattern ENGINE = Pattern.compile(
      "(?is)ENGINE\\s*=\\s*([A-Za-z]*MergeTree)(?:\\s*\\(([^()]*)\\))?");
  private static final Pattern ADDS_COLUMNS = Pattern.compile("(?is)\\bADD\\s+COLUMN\\b");

  private ClusterDdl() {}

  /**
   * The statements that do on {@code cluster} what {@code statement} does on one node: one, or
   * two for a sharded table (its local table, then its Distributed table).
   *
   * @throws IllegalArgumentException when the cluster name is not a plain identifier
   */
  public static List<String> rewrite(String statement, String cluster) {
    if (!CLUSTER_NAME.matcher(cluster).matches()) {
      throw new IllegalArgumentException("cluster name '" + cluster
          + "': use 1 to 100 of A-Z a-z 0-9 _");
    }
    String on = " ON CLUSTER " + cluster;
    Matcher m = CREATE_TABLE.matcher(statement);
    if (m.find()) {
      String table = unquote(m.group(3));
      String key = SHARDED.get(table);
      String local = key == null ? table : table + "_local";
      String created = m.group(1) + m.group(2) + (key == null ? m.group(3) : local) + on
          + replicated(statement.substring(m.end()), key == null ? "all" : "{shard}");
      if (key == null) {
        return List.of(created);
      }
      String distributed = m.group(2).replaceFirst("(?i)OR\\s+REPLACE\\s+", "")
          + table + on + " AS " + local + " ENGINE = Distributed(" + cluster
          + ", currentDatabase(), " + local + ", " + key + ")";
      return List.of(created, distributed);
    }
    for (Pattern p : List.of(CREATE_VIEW, DROP)) {
      m = p.matcher(statement);
      if (m.find()) {
        return List.of(m.group(1) + m.group(2) + m.group(3) + on + statement.substring(m.end()));
      }
    }
    m = ALTER.matcher(statement);
    if (m.find()) {
      String table = unquote(m.group(3));
      String rest = statement.substring(m.end());
      if (!SHARDED.containsKey(table)) {
        return List.of(m.group(1) + m.group(2) + m.group(3) + on + rest);
      }
      List<String> out = new ArrayList<>();
      out.add(m.group(1) + m.group(2) + table + "_local" + on + rest);
      if (ADDS_COLUMNS.matcher(rest).find()) {
        out.add(m.group(2) + table + on + rest); // the Distributed table's columns too
      }
      return out;
    }
    return List.of(statement);
  }

  /** The rest of a CREATE TABLE with its MergeTree engine made Replicated. */
  private static String replicated(String rest, String shard) {
    Matcher e = ENGINE.matcher(rest);
    if (!e.find()) {
      return rest; // no MergeTree (a table AS another, or another engine): as it is
    }
    String args = "'/clickhouse/tables/{uuid}/" + shard + "', '{replica}'"
        + (e.group(2) == null || e.group(2).isBlank() ? "" : ", " + e.group(2).strip());
    return rest.substring(0, e.start()) + "ENGINE = Replicated" + e.group(1) + "(" + args + ")"
        + rest.substring(e.end());
  }

  private static String unquote(String name) {
    return name.startsWith("`") ? name.substring(1, name.length() - 1) : name;
  }
}
