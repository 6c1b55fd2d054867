package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CompareTest {

  /** About 0.1 ms of work the JIT cannot fold: a dependent xorshift chain of n steps. */
  static long burn(int n) {
    long x = n + 0x9E3779B97F4A7C15L;
    for (int i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
    }
    return x;
  }

  static final int N = 60_000;

  @Test
  void aRealTwentyPercentDifferenceIsSignificantInAtLeast19Of20Trials() {
    int significant = 0;
    for (int trial = 0; trial < 20; trial++) {
      Comparison c = Compare.named("burn").baseline("n", () -> burn(N))
          .add("1.2n", () -> burn(N * 6 / 5)).rounds(60).seed(trial).build().run();
      Comparison.Result slower = c.result("1.2n");
      if (slower.significant() && slower.speedup() < 1) {
        significant++;
      }
    }
    assertThat(significant).isGreaterThanOrEqualTo(19);
  }

  @Test
  void twoIdenticalApproachesAreNotSignificantInAtLeast19Of20Trials() {
    int notSignificant = 0;
    for (int trial = 0; trial < 20; trial++) {
      Comparison c = Compare.named("same").baseline("a", () -> burn(N))
          .add("b", () -> burn(N)).rounds(30).seed(100 + trial).build().run();
      if (!c.result("b").significant()) {
        notSignificant++;
      }
    }
    assertThat(notSignificant).isGreaterThanOrEqualTo(19);
  }

  @Test
  void reportsPercentilesAllocationAndAVerdict() {
    Comparison c = Compare.named("alloc").baseline("small", () -> new byte[16])
        .add("large", () -> new byte[64 * 1024]).callsPerRound(10).rounds(10).build().run();
    Comparison.Result large = c.result("large");
    assertThat(large.samples()).isEqualTo(10);
    assertThat(large.min()).isLessThanOrEqualTo(large.p50());
    assertThat(large.p50()).isLessThanOrEqualTo(large.p99());
    assertThat(large.p99()).isLessThanOrEqualTo(large.max());
    if (large.allocatedBytesPerCall() >= 0) {
      assertThat(large.allocatedBytesPerCall()).isBetween(64L * 1024, 64L * 1024 + 1024);
    }
    assertThat(c.result("small").isBaseline()).isTrue();
    assertThat(c.text()).contains("Comparison 'alloc'", "small", "large", "baseline", "p=");
  }

  @Test
  void aResultIsConsumedWithoutCallingItsHashCode() {
    // hashCode() of a big result (a long string, a list of boxed integers) walks the whole value
    // inside the timed loop; consuming must cost the same whatever the result is
    AtomicInteger hashed = new AtomicInteger();
    Object result = new Object() {
      @Override
      public int hashCode() {
        hashed.incrementAndGet();
        return 42;
      }
    };
    Compare.named("consume").baseline("a", () -> result).add("b", () -> result).rounds(5)
        .warmupTime(Duration.ZERO).warmupLimit(Duration.ZERO).build().run();
    assertThat(hashed).hasValue(0);
  }

  @Test
  void warmsUpForTheWarmupTimeAndNotAtAllWhenFloorsAndLimitAreZero() {
    AtomicInteger calls = new AtomicInteger();
    long t0 = System.nanoTime();
    Compare.named("warm").baseline("a", calls::incrementAndGet).add("b", calls::incrementAndGet)
        .warmupTime(Duration.ofMillis(150)).rounds(5).build().run();
    assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(150_000_000L);
    assertThat(calls.get()).isGreaterThan(2 * (5 + 5)); // far more warm-up rounds than 5

    calls.set(0);
    Compare.named("cold").baseline("a", calls::incrementAndGet).add("b", calls::incrementAndGet)
        .warmupRounds(0).warmupTime(Duration.ZERO).warmupLimit(Duration.ZERO).rounds(5).build()
        .run();
    assertThat(calls.get()).isEqualTo(2 * 5);
  }

  @Test
  void badInputNamesTheParameter() {
    assertThatThrownBy(() -> Compare.named(" ")).hasMessageContaining("name");
    assertThatThrownBy(() -> Compare.named("x").rounds(2)).hasMessageContaining("rounds");
    assertThatThrownBy(() -> Compare.named("x").warmupTime(Duration.ofMillis(-1)))
        .hasMessageContaining("time");
    assertThatThrownBy(() -> Compare.named("x").warmupTime(null)).hasMessageContaining("time");
    assertThatThrownBy(() -> Compare.named("x").callsPerRound(0)).hasMessageContaining("calls");
    assertThatThrownBy(() -> Compare.named("x").alpha(0.7)).hasMessageContaining("alpha");
    assertThatThrownBy(() -> Compare.named("x").add("a", null)).hasMessageContaining("approach");
    assertThatThrownBy(() -> Compare.named("x").add("a", () -> 1).build().run())
        .hasMessageContaining("baseline");
    assertThatThrownBy(() -> Compare.named("x").baseline("a", () -> 1).add("a", () -> 2))
        .hasMessageContaining("already");
  }

  static final class Parser {
    static int regex(String page) {
      return page.split("[,;]").length;
    }

    static int manual(String page) {
      int n = 1;
      for (int i = 0; i < page.length(); i++) {
        char ch = page.charAt(i);
        if (ch == ',' || ch == ';') {
          n++;
        }
      }
      return n;
    }
  }

  @Test
  void readmeSnippetRuns() {
    String page = "a,b;c,d".repeat(200);
    // --- README: Compare approaches ---
    Comparison c = Compare.named("parse")
        .baseline("regex", () -> Parser.regex(page))
        .add("hand-written", () -> Parser.manual(page))
        .rounds(50)                                   // or .timeBudget(Duration.ofSeconds(5))
        .build().run();
    // --- end ---
    assertThat(c.results()).hasSize(2);
    assertThat(c.text()).contains("hand-written");
  }
}
