package io.github.perfkit.jpms;

import static io.github.perfkit.junit.PerfAssertions.assertThatSection;

import io.github.perfkit.cache.MemoizedFunction;
import io.github.perfkit.cache.Memoizer;
import io.github.perfkit.cache.redis.KeyCodec;
import io.github.perfkit.cache.redis.RedisTier;
import io.github.perfkit.cache.redis.TieredFunction;
import io.github.perfkit.cache.redis.ValueCodec;
import io.github.perfkit.core.Compare;
import io.github.perfkit.core.Comparison;
import io.github.perfkit.core.LatencyRecorder;
import io.github.perfkit.core.Profile;
import io.github.perfkit.core.Profiler;
import io.github.perfkit.core.StageBreakdown;
import io.github.perfkit.jdbc.BatchResult;
import io.github.perfkit.jdbc.BatchWriter;
import io.github.perfkit.jdbc.StreamingQuery;
import io.github.perfkit.jdbc.TimedDataSource;
import io.github.perfkit.parallel.BoundedExecutor;
import io.github.perfkit.parallel.Guard;
import io.github.perfkit.parallel.Parallel;
import io.github.perfkit.parallel.redis.FleetRateLimit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * README's quick starts, one per module, run from a named module on the module path. Each prints
 * {@code ok <module>}; any failure (a missing {@code requires} shows as NoClassDefFoundError or
 * IllegalAccessError) ends the process with a stack trace and exit code 1.
 *
 * <p>Arguments: the quick starts to run (core, profiler, junit, cache, redis, fleet, parallel, jdbc),
 * and for redis and fleet the Redis URI after an equals sign ({@code redis=redis://127.0.0.1:6379}).
 */
public final class QuickStarts {

  private QuickStarts() {}

  /**
   * @param args the quick starts to run
   * @throws Exception whatever a quick start throws
   */
  public static void main(String[] args) throws Exception {
    for (String arg : args) {
      String[] parts = arg.split("=", 2);
      switch (parts[0]) {
        case "core" -> core();
        case "profiler" -> profiler();
        case "junit" -> junit();
        case "cache" -> cache();
        case "redis" -> redis(parts[1]);
        case "fleet" -> fleet(parts[1]);
        case "parallel" -> parallel();
        case "jdbc" -> jdbc();
        default -> throw new IllegalArgumentException("unknown quick start: " + parts[0]);
      }
      System.out.println("ok " + parts[0]);
    }
  }

  private static void core() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LatencyRecorder fetch = LatencyRecorder.create("fetch");
    String page = fetch.time(() -> "page");
    check(page.equals("page") && fetch.snapshot().count() == 1, "one timed call");
    StageBreakdown run = StageBreakdown.create("import");
    try (StageBreakdown.Stage s = run.stage("fetch")) {
      work();
    }
    check(run.snapshot().stages().size() == 1, "the breakdown has its stage");
    fetch.metrics().bindTo(registry);
    run.metrics().bindTo(registry);
    check(registry.find("perfkit.latency").functionTimer() != null, "perfkit.latency is registered");
    Comparison c = Compare.named("sum")
        .baseline("loop", () -> IntStream.range(0, 1_000).sum())
        .add("stream", () -> IntStream.range(0, 1_000).boxed().mapToInt(i -> i).sum())
        .rounds(5).timeBudget(Duration.ofSeconds(2))
        .build()
        .run();
    check(c.text().contains("stream"), "the comparison names its approaches");
  }

  private static void profiler() {
    Profile p = Profiler.named("import").build().profile(QuickStarts::work); // needs jdk.jfr, read by core
    check(p.text().contains("import") || !p.text().isEmpty(), "a profile renders");
    check(p.diagnosis() != null, "a profile has a diagnosis");
  }

  private static void junit() throws Exception {
    assertThatSection("parse", QuickStarts::work).allocatesAtMost(64L * 1024 * 1024);
  }

  private static void cache() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MemoizedFunction<Long, String> users = Memoizer.named("users")
        .maximumSize(10_000)
        .expireAfterWrite(Duration.ofMinutes(10))
        .build((Long id) -> "user" + id);
    check(users.apply(42L).equals("user42") && users.apply(42L).equals("user42"), "memoized");
    users.metrics().bindTo(registry);
    check(registry.find("cache.gets").tag("result", "hit").functionCounter() != null,
        "cache.gets is registered");
    check(users.checkTarget().explanation() != null, "the target check explains itself");
  }

  private static void redis(String uri) {
    try (TieredFunction<Long, String> users = RedisTier.<Long, String>named("jpms-users")
        .redis(uri)
        .keys(KeyCodec.longs())
        .values(ValueCodec.strings())
        .l1(1_000, Duration.ofMinutes(1))
        .build(id -> "user" + id)) {
      check(users.apply(7L).equals("user7"), "a tiered load");
      users.invalidate(7L);
    }
  }

  private static void fleet(String uri) {
    try (FleetRateLimit github = FleetRateLimit.redis(uri, "jpms-" + System.nanoTime(), 100,
        Duration.ofSeconds(1)).build()) {
      Guard api = Guard.named("github").rateLimiter(github.asRateLimiter()).build();
      Function<String, String> fetch = api.wrap(repo -> "fetched " + repo);
      check(fetch.apply("perfkit").equals("fetched perfkit"), "a call through the fleet limit");
      check(github.mode() == FleetRateLimit.Mode.SHARED, "the limit is shared on Redis");
    }
  }

  private static void parallel() throws Exception {
    try (BoundedExecutor io = Parallel.io("fetch").maxConcurrency(8).build();
         BoundedExecutor cpu = Parallel.cpu("parse").build()) {
      List<Integer> items = IntStream.range(0, 100).boxed().toList();
      List<Integer> doubled = io.map(items, i -> i * 2);
      List<Integer> squared = cpu.map(items, i -> i * i);
      check(doubled.get(99) == 198 && squared.get(9) == 81, "map keeps input order");
    }
  }

  private static void jdbc() throws Exception {
    // the driver is found by java.sql's service binding: this module does not require it
    DataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:jpms;DB_CLOSE_DELAY=-1");
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(20))");
    }
    BatchResult written = BatchWriter.<Long>builder(dataSource, "INSERT INTO t (id, v) VALUES (?, ?)",
            (ps, id) -> {
              ps.setLong(1, id);
              ps.setString(2, "v" + id);
            })
        .chunkSize(1_000).build()
        .write(LongStream.range(0, 10_000).boxed());
    check(written.rowsWritten() == 10_000, "all rows written");
    long count;
    try (Stream<Long> ids = StreamingQuery.<Long>builder(dataSource,
        "SELECT id FROM t WHERE id > ?", rs -> rs.getLong(1)).build().stream(10L)) {
      count = ids.count();
    }
    check(count == 9_989, "streamed the rows");
    TimedDataSource timed = TimedDataSource.builder(dataSource).build();
    try (Connection c = timed.getConnection(); Statement s = c.createStatement()) {
      s.executeQuery("SELECT COUNT(*) FROM t").close();
    }
  }

  private static void work() {
    long sum = 0;
    for (int i = 0; i < 2_000_000; i++) {
      sum += Integer.toString(i).length();
    }
    if (sum == 0) {
      throw new AssertionError("unreachable");
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError("quick start failed: " + what);
    }
  }
}
