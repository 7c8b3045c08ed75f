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
 * version alone; a different hash closes it at {@code now} and opens a new one from {@code now};
 * a key the source no longer lists is closed at {@code now}. Child rows of new versions are
 * inserted first and the version rows (new and closed) last, in one insert, so a visible version
 * always has its children. Closing re-inserts the row with {@code valid_to} set and a later
 * {@code written_at}; the tables are ReplacingMergeTree(written_at) and read with FINAL.
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

  /** One version to be: its content hash, its row, and its child rows by table. */
  record Version(String hash, ObjectNode row, Map<String, List<ObjectNode>> children) {}

  /** What {@link #apply} did. */
  record Result(int written, int closed, int unchanged) {}

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
    int written = 0;
    int closed = 0;
    int unchanged = 0;
    for (var e : current.entrySet()) {
      List<ObjectNode> previous = open.remove(e.getKey());
      Version v = e.getValue();
      if (previous != null && previous.size() == 1
          && v.hash().equals(previous.getFirst().path("content_hash").asText())) {
        unchanged++;
        continue;
      }
      if (previous != null) {
        for (ObjectNode p : previous) {
          versionRows.add(close(p, at));
          closed++;
        }
      }
      ObjectNode row = v.row().deepCopy();
      row.put("source", source);
      row.put(keyColumn, e.getKey());
      row.put("content_hash", v.hash());
      row.put("valid_from", at);
      row.putNull("valid_to");
      row.put("run_id", runId);
      row.put("written_at", at);
      versionRows.add(row);
      written++;
      v.children().forEach((childTable, rows) -> {
        for (ObjectNode c : rows) {
          ObjectNode child = c.deepCopy();
          child.put("source", source);
          child.put(keyColumn, e.getKey());
          child.put("valid_from", at);
          childRows.computeIfAbsent(childTable, t -> new ArrayList<>()).add(child);
        }
      });
    }
    for (List<ObjectNode> gone : open.values()) {
      for (ObjectNode p : gone) {
        versionRows.add(close(p, at));
        closed++;
      }
    }
    childRows.forEach((childTable, rows) -> insert(childTable, rows));
    insert(table, versionRows);
    return new Result(written, closed, unchanged);
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
