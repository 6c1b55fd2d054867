package io.github.perfkit.parallel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The twin of README's perf-parallel quick start: if this stops compiling, the README is wrong. */
class ReadmeQuickStartTest {

  static String download(String url) {
    return "<html>" + url + "</html>";
  }

  static int parse(String page) {
    return page.length();
  }

  @Test
  void quickStartRuns() {
    List<String> urls = IntStream.range(0, 50).mapToObj(i -> "https://example.org/" + i).toList();
    Stream<String> hugeStream = urls.stream();
    LongAdder total = new LongAdder();
    // --- README: Quick start: perf-parallel ---
    try (BoundedExecutor io = Parallel.io("fetch").maxConcurrency(100).build();
         BoundedExecutor cpu = Parallel.cpu("parse").build()) {
      List<String> pages = io.map(urls, ReadmeQuickStartTest::download); // input order, <= 100 at once
      List<Integer> sizes = cpu.map(pages, ReadmeQuickStartTest::parse); // one per core
      BulkResult<Integer> all = cpu.mapAll(pages, ReadmeQuickStartTest::parse); // failures by index
      io.forEachOrdered(hugeStream.iterator(), ReadmeQuickStartTest::download, 256,
          page -> total.add(page.length()));                      // flat memory, any input size
      assertThat(sizes).hasSize(50);
      assertThat(all.allSucceeded()).isTrue();
    } // close(): every accepted task runs first
    // --- end ---
    assertThat(total.sum()).isPositive();
  }
}
