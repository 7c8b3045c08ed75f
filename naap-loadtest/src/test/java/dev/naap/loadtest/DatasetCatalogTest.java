package dev.naap.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shipped datasets: metadata, checksums, content, and the seeded grammar's reproducibility. */
class DatasetCatalogTest {
  final DatasetCatalog catalog = DatasetCatalog.builtIn();

  @Test
  void list_hasBothDatasets_withTheirMetadata() {
    assertThat(catalog.list())
        .extracting(DatasetInfo::id)
        .containsExactly("good-prompts-v1", "random-prompts-v1");
    for (DatasetInfo info : catalog.list()) {
      assertThat(info.version()).isEqualTo(1);
      assertThat(info.licence()).isEqualTo("CC0-1.0");
      assertThat(info.description()).isNotBlank();
      assertThat(info.sha256()).hasSize(64);
      assertThat(info.bytes()).isPositive();
    }
  }

  @Test
  void goodPrompts_hasAtLeast200DistinctPromptsWithStreamDiffusionParams() {
    Dataset good = catalog.open("good-prompts-v1");
    assertThat(good.entries()).hasSizeGreaterThanOrEqualTo(200).hasSize(good.info().entries());
    Set<String> prompts = new HashSet<>();
    Set<String> styles = new HashSet<>();
    for (PromptEntry e : good.entries()) {
      assertThat(prompts.add(e.prompt())).isTrue();
      styles.add(e.style());
      assertThat(e.params().fieldNames())
          .toIterable()
          .containsExactly(
              "prompt",
              "negative_prompt",
              "num_inference_steps",
              "guidance_scale",
              "delta",
              "t_index_list",
              "seed",
              "width",
              "height");
    }
    assertThat(styles).hasSizeGreaterThanOrEqualTo(8);
    assertThat(good.entry(0).paramsFor("stabilityai/sd-turbo").get("model_id").asText())
        .isEqualTo("stabilityai/sd-turbo");
    assertThat(good.entry(good.entries().size())).isEqualTo(good.entry(0));
  }

  @Test
  void randomPrompts_isExactlyWhatTheGrammarMakesFromItsSeed() throws Exception {
    DatasetInfo info = catalog.open("random-prompts-v1").info();
    byte[] shipped;
    try (InputStream in =
        DatasetCatalog.class.getResourceAsStream("/dev/naap/loadtest/datasets/" + info.file())) {
      shipped = in.readAllBytes();
    }
    byte[] generated = new RandomPromptGrammar().generate(1, 500);
    assertThat(generated).isEqualTo(shipped);
    assertThat(DatasetManifest.sha256(generated)).isEqualTo(info.sha256());
    assertThat(new RandomPromptGrammar().generate(2, 500)).isNotEqualTo(shipped);
    assertThat(
            new DatasetValidator()
                .lines("random", new RandomPromptGrammar().generate(9, 2_000))
                .problems())
        .isEmpty();
  }

  @Test
  void open_anUnknownDataset_namesTheKnownOnes() {
    assertThatThrownBy(() -> catalog.open("best-prompts-v9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("best-prompts-v9")
        .hasMessageContaining(List.of("good-prompts-v1", "random-prompts-v1").toString());
  }
}
