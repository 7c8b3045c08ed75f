package dev.naap.loadtest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The dataset manifest ({@code datasets.json}): one entry per dataset, and the check that a file
 * is exactly what its entry describes. Thread-safe.
 */
public final class DatasetManifest {
  /** Licences a contribution may carry: permissive, so the datasets can ship with NaaP. */
  public static final Set<String> LICENCES = Set.of("CC0-1.0", "CC-BY-4.0", "MIT", "Apache-2.0");

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,58}-v[1-9][0-9]*");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private DatasetManifest() {}

  /**
   * The entries of the manifest {@code json} (called {@code source}); problems go to {@code
   * problems}.
   */
  public static List<DatasetInfo> read(String source, byte[] json, List<DatasetProblem> problems) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      problems.add(
          new DatasetProblem(
              source, 0, "", "not JSON: " + e.getMessage().lines().findFirst().orElse("")));
      return List.of();
    }
    JsonNode list = root == null ? null : root.get("datasets");
    if (list == null || !list.isArray()) {
      problems.add(new DatasetProblem(source, 0, "datasets", "expected an array of datasets"));
      return List.of();
    }
    List<DatasetInfo> infos = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      int before = problems.size();
      JsonNode d = list.get(i);
      String at = "datasets[" + i + "].";
      String id = text(source, d, at, "id", problems);
      int version = d.path("version").isInt() ? d.get("version").asInt() : 0;
      if (version < 1) {
        problems.add(new DatasetProblem(source, 0, at + "version", "expected an integer >= 1"));
      }
      if (id != null && !ID.matcher(id).matches()) {
        problems.add(
            new DatasetProblem(
                source, 0, at + "id", "expected NAME-vN in lower case, got '" + id + "'"));
      } else if (id != null && version >= 1 && !id.endsWith("-v" + version)) {
        problems.add(
            new DatasetProblem(
                source, 0, at + "id", "'" + id + "' does not end with -v" + version));
      }
      if (id != null && !ids.add(id)) {
        problems.add(new DatasetProblem(source, 0, at + "id", "duplicate dataset id '" + id + "'"));
      }
      String description = text(source, d, at, "description", problems);
      String licence = text(source, d, at, "licence", problems);
      if (licence != null && !LICENCES.contains(licence)) {
        problems.add(
            new DatasetProblem(
                source, 0, at + "licence", "'" + licence + "' is not one of " + LICENCES));
      }
      String file = text(source, d, at, "file", problems);
      if (id != null && file != null && !file.equals(id + ".jsonl")) {
        problems.add(
            new DatasetProblem(
                source, 0, at + "file", "expected '" + id + ".jsonl', got '" + file + "'"));
      }
      String sha = text(source, d, at, "sha256", problems);
      if (sha != null && !SHA256.matcher(sha).matches()) {
        problems.add(
            new DatasetProblem(source, 0, at + "sha256", "expected 64 lower-case hex digits"));
      }
      long entries = d.path("entries").asLong(-1);
      long bytes = d.path("bytes").asLong(-1);
      if (!d.path("entries").isIntegralNumber() || entries < 1) {
        problems.add(new DatasetProblem(source, 0, at + "entries", "expected an integer >= 1"));
      }
      if (!d.path("bytes").isIntegralNumber() || bytes < 1) {
        problems.add(new DatasetProblem(source, 0, at + "bytes", "expected an integer >= 1"));
      }
      if (problems.size() == before) {
        infos.add(
            new DatasetInfo(id, version, description, licence, file, (int) entries, bytes, sha));
      }
    }
    return infos;
  }

  /**
   * Checks that {@code content} is the file {@code info} describes (size, SHA-256, entry count)
   * and that every line is valid; returns the entries when it is.
   */
  public static DatasetValidator.Report check(DatasetInfo info, byte[] content,
      DatasetValidator validator) {
    DatasetValidator.Report lines = validator.lines(info.file(), content);
    List<DatasetProblem> problems = new ArrayList<>();
    if (content.length != info.bytes()) {
      problems.add(new DatasetProblem(info.file(), 0, "bytes", "the manifest says " + info.bytes()
          + ", the file has " + content.length));
    }
    String actual = sha256(content);
    if (!actual.equals(info.sha256())) {
      problems.add(new DatasetProblem(info.file(), 0, "sha256", "the manifest says " + info.sha256()
          + ", the file has " + actual));
    }
    if (lines.ok() && lines.entries().size() != info.entries()) {
      problems.add(new DatasetProblem(info.file(), 0, "entries", "the manifest says "
          + info.entries() + ", the file has " + lines.entries().size()));
    }
    problems.addAll(lines.problems());
    return new DatasetValidator.Report(problems, problems.isEmpty() ? lines.entries() : List.of());
  }

  /**
   * Every problem of the manifest file {@code manifest} and of each dataset file it lists (next to
   * it): what {@code naap loadtest validate datasets.json} reports.
   */
  public static List<DatasetProblem> validate(java.nio.file.Path manifest) throws IOException {
    List<DatasetProblem> problems = new ArrayList<>();
    String name = manifest.getFileName().toString();
    List<DatasetInfo> infos = read(name, java.nio.file.Files.readAllBytes(manifest), problems);
    DatasetValidator validator = new DatasetValidator();
    for (DatasetInfo info : infos) {
      java.nio.file.Path file = manifest.toAbsolutePath().resolveSibling(info.file());
      if (!java.nio.file.Files.isRegularFile(file)) {
        problems.add(new DatasetProblem(name, 0, "file", "no such file " + file));
        continue;
      }
      problems.addAll(check(info, java.nio.file.Files.readAllBytes(file), validator).problems());
    }
    return problems;
  }

  /** Lower-case hex SHA-256 of {@code content}. */
  public static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String text(String source, JsonNode d, String at, String field,
      List<DatasetProblem> problems) {
    JsonNode v = d.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      problems.add(new DatasetProblem(source, 0, at + field, "expected a non-empty string"));
      return null;
    }
    for (char c : v.asText().toCharArray()) {
      if (DatasetValidator.hidden(c)) {
        problems.add(new DatasetProblem(source, 0, at + field,
            String.format("control or invisible character U+%04X", (int) c)));
        return null;
      }
    }
    return v.asText();
  }
}
