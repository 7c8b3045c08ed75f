package dev.naap.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestLoadRulesTest {

  @Test
  void like_turnsGlobWildcardsIntoLike_andEscapesLikeWildcards() {
    assertThat(TestLoadRules.like("aiJobTesterStream-*")).isEqualTo("aiJobTesterStream-%");
    assertThat(TestLoadRules.like("gw-?")).isEqualTo("gw-_");
    assertThat(TestLoadRules.like("50%_off\\")).isEqualTo("50\\%\\_off\\\\");
  }

  @Test
  void rules_refuseBlankLongOrTooManyGlobs() {
    assertThatThrownBy(() -> new TestLoadRules(List.of(" "), List.of()))
        .hasMessageContaining("stream id glob");
    assertThatThrownBy(() -> new TestLoadRules(List.of(), List.of("a\nb")))
        .hasMessageContaining("gateway glob");
    assertThatThrownBy(() -> new TestLoadRules(Collections.nCopies(101, "x"), List.of()))
        .hasMessageContaining("at most 100");
  }
}
