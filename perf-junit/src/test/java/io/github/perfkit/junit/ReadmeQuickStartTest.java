package io.github.perfkit.junit;

import static io.github.perfkit.junit.PerfAssertions.assertThatSection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The twin of README's perf-junit quick start. The budgets are the README's; the baseline is
 * re-recorded on every run here (this test checks the snippet works, {@code SectionAssertTest} and
 * {@code PerfBudgetExtensionTest} check that regressions fail) and deleted afterwards.
 */
class ReadmeQuickStartTest {

  /** Stands in for the reader's parser: about a millisecond of sleeping, little allocation. */
  static final class Parser {
    Object parse(String doc) throws InterruptedException {
      Thread.sleep(1);
      return doc.length();
    }
  }

  final Parser parser = new Parser();
  final String doc = "<doc/>";

  @BeforeAll
  static void reRecord() {
    System.setProperty("perfkit.baseline.update", "true");
  }

  @AfterAll
  static void cleanUp() throws Exception {
    System.clearProperty("perfkit.baseline.update");
    Files.deleteIfExists(Path.of("src/test/perf/baseline.json"));
    Files.deleteIfExists(Path.of("src/test/perf"));
  }

  // --- README: Quick start: perf-junit ---
  @Test
  @PerfBudget(p95 = "20ms", allocatedBytes = 512 * 1024, maxSlowdown = 0.10,
      baseline = "src/test/perf/baseline.json")
  void parsesQuickly(PerfProbe probe) throws Exception {
    probe.measure(() -> parser.parse(doc));     // 5 warm-up runs, then 30 measured runs
  }

  @Test
  void parsesQuicklyToo() throws Exception {
    assertThatSection("parse", () -> parser.parse(doc))
        .hasP95AtMost(Duration.ofMillis(20))
        .allocatesAtMost(512 * 1024)
        .isNotSlowerThanBaseline(Path.of("src/test/perf/baseline.json"), 0.10);
  }
  // --- end ---
}
