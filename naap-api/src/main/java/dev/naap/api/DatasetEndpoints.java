package dev.naap.api;

import dev.naap.metrics.query.Column;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /v1/datasets}, {@code /v1/datasets/{id}} and {@code /v1/datasets/{id}/download}: the
 * datasets of a {@link DatasetCatalog}, described in the envelope, and their content as is.
 */
final class DatasetEndpoints {

  static final List<Column> COLUMNS =
      List.of(
          new Column("id", Column.Type.STRING, "", "Dataset id"),
          new Column(
              "kind",
              Column.Type.STRING,
              "",
              "prompts (load-test prompt dataset) or export (daily metrics)"),
          new Column("title", Column.Type.STRING, "", "Short name"),
          new Column("description", Column.Type.STRING, "", "What it holds"),
          new Column("media_type", Column.Type.STRING, "", "Media type of the download"),
          new Column(
              "records", Column.Type.INTEGER, "", "Records in it; null when not yet computed"),
          new Column(
              "bytes",
              Column.Type.INTEGER,
              "bytes",
              "Size of the download; null when not yet computed"),
          new Column(
              "sha256",
              Column.Type.STRING,
              "",
              "SHA-256 of the download, hex; null when not yet computed"),
          new Column(
              "updated_at",
              Column.Type.TIMESTAMP,
              "",
              "When the content last changed; null when unknown"),
          new Column("download_url", Column.Type.STRING, "", "Where to download it"));

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Duration TTL = Duration.ofMinutes(1);

  private final DatasetCatalog catalog;
  private final QueryRunner runner;

  DatasetEndpoints(DatasetCatalog catalog, QueryRunner runner) {
    this.catalog = catalog;
    this.runner = runner;
  }

  Endpoint list() {
    return request -> {
      reject(request.query(), List.of(Params.FORMAT));
      Format format = Format.choose(request.query(), request.accept());
      return new Endpoint.Prepared(
          "/v1/datasets|" + format,
          () -> {
            List<List<Object>> rows =
                runner.run(catalog::list).stream().map(DatasetEndpoints::row).toList();
            return envelope(request.now(), rows, format);
          });
    };
  }

  Endpoint detail() {
    return request -> {
      reject(request.query(), List.of());
      String id = id(request);
      return new Endpoint.Prepared(
          "/v1/datasets/" + id,
          () -> {
            Dataset d =
                runner
                    .run(() -> catalog.find(id))
                    .orElseThrow(() -> ApiProblem.notFound("no dataset " + id));
            byte[] body =
                Bodies.envelope(
                    g -> Bodies.writeRow(g, COLUMNS, row(d)),
                    new Meta(null, request.now(), null, COLUMNS, Map.of()),
                    null);
            return new Response(200, Format.JSON.contentType(), body, d.updatedAt(), TTL, Map.of());
          });
    };
  }

  Endpoint download() {
    return request -> {
      reject(request.query(), List.of());
      String id = id(request);
      return new Endpoint.Prepared(
          "/v1/datasets/" + id + "/download",
          () -> {
            Dataset d =
                runner
                    .run(() -> catalog.find(id))
                    .orElseThrow(() -> ApiProblem.notFound("no dataset " + id));
            byte[] content =
                runner
                    .run(() -> catalog.content(id))
                    .orElseThrow(() -> ApiProblem.notFound("no dataset " + id));
            return new Response(
                200,
                d.mediaType(),
                content,
                d.updatedAt(),
                TTL,
                Map.of(
                    "Content-Disposition",
                    "attachment; filename=\"" + id + extension(d.mediaType()) + "\""));
          });
    };
  }

  private static String id(ApiRequest request) {
    String id = request.pathParams().get(Params.DATASET_ID.name());
    if (!ID.matcher(id).matches()) {
      throw ApiProblem.badParameter(
          Params.DATASET_ID.name(), "expected letters, digits, '.', '_' or '-'");
    }
    return id;
  }

  private static void reject(QueryString q, List<String> allowed) {
    for (String name : q.names()) {
      if (!allowed.contains(name)) {
        throw ApiProblem.badParameter(name, "unknown parameter; this route takes " + allowed);
      }
    }
  }

  private static String extension(String mediaType) {
    return mediaType.startsWith("text/csv") ? ".csv" : mediaType.contains("json") ? ".jsonl" : "";
  }

  private static List<Object> row(Dataset d) {
    return Arrays.asList(
        d.id(),
        d.kind(),
        d.title(),
        d.description(),
        d.mediaType(),
        d.records(),
        d.bytes(),
        d.sha256(),
        d.updatedAt(),
        "/v1/datasets/" + d.id() + "/download");
  }

  private static Response envelope(Instant now, List<List<Object>> rows, Format format) {
    byte[] body =
        format == Format.CSV
            ? Bodies.csv(COLUMNS, rows)
            : Bodies.envelope(
                Bodies.rows(COLUMNS, rows), new Meta(null, now, null, COLUMNS, Map.of()), null);
    return new Response(200, format.contentType(), body, null, TTL, Map.of());
  }
}
