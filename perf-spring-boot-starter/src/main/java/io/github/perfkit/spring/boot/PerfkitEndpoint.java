package io.github.perfkit.spring.boot;

import io.github.perfkit.cache.CacheStatistics;
import io.github.perfkit.cache.HitRatio;
import io.github.perfkit.cache.MemoizedCache;
import io.github.perfkit.cache.TargetCheck;
import io.github.perfkit.core.LatencySnapshot;
import io.github.perfkit.core.Profile;
import io.github.perfkit.core.Profiler;
import io.github.perfkit.core.ProfilerUnavailableException;
import io.github.perfkit.jdbc.TimedDataSource;
import io.github.perfkit.parallel.BoundedExecutor;
import io.github.perfkit.spring.boot.internal.RequestSqlSuspects;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.lang.Nullable;

/**
 * The actuator endpoint {@code perfkit}: {@code GET /actuator/perfkit} lists the perfkit caches
 * (hit ratios over the lifetime, the last minute and five minutes, the target check; of a
 * Redis-tier cache its near cache's, with its Redis status and figures), the perfkit
 * executors (limits, active, queued, completed, rejected) and the slowest SQL shapes of each
 * TimedDataSource, and the N+1 suspects (SQL shapes one HTTP request ran at least
 * {@code perfkit.jdbc.n-plus-one.threshold} times, with the request's route and handler; shapes
 * only, never literals); {@code POST /actuator/perfkit/profile} with {@code duration} (such as
 * {@code 10s}, at most {@code perfkit.endpoint.profile.max-duration}) profiles the whole JVM for
 * that long, one profile at a time, and returns the profile as JSON (diagnosis and top methods);
 * {@code GET /actuator/perfkit/flamegraph} is the last profile's flame graph as HTML.
 *
 * <p>Like every actuator endpoint it is reachable over HTTP only when exposed
 * ({@code management.endpoints.web.exposure.include=perfkit}). Thread-safe. Reading costs a few
 * microseconds per cache, executor and SQL shape; a profile costs a JFR recording (about 1-2% CPU)
 * for its duration.
 */
@Endpoint(id = "perfkit")
public class PerfkitEndpoint {

  private static final String TEXT_HTML = "text/html";
  private static final boolean REDIS_TIER = org.springframework.util.ClassUtils.isPresent(
      "io.github.perfkit.cache.redis.TieredFunction", PerfkitEndpoint.class.getClassLoader());

  private final ListableBeanFactory beans;
  private final Duration maxProfileDuration;
  private final int sqlShapes;
  private final AtomicBoolean profiling = new AtomicBoolean();
  private final AtomicReference<Profile> lastProfile = new AtomicReference<>();

  /**
   * Creates the endpoint.
   *
   * @param beans where caches, executors and data sources are found on each read
   * @param maxProfileDuration the longest profile a request may ask for
   * @param sqlShapes how many of the slowest SQL shapes to list per data source
   */
  public PerfkitEndpoint(ListableBeanFactory beans, Duration maxProfileDuration, int sqlShapes) {
    this.beans = beans;
    this.maxProfileDuration = maxProfileDuration;
    this.sqlShapes = sqlShapes;
  }

  /** @return caches, executors, the slowest SQL shapes and the N+1 suspects */
  @ReadOperation
  public Map<String, Object> perfkit() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("caches", caches());
    out.put("executors", executors());
    out.put("sql", sql());
    out.put("nPlusOneSuspects", suspects());
    return out;
  }

  private Map<String, Object> suspects() {
    Map<String, Object> out = new LinkedHashMap<>();
    RequestSqlSuspects suspects = beans.getBeanProvider(RequestSqlSuspects.class).getIfAvailable();
    out.put("enabled", suspects != null);
    if (suspects != null) {
      out.put("threshold", suspects.threshold());
      out.put("suspects", suspects.report());
      out.put("dropped", suspects.dropped());
    }
    return out;
  }

  private List<Map<String, Object>> caches() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (PerfkitCacheManager manager : beans.getBeansOfType(PerfkitCacheManager.class, false, false)
        .values()) {
      for (MemoizedCache cache : manager.caches()) {
        CacheStatistics s = cache.stats();
        TargetCheck check = cache.checkTarget();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", cache.name());
        c.put("cacheManager", manager.name());
        c.put("size", s.size());
        c.put("lifetime", ratio(s.lifetime()));
        c.put("lastMinute", ratio(s.lastMinute()));
        c.put("lastFiveMinutes", ratio(s.lastFiveMinutes()));
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("verdict", check.verdict().name());
        t.put("target", check.target());
        t.put("ratio", check.ratio());
        t.put("requests", check.requests());
        t.put("explanation", check.explanation());
        c.put("target", t);
        c.put("loads", s.loads());
        c.put("meanLoadTimeMillis", s.meanLoadTime().toNanos() / 1e6);
        c.put("evictions", s.evictionCount());
        Map<String, Object> redis = REDIS_TIER
            ? RedisTierCaches.describe(manager.existing(cache.name())) : null;
        if (redis != null) { // a Redis-tier cache: the figures above are its near cache's
          c.put("redis", redis);
        }
        out.add(c);
      }
    }
    return out;
  }

  private static Map<String, Object> ratio(HitRatio r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("hits", r.hits());
    m.put("misses", r.misses());
    m.put("ratio", r.ratio());
    return m;
  }

  private List<Map<String, Object>> executors() {
    List<Map<String, Object>> out = new ArrayList<>();
    beans.getBeansOfType(BoundedExecutor.class, false, false).values().forEach(e -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", e.name());
      m.put("workload", e.workload().name());
      m.put("virtualThreads", e.usesVirtualThreads());
      m.put("maxConcurrency", e.maxConcurrency());
      m.put("active", e.activeCount());
      m.put("queued", e.queuedCount());
      m.put("completed", e.completedCount());
      m.put("rejected", e.rejectedCount());
      out.add(m);
    });
    return out;
  }

  private List<Map<String, Object>> sql() {
    List<Map<String, Object>> out = new ArrayList<>();
    beans.getBeansOfType(DataSource.class, false, false).forEach((beanName, ds) -> {
      if (!(ds instanceof TimedDataSource timed)) {
        return;
      }
      List<LatencySnapshot> shapes = new ArrayList<>();
      timed.recorders().values().forEach(r -> shapes.add(r.snapshot()));
      shapes.sort(Comparator.comparing(LatencySnapshot::p99).reversed());
      for (LatencySnapshot s : shapes.subList(0, Math.min(sqlShapes, shapes.size()))) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataSource", beanName);
        m.put("shape", s.name()); // a shape: literals are replaced by ?
        m.put("count", s.count());
        m.put("meanMillis", s.mean().toNanos() / 1e6);
        m.put("p99Millis", s.p99().toNanos() / 1e6);
        m.put("maxMillis", s.max().toNanos() / 1e6);
        m.put("totalMillis", s.total().toNanos() / 1e6);
        out.add(m);
      }
    });
    return out;
  }

  /**
   * Profiles the whole JVM for {@code duration} ({@code POST /actuator/perfkit/profile}).
   *
   * @param operation {@code profile}
   * @param duration such as {@code 10s}, {@code 500ms} or {@code PT10S}; at most the configured
   *     maximum
   * @param threads profile only the threads whose name starts with this (such as
   *     {@code http-nio-} for Tomcat's request threads); every thread of the JVM when absent.
   *     Idle pool threads count as waiting, so naming the threads that do the work gives the
   *     sharper diagnosis. The thread serving this request (it sleeps for the duration) is never
   *     part of the profile
   * @return the profile as JSON; 400 on a bad duration or operation, 409 while another profile
   *     runs, 503 when JFR is not available
   */
  @WriteOperation
  public WebEndpointResponse<Object> profile(@Selector String operation,
      @Nullable String duration, @Nullable String threads) {
    if (!"profile".equals(operation)) {
      return error(WebEndpointResponse.STATUS_BAD_REQUEST, "unknown operation; POST .../profile");
    }
    Duration d;
    try {
      d = duration == null ? null : DurationStyle.detectAndParse(duration.trim());
    } catch (IllegalArgumentException | DateTimeParseException e) {
      d = null;
    }
    if (d == null || d.isNegative() || d.isZero() || d.compareTo(maxProfileDuration) > 0) {
      return error(WebEndpointResponse.STATUS_BAD_REQUEST, "duration must be a duration "
          + "such as 10s, above 0 and at most " + maxProfileDuration);
    }
    if (!profiling.compareAndSet(false, true)) {
      return error(409, "another profile is running; one at a time");
    }
    try {
      long millis = d.toMillis();
      // this request's thread only sleeps out the duration: not part of what is profiled
      Profiler.Builder profiler = Profiler.named("actuator").excludeCallingThread();
      if (threads == null || threads.isBlank()) {
        profiler.allThreads();
      } else {
        profiler.includeThreads(name -> name.startsWith(threads));
      }
      Profile p = profiler.build().profile(() -> Thread.sleep(millis));
      lastProfile.set(p);
      return new WebEndpointResponse<>(p.json(), 200);
    } catch (ProfilerUnavailableException e) {
      return error(503, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return error(503, "interrupted");
    } finally {
      profiling.set(false);
    }
  }

  /**
   * The last profile's flame graph ({@code GET /actuator/perfkit/flamegraph}).
   *
   * @param view {@code flamegraph}
   * @return the HTML page; 404 before the first profile
   */
  @ReadOperation(produces = TEXT_HTML)
  public WebEndpointResponse<String> view(@Selector String view) {
    Profile p = lastProfile.get();
    if (!"flamegraph".equals(view) || p == null) {
      return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
    }
    return new WebEndpointResponse<>(p.flameGraph().html(), 200);
  }

  private static WebEndpointResponse<Object> error(int status, String message) {
    return new WebEndpointResponse<>(Map.of("status", status, "error", message), status);
  }
}
