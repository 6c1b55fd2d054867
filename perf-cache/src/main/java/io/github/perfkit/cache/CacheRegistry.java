package io.github.perfkit.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every cache of an application with its figures in one call, as text or JSON (Python's
 * {@code cache_info()}, for all caches at once). Caches join through
 * {@link Memoizer.Builder#registry(CacheRegistry)} or {@link #register}. Not global: create one per
 * application (or use {@link #defaultRegistry()}, which a user may ignore). Thread-safe; a registry
 * holds its caches strongly, so remove caches you drop.
 */
public final class CacheRegistry {

  private static final CacheRegistry DEFAULT = new CacheRegistry();

  private final List<MemoizedCache> caches = new CopyOnWriteArrayList<>();

  /** Creates an empty registry. */
  public CacheRegistry() {}

  /** @return a process-wide registry for applications that want one; nothing registers into it
   *     unless asked */
  public static CacheRegistry defaultRegistry() {
    return DEFAULT;
  }

  /**
   * Adds a cache.
   *
   * @param cache the cache
   * @throws IllegalArgumentException if a cache of the same name is registered
   */
  public void register(MemoizedCache cache) {
    Objects.requireNonNull(cache, "cache");
    synchronized (caches) {
      for (MemoizedCache c : caches) {
        if (c.name().equals(cache.name())) {
          throw new IllegalArgumentException("a cache named '" + cache.name()
              + "' is already registered");
        }
      }
      caches.add(cache);
    }
  }

  /**
   * Removes a cache.
   *
   * @param cache the cache
   * @return whether it was registered
   */
  public boolean remove(MemoizedCache cache) {
    return caches.remove(cache);
  }

  /** @return the registered caches, in registration order */
  public List<MemoizedCache> caches() {
    return List.copyOf(caches);
  }

  /** @return every cache's statistics now */
  public List<CacheStatistics> stats() {
    List<CacheStatistics> all = new ArrayList<>();
    for (MemoizedCache c : caches) {
      all.add(c.stats());
    }
    return all;
  }

  /**
   * A text table: name, size, requests, hit ratio (lifetime, 1 min, 5 min), loads, failures, mean
   * load time, evictions.
   *
   * @return the table, one line per cache
   */
  public String text() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%-24s %8s %10s %8s %8s %8s %8s %8s %12s %9s%n", "cache",
        "size", "requests", "hit", "hit 1m", "hit 5m", "loads", "failed", "mean load",
        "evicted"));
    for (CacheStatistics s : stats()) {
      out.append(String.format(Locale.ROOT, "%-24s %8d %10d %8.3f %8.3f %8.3f %8d %8d %12s %9d%n",
          s.name(), s.size(), s.lifetime().requests(), s.hitRatio(), s.lastMinute().ratio(),
          s.lastFiveMinutes().ratio(), s.loads(), s.loadFailures(),
          io.github.perfkit.core.internal.Format.duration(s.meanLoadTime().toNanos()), s.evictionCount()));
    }
    return out.toString();
  }

  /**
   * JSON, schema {@code perfkit.caches/1}: {@code {"schema":..., "caches":[{"name", "size",
   * "hits", "misses", "hitRatio", "hitRatio1m", "hitRatio5m", "requests1m", "requests5m",
   * "loadSuccesses", "loadFailures", "totalLoadNanos", "puts", "evictions":{cause:count},
   * "evictionWeight"}]}}.
   *
   * @return the JSON document
   */
  public String json() {
    StringBuilder out = new StringBuilder("{\"schema\":\"perfkit.caches/1\",\"caches\":[");
    boolean first = true;
    for (CacheStatistics s : stats()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      out.append("{\"name\":\"").append(escape(s.name())).append("\",\"size\":").append(s.size())
          .append(",\"hits\":").append(s.lifetime().hits()).append(",\"misses\":")
          .append(s.lifetime().misses()).append(",\"hitRatio\":").append(s.hitRatio())
          .append(",\"hitRatio1m\":").append(s.lastMinute().ratio()).append(",\"hitRatio5m\":")
          .append(s.lastFiveMinutes().ratio()).append(",\"requests1m\":")
          .append(s.lastMinute().requests()).append(",\"requests5m\":")
          .append(s.lastFiveMinutes().requests()).append(",\"loadSuccesses\":")
          .append(s.loadSuccesses()).append(",\"loadFailures\":").append(s.loadFailures())
          .append(",\"totalLoadNanos\":").append(s.totalLoadTime().toNanos()).append(",\"puts\":")
          .append(s.puts()).append(",\"evictions\":{");
      boolean firstCause = true;
      for (var e : s.evictions().entrySet()) {
        if (!firstCause) {
          out.append(',');
        }
        firstCause = false;
        out.append('"').append(e.getKey()).append("\":").append(e.getValue());
      }
      out.append("},\"evictionWeight\":").append(s.evictionWeight()).append('}');
    }
    return out.append("]}").toString();
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
