package dev.naap.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {

  @Test
  void duration_takesUnitsCompoundsAndIso() {
    Args args = Args.parse(List.of("--a", "500ms", "--b", "1h30m", "--c", "7d", "--d", "PT2M"),
        Set.of("a", "b", "c", "d", "e"), Set.of());

    assertThat(args.duration("a", null)).isEqualTo(Duration.ofMillis(500));
    assertThat(args.duration("b", null)).isEqualTo(Duration.ofMinutes(90));
    assertThat(args.duration("c", null)).isEqualTo(Duration.ofDays(7));
    assertThat(args.duration("d", null)).isEqualTo(Duration.ofMinutes(2));
    assertThat(args.duration("e", Duration.ZERO)).isEqualTo(Duration.ZERO);
    args.check();
  }

  @Test
  void badNumbersAndDurations_areAllReportedTogether() {
    Args args = Args.parse(List.of("--speed", "fast", "--rate", "2", "--every", "5 minutes"),
        Set.of("speed", "rate", "every"), Set.of());

    assertThat(args.decimal("speed", 1, 0, 10)).isEqualTo(1);
    args.decimal("rate", 0, 0, 0.5);
    assertThat(args.duration("every", Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(5));

    assertThatThrownBy(args::check).isInstanceOf(Args.UsageException.class)
        .hasMessageContaining("--speed: expected a number, got 'fast'")
        .hasMessageContaining("--rate: expected 0.0..0.5, got 2")
        .hasMessageContaining("--every: expected a duration like 30s, 5m, 24h, 7d or 1h30m, got '5 minutes'");
  }
}
