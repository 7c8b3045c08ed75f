package dev.naap.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** The API asked directly over HTTP, as any client would: what the dashboard must agree with. */
final class DirectApi {

  private final URI root;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  DirectApi(URI root) {
    this.root = root;
  }

  /**
   * The envelope of {@code pathAndQuery} (relative to the root, such as {@code
   * v1/orchestrators?window=24h}).
   */
  JsonNode get(String pathAndQuery) {
    try {
      return json.readTree(body(pathAndQuery));
    } catch (IOException e) {
      throw new AssertionError("GET " + pathAndQuery + " is not JSON", e);
    }
  }

  String body(String pathAndQuery) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(root.resolve(pathAndQuery)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError(
            "GET " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new AssertionError("GET " + pathAndQuery + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** RFC 4180 CSV: records of fields, quotes and doubled quotes undone. */
  static List<List<String>> parseCsv(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        record.add(field.toString());
        field.setLength(0);
      } else if (c == '\n') {
        record.add(field.toString());
        field.setLength(0);
        records.add(record);
        record = new ArrayList<>();
      } else if (c != '\r') {
        field.append(c);
      }
    }
    if (!field.isEmpty() || !record.isEmpty()) {
      record.add(field.toString());
      records.add(record);
    }
    return records;
  }
}
