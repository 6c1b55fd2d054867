package io.github.perfkit.spring.boot;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A Boot application with the starter and no perfkit glue code: only Spring's annotations. */
@SpringBootApplication
@EnableCaching
@EnableAsync
public class StarterApp {

  /** Items fetched one query per item (an N+1 loop) or all in one query. */
  @RestController
  public static class Items {
    private final JdbcTemplate jdbc;

    Items(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    /** @return {@code n} items, one query each */
    @GetMapping("/items/per-item/{n}")
    public List<Integer> perItem(@PathVariable int n) {
      List<Integer> out = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(jdbc.queryForObject("SELECT CAST(? AS int) AS per_item_id", Integer.class, i));
      }
      return out;
    }

    /** @return {@code n} items in one query */
    @GetMapping("/items/all/{n}")
    public List<Integer> all(@PathVariable int n) {
      return jdbc.queryForList("SELECT g AS all_item_ids FROM generate_series(1, ?) g",
          Integer.class, n);
    }
  }

  /**
   * Known requests for the profile endpoint: one that computes and one that sleeps, each until
   * {@link #stop} is set (at most 30 s).
   */
  @RestController
  public static class Work {
    /** Ends the running requests. */
    public static final java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    /** Requests running now. */
    public static final java.util.concurrent.atomic.AtomicInteger running =
        new java.util.concurrent.atomic.AtomicInteger();
    /** The name of the thread that served the last request. */
    public static volatile String thread;
    static volatile long sink;

    /** @return a number, after computing until stopped */
    @GetMapping("/work/cpu")
    public long cpu() {
      thread = Thread.currentThread().getName();
      running.incrementAndGet();
      try {
        long deadline = System.nanoTime() + 30_000_000_000L;
        long x = 0;
        while (!stop.get() && System.nanoTime() < deadline) {
          x = burn(x);
        }
        sink = x;
        return x;
      } finally {
        running.decrementAndGet();
      }
    }

    /** Plain arithmetic (a JDK call here took the self time in CI while it ran uncompiled). */
    static long burn(long x) {
      for (int i = 0; i < 1_000_000; i++) {
        x = x * 6364136223846793005L + i;
        x ^= x >>> 29;
      }
      return x;
    }

    /** @return 0, after sleeping until stopped */
    @GetMapping("/work/sleep")
    public long sleep() throws InterruptedException {
      thread = Thread.currentThread().getName();
      running.incrementAndGet();
      try {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!stop.get() && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        return 0;
      } finally {
        running.decrementAndGet();
      }
    }
  }

  /** Work for Boot's {@code applicationTaskExecutor}. */
  @Service
  public static class Jobs {
    /** @return the name of the thread that ran it */
    @Async
    public CompletableFuture<String> threadName() {
      return CompletableFuture.completedFuture(Thread.currentThread().getName());
    }
  }

  /** Cached lookups; {@link #calls} counts the method bodies that ran. */
  @Service
  public static class Users {
    private final AtomicInteger calls = new AtomicInteger();

    /** @return how many method bodies ran */
    public int calls() {
      return calls.get();
    }

    @Cacheable("users")
    public String name(long id) {
      calls.incrementAndGet();
      return "user-" + id;
    }

    @Cacheable(cacheNames = "users", key = "'sync-' + #p0", sync = true)
    public String nameSync(long id) {
      calls.incrementAndGet();
      return "user-" + id;
    }

    @CachePut(cacheNames = "users", key = "#p0")
    public String rename(long id, String name) {
      return name;
    }

    @CacheEvict(cacheNames = "users", key = "#p0")
    public void forget(long id) {}

    @Cacheable("books") // no spec of its own: made at run time from the default spec
    public String title(long id) {
      calls.incrementAndGet();
      return "book-" + id;
    }
  }
}
