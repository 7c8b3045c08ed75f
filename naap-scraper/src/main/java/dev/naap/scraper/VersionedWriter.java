package dev.naap.scraper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.naap.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one source's snapshot into a time-versioned table (valid_from / valid_to).
 *
 * <p>The open versions of the source are read back from the store (the store, not memory, is the
 * truth, so a restart changes nothing). Then, per key: the same content hash leaves the open
 * version alone; the same identity hash with other content (only what changes with use, such as
 * capacity in use, differs) rewrites the open version in place, same {@code valid_from}, so
 * versions do not pile up as a busy network's load moves (its readings keep that history); a
 * different identity closes the open version at {@code now} and opens a new one from {@code now};
 * a key the source no longer lists is closed at {@code now}. Readings and child rows are inserted
 * first and the version rows last, in one insert, so a visible version always has its children.
 * Closing or rewriting re-inserts the row with a later {@code written_at}; the tables are
 * ReplacingMergeTree(written_at) (children: ReplacingMergeTree on the version's key, the last
 * insert wins) and read with FINAL.
 *
 * <p>Thread-safe if each source is written by one thread at a time.
 */
final class VersionedWriter {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private final Store store;

  VersionedWriter(Store store) {
    this.store = store;
  }

  /**
   * One version to be: its content hash, its identity hash (equal to the content hash where
   * nothing changes with use), its row, its child rows by table, and its readings by table: rows
   * of what changes with use, stamped {@code observed_at} and written whenever the content changed,
   * so the history of the readings is kept although the version is rewritten in place.
   */
  record Version(String hash, String identity, ObjectNode row,
      Map<String, List<ObjectNode>> children, Map<String, List<ObjectNode>> readings) {}

  /** What {@link #apply} did: versions opened, closed, rewritten in place, left alone. */
  record Result(int written, int closed, int updated, int unchanged) {}

  /**
   * Applies {@code current} (key → version) as the state of {@code source} at {@code now} in
   * {@code table}, whose key column is {@code keyColumn}.
   */
  Result apply(String table, String keyColumn, String source, String runId,
      Map<String, Version> current, Instant now) {
    String at = format(now);
    Map<String, List<ObjectNode>> open = openVersions(table, keyColumn, source);
    List<ObjectNode> versionRows = new ArrayList<>();
    Map<String, List<ObjectNode>> childRows = new LinkedHashMap<>();
    Map<String, List<ObjectNode>> readingRows = new LinkedHashMap<>();
    int written = 0;
    int closed = 0;
    int updated = 0;
    int unchanged = 0;
    for (var e : current.entrySet()) {
      List<ObjectNode> previous = open.remove(e.getKey());
      Version v = e.getValue();
      ObjectNode only = previous != null && previous.size() == 1 ? previous.getFirst() : null;
      if (only != null && v.hash().equals(only.path("content_hash").asText())) {
        unchanged++;
        continue;
      }
      String validFrom;
      String openedBy;
      if (only != null && v.identity().equals(identity(only))) {
        validFrom = only.path("valid_from").asText();
        openedBy = only.path("run_id").asText();
        updated++;
      } else {
        if (previous != null) {
          for (ObjectNode p : previous) {
            versionRows.add(close(p, at));
            closed++;
          }
        }
        validFrom = at;
        openedBy = runId;
        written++;
      }
      ObjectNode row = v.row().deepCopy();
      row.put("source", source);
      row.put(keyColumn, e.getKey());
      row.put("content_hash", v.hash());
      row.put("identity_hash", v.identity());
      row.put("valid_from", validFrom);
      row.putNull("valid_to");
      row.put("run_id", openedBy);
      row.put("written_at", at);
      versionRows.add(row);
      ObjectNode owner = MAPPER.createObjectNode().put("source", source).put(keyColumn, e.getKey());
      addStamped(v.children(), owner.deepCopy().put("valid_from", validFrom), childRows);
      addStamped(v.readings(), owner.deepCopy().put("observed_at", at), readingRows);
    }
    for (List<ObjectNode> gone : open.values()) {
      for (ObjectNode p : gone) {
        versionRows.add(close(p, at));
        closed++;
      }
    }
    readingRows.forEach((readingTable, rows) -> insert(readingTable, rows));
    childRows.forEach((childTable, rows) -> insert(childTable, rows));
    insert(table, versionRows);
    return new Result(written, closed, updated, unchanged);
  }

  /** Adds copies of {@code rows} (by table) to {@code into}, with the fields of {@code stamp}. */
  private static void addStamped(Map<String, List<ObjectNode>> rows, ObjectNode stamp,
      Map<String, List<ObjectNode>> into) {
    rows.forEach((table, tableRows) -> {
      for (ObjectNode r : tableRows) {
        into.computeIfAbsent(table, t -> new ArrayList<>()).add(r.deepCopy().setAll(stamp));
      }
    });
  }

  /** An open version's identity hash; a version written before V154 has none but its content's. */
  private static String identity(ObjectNode open) {
    String identity = open.path("identity_hash").asText();
    return identity.isEmpty() ? open.path("content_hash").asText() : identity;
  }

  private static ObjectNode close(ObjectNode open, String at) {
    ObjectNode row = open.deepCopy();
    row.put("valid_to", at);
    row.put("written_at", at);
    return row;
  }

  private Map<String, List<ObjectNode>> openVersions(String table, String keyColumn,
      String source) {
    byte[] rows = store.query("SELECT * FROM " + table + " FINAL WHERE source = {source:String}"
        + " AND valid_to IS NULL ORDER BY valid_from", Map.of("source", source), "JSONEachRow");
    Map<String, List<ObjectNode>> open = new HashMap<>();
    for (String line : new String(rows, StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode row = MAPPER.readTree(line);
        open.computeIfAbsent(row.path(keyColumn).asText(), k -> new ArrayList<>())
            .add((ObjectNode) row);
      } catch (IOException e) {
        throw new UncheckedIOException("unreadable row from " + table, e);
      }
    }
    return open;
  }

  private void insert(String table, List<ObjectNode> rows) {
    if (rows.isEmpty()) {
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (ObjectNode row : rows) {
        out.write(MAPPER.writeValueAsBytes(row));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    store.insert("INSERT INTO " + table + " FORMAT JSONEachRow", out.toByteArray());
  }

  static String format(Instant t) {
    return TIME.format(t);
  }
}
