package io.github.perfkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.perfkit.core.internal.JsonReader;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SectionMeasurementTest {

  /** Runs of 1..10 ns, shuffled: nearest rank on the 0-100 scale has exact answers. */
  private static SectionMeasurement oneToTen() {
    List<Long> nanos = new java.util.ArrayList<>(LongStream.rangeClosed(1, 10).boxed().toList());
    Collections.shuffle(nanos, new java.util.Random(7));
    return new SectionMeasurement("s", nanos, Collections.nCopies(10, -1L));
  }

  @Test
  void percentilesAreOnTheZeroToHundredScaleByNearestRank() {
    SectionMeasurement m = oneToTen();
    assertThat(m.percentile(0)).isEqualTo(Duration.ofNanos(1));
    assertThat(m.percentile(10)).isEqualTo(Duration.ofNanos(1));
    assertThat(m.percentile(10.1)).isEqualTo(Duration.ofNanos(2));
    assertThat(m.percentile(50)).isEqualTo(Duration.ofNanos(5));
    assertThat(m.p50()).isEqualTo(Duration.ofNanos(5));
    assertThat(m.p95()).isEqualTo(Duration.ofNanos(10));
    assertThat(m.percentile(90)).isEqualTo(Duration.ofNanos(9));
    assertThat(m.percentile(99.9)).isEqualTo(Duration.ofNanos(10));
    assertThat(m.max()).isEqualTo(Duration.ofNanos(10));
  }

  @Test
  void percentilesOutsideZeroToHundredAreRefusedNamingTheParameter() {
    SectionMeasurement m = oneToTen();
    assertThatIllegalArgumentException().isThrownBy(() -> m.percentile(100.5))
        .withMessage("percentile must be in [0.0, 100.0] but was 100.5");
    assertThatIllegalArgumentException().isThrownBy(() -> m.percentile(-1))
        .withMessage("percentile must be in [0.0, 100.0] but was -1.0");
    assertThatIllegalArgumentException().isThrownBy(() -> m.percentile(Double.NaN))
        .withMessageContaining("percentile must be in [0.0, 100.0]");
  }

  @Test
  void rendersItselfAsTextMarkdownAndJson() {
    SectionMeasurement m = oneToTen();
    assertThat(m.text()).startsWith("10 runs: p50 5 ns, p95 10 ns");
    assertThat(m.markdown()).startsWith("## Section `s`").contains("| 10 | 5 ns | 10 ns |");
    Map<?, ?> json = (Map<?, ?>) JsonReader.parse(m.json());
    assertThat(json.get("schema")).isEqualTo("perfkit.section/1");
    assertThat(json.get("p50Nanos")).isEqualTo(5.0);
    assertThat((List<?>) json.get("runNanos")).hasSize(10);
  }

  @Test
  void warmupThatNeverSettlesHitsItsLimitAndSaysSo() throws InterruptedException {
    int[] run = {0};
    // every run sleeps 1 ms longer than the one before: the times never settle
    SectionMeasurement m = SectionMeasurement.measure("growing", 3, Duration.ofMillis(300), 5,
        () -> Thread.sleep(++run[0]));
    assertThat(m.warmup().limitHit()).isTrue();
    assertThat(m.warmup().nanos()).isGreaterThanOrEqualTo(300_000_000L);
    assertThat(m.warmup().runs()).isEqualTo(run[0] - 5);
    assertThat(m.text()).contains("warm-up: hit its limit of 300 ms");
    assertThat(m.markdown()).contains("**warm-up: hit its limit");
    Map<?, ?> warmup = (Map<?, ?>) ((Map<?, ?>) JsonReader.parse(m.json())).get("warmup");
    assertThat(warmup.get("limitHit")).isEqualTo(true);
  }

  @Test
  void zeroWarmupLimitRunsExactlyTheFloor() {
    int[] run = {0};
    SectionMeasurement m = SectionMeasurement.measure("n", 7, Duration.ZERO, 3, () -> run[0]++);
    assertThat(run[0]).isEqualTo(10);
    assertThat(m.warmup().runs()).isEqualTo(7);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SectionMeasurement.measure("n", 1, Duration.ofSeconds(-1), 3, () -> { }))
        .withMessageContaining("warmupLimit");
  }
}
