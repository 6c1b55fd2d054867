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

  record Order(long id) {}

  static final class Client {
    final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

    Order order(Long id) {
      if (calls.incrementAndGet() == 3) {
        throw new IllegalStateException("a transient failure, retried");
      }
      return new Order(id);
    }
  }

  @Test
  void guardQuickStartRuns() {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry meterRegistry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    Client client = new Client();
    List<Long> orderIds = java.util.stream.LongStream.range(0, 20).boxed().toList();
    List<Order> result;
    // --- README: Quick start: perf-parallel, guard ---
    ConcurrencyLimit db = ConcurrencyLimit.gradient("orders-db").floor(2).ceiling(200).build();
    Guard orders = Guard.named("orders-api")
        .rateLimit(100, java.time.Duration.ofSeconds(1)) // <= 100 calls per second
        .retry(4, java.time.Duration.ofMillis(50))       // 50, 100, 200 ms, +-50% jitter
        .build();
    java.util.function.Function<Long, Order> fetch = orders.wrap(client::order);
    try (BoundedExecutor io = Parallel.io("orders").maxConcurrency(200)
            .limit(db)                           // shared with any executor given the same limit
            .build()) {
      io.metrics().bindTo(meterRegistry);      // executor.* meters, tag name=orders
      List<Order> found = io.map(orderIds, fetch);
      // --- end ---
      result = found;
    }
    assertThat(result).extracting(Order::id).containsExactlyElementsOf(orderIds);
    assertThat(client.calls).hasValue(21); // one failure, retried
    assertThat(meterRegistry.get("executor.completed").tag("name", "orders").functionCounter()
        .count()).isEqualTo(20);
  }
}
