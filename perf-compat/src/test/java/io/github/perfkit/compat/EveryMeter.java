package io.github.perfkit.compat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.perfkit.cache.CacheMetrics;
import io.github.perfkit.cache.MemoizedFunction;
import io.github.perfkit.cache.Memoizer;
import io.github.perfkit.cache.redis.KeyCodec;
import io.github.perfkit.cache.redis.RedisTier;
import io.github.perfkit.cache.redis.TieredFunction;
import io.github.perfkit.cache.redis.ValueCodec;
import io.github.perfkit.core.LatencyRecorder;
import io.github.perfkit.core.PerfMetrics;
import io.github.perfkit.core.StageBreakdown;
import io.github.perfkit.jdbc.TimedDataSource;
import io.github.perfkit.parallel.BoundedExecutor;
import io.github.perfkit.parallel.Parallel;
import io.github.perfkit.testkit.LoopbackServices;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One workload that makes every kind of meter perfkit publishes (recorders with and without the
 * histogram, a breakdown, memoized caches, the Redis tier, both executors, a timed data source over
 * HikariCP with Hikari's own meters), beside Micrometer's own references a user would also bind
 * (a Caffeine cache bound as Spring Boot binds it, an executor through ExecutorServiceMetrics).
 */
final class EveryMeter implements AutoCloseable {

  final LatencyRecorder fetch = LatencyRecorder.create("fetch");
  final List<AutoCloseable> closeables = new ArrayList<>();
  MemoizedFunction<String, String> users;
  Cache<String, String> books;

  /** Binds everything to {@code registry} and runs a little work through each. */
  EveryMeter(MeterRegistry registry) throws Exception {
    // perf-core: a recorder with the histogram, another without, a breakdown
    PerfMetrics.forRecorder(fetch).publishHistogram(true).tags("service", "search").build()
        .bindTo(registry);
    for (int i = 1; i <= 1_000; i++) {
      fetch.record(TimeUnit.MICROSECONDS.toNanos(i * 100L)); // 0.1 ms .. 100 ms, uniform
    }
    LatencyRecorder parse = LatencyRecorder.create("parse");
    PerfMetrics.forRecorder(parse).tags("service", "search").build().bindTo(registry);
    parse.record(5_000);
    StageBreakdown stages = StageBreakdown.create("pipeline");
    PerfMetrics.forBreakdown(stages).build().bindTo(registry);
    stages.time("load", () -> 1);
    stages.time("store", () -> 2);

    // perf-cache, beside a Caffeine cache bound as Spring Boot binds it
    users = Memoizer.named("users").build(k -> "v" + k);
    users.apply("a");
    users.apply("a");
    users.apply("b");
    CacheMetrics.of(users).cacheManager("perfkit").bindTo(registry);
    books = Caffeine.newBuilder().recordStats().build();
    books.put("k", "v");
    books.getIfPresent("k");
    books.getIfPresent("missing");
    CaffeineCacheMetrics.monitor(registry, books, "books", Tags.of("cache.manager", "cache",
        "name", "books"));

    // perf-cache-redis on the loopback Redis
    var redis = LoopbackServices.redis();
    TieredFunction<Long, String> tiered = RedisTier.<Long, String>named("profiles-"
            + UUID.randomUUID().toString().substring(0, 8))
        .redis("redis://" + redis.host() + ":" + redis.port())
        .keys(KeyCodec.longs()).values(ValueCodec.strings())
        .l1(100, Duration.ofMinutes(1)).l2Ttl(Duration.ofMinutes(1))
        .build(id -> "profile-" + id);
    tiered.metrics().cacheManager("perfkit").bindTo(registry);
    closeables.add(tiered);
    tiered.apply(1L);
    tiered.apply(1L);

    // perf-parallel: both executors, beside a plain one monitored by Micrometer
    BoundedExecutor io = Parallel.io("fetch").maxConcurrency(8).build();
    BoundedExecutor cpu = Parallel.cpu("parse").build();
    io.metrics().bindTo(registry);
    cpu.metrics().bindTo(registry);
    closeables.add(io);
    closeables.add(cpu);
    List<Integer> items = List.of(1, 2, 3, 4, 5, 6, 7, 8);
    io.map(items, x -> x * 2);
    cpu.map(items, x -> x + 1);
    ExecutorService plain = ExecutorServiceMetrics.monitor(registry,
        Executors.newFixedThreadPool(2), "plain");
    closeables.add(plain::shutdownNow);
    plain.submit(() -> 1).get();

    // perf-jdbc over HikariCP, with Hikari's own meters
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:compat-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    config.setPoolName("compat");
    config.setMaximumPoolSize(2);
    config.setMetricRegistry(registry);
    HikariDataSource pool = new HikariDataSource(config);
    closeables.add(pool);
    TimedDataSource timed = TimedDataSource.builder(pool).name("compat").build();
    timed.metrics().bindTo(registry);
    try (Connection c = timed.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20))");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
        for (int i = 0; i < 3; i++) {
          ps.setInt(1, i);
          ps.setString(2, "n" + i);
          ps.executeUpdate();
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT name FROM t WHERE id = 1")) {
        rs.next();
      }
    }
  }

  @Override
  public void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }
}
