package dev.naap.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/EVENTS.md and docs/schemas must describe the code: families, subtypes, reason codes. */
class ContractDocsTest {
  private static final List<String> FAMILIES =
      List.of(
          StreamTrace.FAMILY,
          AiStreamStatus.FAMILY,
          AiStreamEvent.FAMILY,
          StreamIngestMetrics.FAMILY,
          DiscoveryResults.FAMILY,
          NetworkCapabilities.FAMILY,
          CreateNewPayment.FAMILY,
          CreateSignedTicket.FAMILY);

  @Test
  void schemas_existForEveryFamilyAsDraft202012WithTheFamilyConstant() {
    for (String family : FAMILIES) {
      JsonNode schema = schema(family);
      assertThat(schema.path("$schema").asText())
          .as(family)
          .isEqualTo("https://json-schema.org/draft/2020-12/schema");
      assertThat(schema.at("/properties/type/const").asText()).as(family).isEqualTo(family);
      assertThat(schema.at("/allOf/0/$ref").asText()).as(family).isEqualTo("envelope.schema.json");
    }
    assertThat(schema("envelope").at("/properties/type/pattern").asText())
        .isEqualTo("^[a-z][a-z0-9_]{0,63}$");
  }

  @Test
  void eventsDoc_linksEverySchemaAndListsEveryReasonCode() throws IOException {
    String doc = Files.readString(docs().resolve("EVENTS.md"));
    for (String family : FAMILIES) {
      assertThat(doc).contains("(schemas/" + family + ".schema.json)");
    }
    for (RejectReason reason : RejectReason.values()) {
      assertThat(doc).contains("| `" + reason.code() + "` |");
    }
    for (String subtype : StreamTrace.SUBTYPES) {
      assertThat(doc).contains("`" + subtype + "`");
    }
  }

  @Test
  void streamTraceSchema_listsExactlyTheModelledSubtypes() {
    Set<String> listed = new HashSet<>();
    schema(StreamTrace.FAMILY)
        .at("/properties/data/if/properties/type/enum")
        .forEach(n -> listed.add(n.asText()));
    assertThat(listed).isEqualTo(StreamTrace.SUBTYPES);
  }

  @Test
  void schemas_declareEveryDataMemberOfTheRealCapture() {
    for (byte[] message : TestMessages.captureMessages()) {
      JsonNode envelope = read(message);
      String family = envelope.get("type").asText();
      JsonNode dataSchema = schema(family).at("/properties/data");
      JsonNode data = envelope.get("data");
      JsonNode element = data.isArray() ? data.get(0) : data;
      JsonNode declared =
          data.isArray() ? dataSchema.at("/items/properties") : dataSchema.path("properties");
      JsonNode declaredForSubtype = dataSchema.at("/then/properties");
      element.fieldNames().forEachRemaining(name ->
          assertThat(declared.has(name) || declaredForSubtype.has(name))
              .as(family + " data." + name)
              .isTrue());
    }
  }

  private static JsonNode read(byte[] message) {
    try {
      return TestMessages.JSON.readTree(message);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode schema(String name) {
    try {
      Path file = docs().resolve("schemas").resolve(name + ".schema.json");
      return TestMessages.JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Path docs() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docs/EVENTS.md"))) {
        return dir.resolve("docs");
      }
    }
    throw new IllegalStateException(
        "docs/EVENTS.md not found above " + Path.of("").toAbsolutePath());
  }
}
