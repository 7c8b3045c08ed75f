package dev.naap.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a contribution is rejected, each naming the line and field. */
class DatasetValidatorTest {
  static final String OK =
      "{\"id\":\"a-1\",\"prompt\":\"a red fox in snow\",\"seed\":7,\"t_index_list\":[10,20]}";
  final DatasetValidator validator = new DatasetValidator();

  List<String> problems(String content) {
    return validator.lines("c.jsonl", content.getBytes(StandardCharsets.UTF_8)).problems().stream()
        .map(DatasetProblem::toString).toList();
  }

  @Test
  void aValidFile_givesItsEntries() {
    var report = validator.lines("c.jsonl", (OK + "\n").getBytes(StandardCharsets.UTF_8));
    assertThat(report.ok()).isTrue();
    assertThat(report.entries()).singleElement().satisfies(e -> {
      assertThat(e.id()).isEqualTo("a-1");
      assertThat(e.params().has("id")).isFalse();
      assertThat(e.params().get("seed").asInt()).isEqualTo(7);
    });
  }

  @Test
  void badJson_namesTheLine() {
    assertThat(problems(OK + "\n{\"id\":\"b\",\"prompt\":\n"))
        .singleElement()
        .asString()
        .startsWith("c.jsonl:2: not JSON");
    assertThat(problems("[1,2]\n")).containsExactly("c.jsonl:1: expected a JSON object, got array");
    assertThat(problems("{\"id\":\"a\",\"id\":\"b\",\"prompt\":\"x\"}\n"))
        .singleElement()
        .asString()
        .contains("Duplicate field 'id'");
  }

  @Test
  void missingAndMistypedFields_areNamed() {
    assertThat(problems("{\"id\":\"a\"}\n")).containsExactly("c.jsonl:1: field 'prompt': missing");
    assertThat(problems("{\"prompt\":\"x\"}\n")).containsExactly("c.jsonl:1: field 'id': missing");
    assertThat(problems("{\"id\":\"a\",\"prompt\":\"x\",\"seed\":-1}\n"))
        .containsExactly("c.jsonl:1: field 'seed': expected an integer 0..4294967295, got -1");
    assertThat(problems("{\"id\":\"a\",\"prompt\":5}\n"))
        .containsExactly("c.jsonl:1: field 'prompt': expected a string, got number");
    assertThat(problems("{\"id\":\"a\",\"prompt\":\"x\",\"t_index_list\":[20,10]}\n"))
        .singleElement()
        .asString()
        .startsWith("c.jsonl:1: field 't_index_list': expected strictly increasing integers");
    assertThat(problems("{\"id\":\"a\",\"prompt\":\"x\",\"width\":500}\n"))
        .containsExactly("c.jsonl:1: field 'width': expected a multiple of 8, got 500");
    assertThat(problems("{\"id\":\"a\",\"prompt\":\"x\",\"lora\":\"y\"}\n"))
        .singleElement()
        .asString()
        .startsWith("c.jsonl:1: field 'lora': unknown field");
    assertThat(problems("{\"id\":\"A B\",\"prompt\":\"x\"}\n"))
        .singleElement()
        .asString()
        .startsWith("c.jsonl:1: field 'id': expected lower-case");
  }

  @Test
  void duplicates_pointToTheFirstOccurrence() {
    assertThat(problems(OK + "\n" + OK.replace("a red fox in snow", "a blue whale") + "\n"))
        .containsExactly("c.jsonl:2: field 'id': duplicate of line 1");
    assertThat(
            problems(
                OK + "\n" + OK.replace("a-1", "a-2").replace("a red fox", "A  Red fox") + "\n"))
        .containsExactly("c.jsonl:2: field 'prompt': duplicate of line 1");
  }

  @Test
  void oversizedLinesAndFiles_areRejected() {
    String longPrompt = "x".repeat(9_000);
    assertThat(problems("{\"id\":\"a\",\"prompt\":\"" + longPrompt + "\"}\n"))
        .containsExactly("c.jsonl:1: line is longer than 8192 bytes");
    assertThat(problems("{\"id\":\"a\",\"prompt\":\"" + "y".repeat(1_001) + "\"}\n"))
        .containsExactly("c.jsonl:1: field 'prompt': 1001 characters, more than the limit of 1000");
    StringBuilder big = new StringBuilder();
    while (big.length() <= DatasetValidator.MAX_FILE_BYTES) {
      big.append(OK).append('\n');
    }
    assertThat(problems(big.toString())).singleElement().asString().startsWith("c.jsonl: file is");
    assertThat(problems("")).containsExactly("c.jsonl: no entries");
  }

  @Test
  void hostileContent_isRejected() {
    assertThat(problems("{\"id\":\"a\",\"prompt\":\"fox\\u0007\"}\n"))
        .containsExactly(
            "c.jsonl:1: field 'prompt': control or invisible character U+0007 at offset 3");
    assertThat(problems("{\"id\":\"a\",\"prompt\":\"fox \\u202Eevil\"}\n"))
        .containsExactly(
            "c.jsonl:1: field 'prompt': control or invisible character U+202E at offset 4");
    assertThat(
            problems(
                "{\"id\":\"a\",\"prompt\":\"x\",\"negative_prompt\":\"<script>alert(1)</script>\"}\n"))
        .containsExactly(
            "c.jsonl:1: field 'negative_prompt': markup ('<' followed by a tag) is not allowed");
    assertThat(problems(OK + "\r\n"))
        .containsExactly("c.jsonl:1: carriage return: lines end with LF only");
    byte[] latin1 =
        ("{\"id\":\"a\",\"prompt\":\"caf\u00e9\"}\n").getBytes(StandardCharsets.ISO_8859_1);
    assertThat(validator.lines("c.jsonl", latin1).problems()).extracting(DatasetProblem::toString)
        .containsExactly("c.jsonl:1: not valid UTF-8");
  }

  @Test
  void aWrongChecksumOrSize_isRejectedAgainstTheManifest() {
    byte[] content = (OK + "\n").getBytes(StandardCharsets.UTF_8);
    String sha = DatasetManifest.sha256(content);
    DatasetInfo right =
        new DatasetInfo("c-v1", 1, "d", "CC0-1.0", "c-v1.jsonl", 1, content.length, sha);
    assertThat(DatasetManifest.check(right, content, validator).ok()).isTrue();
    DatasetInfo wrong =
        new DatasetInfo(
            "c-v1", 1, "d", "CC0-1.0", "c-v1.jsonl", 2, content.length + 1, "0".repeat(64));
    assertThat(DatasetManifest.check(wrong, content, validator).problems())
        .extracting(DatasetProblem::toString)
        .containsExactly(
            "c-v1.jsonl: field 'bytes': the manifest says "
                + (content.length + 1)
                + ", the file has "
                + content.length,
            "c-v1.jsonl: field 'sha256': the manifest says "
                + "0".repeat(64)
                + ", the file has "
                + sha,
            "c-v1.jsonl: field 'entries': the manifest says 2, the file has 1");
  }

  @Test
  void aBadManifest_namesEveryField(@TempDir Path dir) throws Exception {
    String manifest =
        """
        {"datasets": [
          {"id": "mine-v2", "version": 1, "description": "x", "licence": "GPL-3.0", "file": "other.jsonl",
           "entries": 1, "bytes": 1, "sha256": "ABC"},
          {"id": "good-prompts-v1", "version": 1, "description": "", "licence": "CC0-1.0",
           "file": "good-prompts-v1.jsonl", "entries": 0, "bytes": 1, "sha256": "%s"},
          {"id": "good-prompts-v1", "version": 1, "description": "y\\u0000", "licence": "MIT",
           "file": "good-prompts-v1.jsonl", "entries": 1, "bytes": 1, "sha256": "%s"}
        ]}
        """
            .formatted("a".repeat(64), "a".repeat(64));
    List<DatasetProblem> problems = new ArrayList<>();
    assertThat(
            DatasetManifest.read(
                "datasets.json", manifest.getBytes(StandardCharsets.UTF_8), problems))
        .isEmpty();
    assertThat(problems)
        .extracting(DatasetProblem::toString)
        .containsExactly(
            "datasets.json: field 'datasets[0].id': 'mine-v2' does not end with -v1",
            "datasets.json: field 'datasets[0].licence': 'GPL-3.0' is not one of "
                + DatasetManifest.LICENCES,
            "datasets.json: field 'datasets[0].file': expected 'mine-v2.jsonl', got 'other.jsonl'",
            "datasets.json: field 'datasets[0].sha256': expected 64 lower-case hex digits",
            "datasets.json: field 'datasets[1].description': expected a non-empty string",
            "datasets.json: field 'datasets[1].entries': expected an integer >= 1",
            "datasets.json: field 'datasets[2].id': duplicate dataset id 'good-prompts-v1'",
            "datasets.json: field 'datasets[2].description': control or invisible character"
                + " U+0000");
    Files.writeString(dir.resolve("datasets.json"), "{\"datasets\": 3}");
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () -> DatasetCatalog.directory(dir.resolve("datasets.json"))))
        .hasMessageContaining("datasets.json: field 'datasets': expected an array of datasets");
  }
}
