package io.github.perfkit.cache.internal;

import com.github.benmanes.caffeine.cache.AsyncCacheLoader;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.perfkit.cache.CacheStatistics;
import io.github.perfkit.cache.HitRatio;
import io.github.perfkit.cache.TargetCheck;
import io.github.perfkit.core.LatencyRecorder;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The engine behind every memoized form. Values live in a Caffeine {@link AsyncLoadingCache} as
 * futures, which is what makes stampede protection free of carrier pinning: a miss places an
 * incomplete future with {@code putIfAbsent} (a short map operation that never runs user code) and
 * runs the loader <em>outside</em> any lock on the calling thread; other callers find that future and
 * wait on it ({@link CompletableFuture#join()} parks, it does not hold a monitor). Caffeine's own
 * synchronous {@code get(key, loader)} instead runs the loader inside {@code ConcurrentHashMap.compute},
 * whose {@code synchronized} block pins a virtual thread's carrier on JDK 21 to 23.
 *
 * <p>Thread-safe.
 */
public final class MemoEngine<K, V> {

  /** The cached stand-in for "the loader returned null", when negative caching is on. */
  public static final Object ABSENT = new Object() {
    @Override
    public String toString() {
      return "ABSENT";
    }
  };

  private static final long SAMPLE_EVERY = TimeUnit.SECONDS.toNanos(5);
  private static final long ONE_MINUTE = TimeUnit.MINUTES.toNanos(1);
  private static final long FIVE_MINUTES = TimeUnit.MINUTES.toNanos(5);

  private final String name;
  private final AsyncLoadingCache<K, Object> cache;
  private final ConcurrentMap<K, CompletableFuture<Object>> map;
  private final TrackingStatsCounter stats;
  private final HitWindow window;
  private final Ticker ticker;
  private final long createdAt;
  private final LatencyRecorder loadTimes;
  private final Function<? super K, ?> syncLoader;
  private final Function<? super K, ? extends CompletableFuture<?>> asyncLoader;
  private final Function<? super Set<K>, ? extends Map<? extends K, ?>> batchLoader;
  private final boolean cacheAbsent;
  private final double targetHitRatio;
  private final long minimumRequests;
  private final String sizeHint;

  /** Everything the builder decided. */
  public record Settings<K>(String name, Caffeine<Object, Object> caffeine, Ticker ticker,
      Executor executor, boolean cacheAbsent, Duration bulkRefreshWindow, double targetHitRatio,
      long minimumRequests, String sizeHint, TrackingStatsCounter stats) {}

  @SuppressWarnings("unchecked")
  public MemoEngine(Settings<K> settings, Function<? super K, ?> syncLoader,
      Function<? super K, ? extends CompletableFuture<?>> asyncLoader,
      Function<? super Set<K>, ? extends Map<? extends K, ?>> batchLoader) {
    this.name = settings.name();
    this.syncLoader = syncLoader;
    this.asyncLoader = asyncLoader;
    this.batchLoader = batchLoader;
    this.cacheAbsent = settings.cacheAbsent();
    this.ticker = settings.ticker();
    this.stats = settings.stats();
    this.targetHitRatio = settings.targetHitRatio();
    this.minimumRequests = settings.minimumRequests();
    this.sizeHint = settings.sizeHint();
    this.createdAt = ticker.read();
    this.window = new HitWindow(SAMPLE_EVERY, FIVE_MINUTES + SAMPLE_EVERY, createdAt);
    this.loadTimes = LatencyRecorder.create(name + ".load");
    BulkRefresher<K> bulk = batchLoader != null && settings.bulkRefreshWindow() != null
        ? new BulkRefresher<>((Function<Set<K>, Map<? extends K, ?>>) (Function<?, ?>) batchLoader,
            settings.bulkRefreshWindow().toNanos(), settings.executor(), this::encodeNull)
        : null;
    AsyncCacheLoader<K, Object> loader = new AsyncCacheLoader<>() {
      @Override
      public CompletableFuture<Object> asyncLoad(K key, Executor executor) {
        return loadInBackground(key, executor);
      }

      @Override
      public CompletableFuture<Object> asyncReload(K key, Object oldValue, Executor executor) {
        return bulk != null ? bulk.enqueue(key) : loadInBackground(key, executor);
      }
    };
    this.cache = settings.caffeine().buildAsync(loader);
    this.map = cache.asMap();
  }

  public String name() {
    return name;
  }

  public LatencyRecorder loadTimes() {
    return loadTimes;
  }

  /** The raw cached value (maybe {@link #ABSENT}) or null; throws the loader's failure unchanged. */
  public Object get(K key) {
    CompletableFuture<Object> f = cache.getIfPresent(key);
    if (f != null) {
      if (f.isDone() && !f.isCompletedExceptionally()) {
        return f.join(); // the hit path: no allocation, no lock
      }
      return await(f);
    }
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> prior = map.putIfAbsent(key, mine);
    if (prior != null) {
      return await(prior);
    }
    Throwable failure = loadInto(key, mine);
    if (failure != null) {
      throw sneaky(failure);
    }
    return mine.join();
  }

  /** Raw cached value without loading, or null. */
  public Object getIfPresent(K key) {
    CompletableFuture<Object> f = cache.getIfPresent(key);
    if (f == null || !f.isDone() || f.isCompletedExceptionally()) {
      return null;
    }
    return f.join();
  }

  /** Runs the synchronous loader for an owned future; returns the failure, if any. */
  private Throwable loadInto(K key, CompletableFuture<Object> mine) {
    sample();
    long start = ticker.read();
    Object value;
    try {
      value = syncLoader.apply(key);
    } catch (Throwable t) {
      loadFailed(ticker.read() - start);
      map.remove(key, mine);
      mine.completeExceptionally(t);
      return t;
    }
    loadSucceeded(ticker.read() - start);
    settle(key, mine, value);
    return null;
  }

  private void settle(K key, CompletableFuture<Object> mine, Object value) {
    Object stored = encodeNull(value);
    if (stored == null) {
      map.remove(key, mine); // a null result is returned but not cached
    } else {
      stats.recordPut();
    }
    mine.complete(stored);
  }

  private Object encodeNull(Object value) {
    return value == null && cacheAbsent ? ABSENT : value;
  }

  // Load successes and failures reach the stats counter from Caffeine itself, which records the
  // outcome of every future completed in its map (ours included); here only the latency recorder.
  private void loadSucceeded(long nanos) {
    loadTimes.record(Math.max(0, nanos));
  }

  private void loadFailed(long nanos) {
    loadTimes.recordFailure(Math.max(0, nanos));
  }

  /** The async form: the shared future (callers must only derive from it). */
  public CompletableFuture<Object> getAsync(K key) {
    CompletableFuture<Object> f = cache.getIfPresent(key);
    if (f == null) {
      CompletableFuture<Object> mine = new CompletableFuture<>();
      CompletableFuture<Object> prior = map.putIfAbsent(key, mine);
      if (prior != null) {
        f = prior;
      } else {
        f = mine;
        startAsyncLoad(key, mine);
      }
    }
    return f; // shared: callers take a dependent future of it
  }

  private void startAsyncLoad(K key, CompletableFuture<Object> mine) {
    sample();
    long start = ticker.read();
    CompletableFuture<?> loading;
    try {
      loading = Objects.requireNonNull(asyncLoader.apply(key), "the async loader returned null");
    } catch (Throwable t) {
      loadFailed(ticker.read() - start);
      map.remove(key, mine);
      mine.completeExceptionally(t);
      return;
    }
    loading.whenComplete((value, error) -> {
      if (error != null) {
        loadFailed(ticker.read() - start);
        map.remove(key, mine);
        mine.completeExceptionally(unwrap(error));
      } else {
        loadSucceeded(ticker.read() - start);
        settle(key, mine, value);
      }
    });
  }

  /** A background load for Caffeine's refresh: timed into the load recorder. */
  private CompletableFuture<Object> loadInBackground(K key, Executor executor) {
    if (asyncLoader != null) {
      long start = ticker.read();
      return asyncLoader.apply(key).handle((value, error) -> {
        loadTimes.record(Math.max(0, ticker.read() - start));
        if (error != null) {
          throw error instanceof CompletionException ce ? ce : new CompletionException(error);
        }
        return encodeNull(value);
      });
    }
    return CompletableFuture.supplyAsync(() -> {
      long start = ticker.read();
      try {
        return encodeNull(syncLoader.apply(key));
      } finally {
        loadTimes.record(Math.max(0, ticker.read() - start));
      }
    }, executor);
  }

  /** Values of several keys; missing ones through one batch-loader call when there is one. */
  @SuppressWarnings("unchecked")
  public Map<K, Object> getAll(Iterable<? extends K> keys) {
    Objects.requireNonNull(keys, "keys");
    Map<K, CompletableFuture<Object>> all = new LinkedHashMap<>();
    Map<K, CompletableFuture<Object>> owned = new LinkedHashMap<>();
    for (K key : keys) {
      Objects.requireNonNull(key, "keys must not contain null");
      if (all.containsKey(key)) {
        continue;
      }
      CompletableFuture<Object> f = cache.getIfPresent(key);
      if (f == null) {
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> prior = map.putIfAbsent(key, mine);
        if (prior == null) {
          owned.put(key, mine);
          f = mine;
        } else {
          f = prior;
        }
      }
      all.put(key, f);
    }
    Throwable failure = null;
    if (!owned.isEmpty()) {
      if (batchLoader != null) {
        failure = loadBatch(owned);
      } else {
        for (Map.Entry<K, CompletableFuture<Object>> e : owned.entrySet()) {
          Throwable t = loadInto(e.getKey(), e.getValue());
          failure = failure == null ? t : failure;
        }
      }
    }
    if (failure != null) {
      throw sneaky(failure);
    }
    Map<K, Object> result = new LinkedHashMap<>();
    for (Map.Entry<K, CompletableFuture<Object>> e : all.entrySet()) {
      Object value = await(e.getValue());
      if (value != null && value != ABSENT) {
        result.put(e.getKey(), value);
      }
    }
    return result;
  }

  private Throwable loadBatch(Map<K, CompletableFuture<Object>> owned) {
    sample();
    long start = ticker.read();
    Map<? extends K, ?> loaded;
    try {
      loaded = batchLoader.apply(Collections.unmodifiableSet(owned.keySet()));
      Objects.requireNonNull(loaded, "the batch loader returned null");
    } catch (Throwable t) {
      loadFailed(ticker.read() - start);
      owned.forEach((k, f) -> {
        map.remove(k, f);
        f.completeExceptionally(t);
      });
      return t;
    }
    loadSucceeded(ticker.read() - start);
    owned.forEach((k, f) -> settle(k, f, loaded.get(k)));
    return null;
  }

  public void invalidate(K key) {
    cache.synchronous().invalidate(key);
  }

  public void invalidateAll(Iterable<? extends K> keys) {
    cache.synchronous().invalidateAll(keys);
  }

  public void invalidateAll() {
    cache.synchronous().invalidateAll();
  }

  public void invalidateIf(Predicate<? super K> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    map.keySet().removeIf(predicate);
  }

  public CompletableFuture<Object> refresh(K key) {
    return cache.synchronous().refresh(key);
  }

  public long estimatedSize() {
    return cache.synchronous().estimatedSize();
  }

  private void sample() {
    window.maybeSample(ticker.read(), stats.hits(), stats.misses());
  }

  public CacheStatistics stats() {
    long now = ticker.read();
    long hits = stats.hits();
    long misses = stats.misses();
    window.maybeSample(now, hits, misses);
    long[] one = window.since(ONE_MINUTE, now, hits, misses);
    long[] five = window.since(FIVE_MINUTES, now, hits, misses);
    Map<String, Long> evictions = new LinkedHashMap<>();
    for (RemovalCause cause : RemovalCause.values()) {
      if (cause.wasEvicted()) {
        evictions.put(cause.name(), stats.evictions(cause));
      }
    }
    return new CacheStatistics(name, new HitRatio(hits, misses, Duration.ofNanos(now - createdAt)),
        new HitRatio(one[0], one[1], Duration.ofNanos(one[2])),
        new HitRatio(five[0], five[1], Duration.ofNanos(five[2])), stats.loadSuccesses(),
        stats.loadFailures(), Duration.ofNanos(stats.totalLoadNanos()), stats.puts(), evictions,
        stats.evictionWeight(), estimatedSize());
  }

  public TargetCheck checkTarget() {
    CacheStatistics s = stats();
    HitRatio judged = s.lastFiveMinutes();
    long requests = judged.requests();
    String figures = String.format(java.util.Locale.ROOT,
        "%d hits, %d misses over the last %ds (lifetime ratio %.2f over %d requests)", judged.hits(),
        judged.misses(), judged.period().toSeconds(), s.hitRatio(), s.lifetime().requests());
    if (requests < minimumRequests) {
      return new TargetCheck(name, TargetCheck.Verdict.NOT_ENOUGH_REQUESTS, judged.ratio(),
          targetHitRatio, requests, minimumRequests, "cache '" + name + "' served " + requests
              + " requests in the window, fewer than the " + minimumRequests
              + " needed to judge; " + figures);
    }
    if (judged.ratio() >= targetHitRatio) {
      return new TargetCheck(name, TargetCheck.Verdict.MEETS_TARGET, judged.ratio(), targetHitRatio,
          requests, minimumRequests, String.format(java.util.Locale.ROOT,
              "cache '%s' hit ratio %.2f meets the target %.2f: %s", name, judged.ratio(),
              targetHitRatio, figures));
    }
    StringBuilder why = new StringBuilder(String.format(java.util.Locale.ROOT,
        "cache '%s' hit ratio %.2f is below the target %.2f: %s.", name, judged.ratio(),
        targetHitRatio, figures));
    long bySize = s.evictions().getOrDefault("SIZE", 0L);
    long expired = s.evictions().getOrDefault("EXPIRED", 0L);
    if (bySize > 0) {
      why.append(' ').append(bySize).append(" entries were evicted for size (").append(sizeHint)
          .append(", ").append(s.size()).append(" entries now): a larger maximum may help.");
    }
    if (expired > 0) {
      why.append(' ').append(expired)
          .append(" entries expired: a longer expiry (or refresh after write) may help.");
    }
    if (s.loadFailures() > 0) {
      why.append(' ').append(s.loadFailures())
          .append(" loads failed and were not cached: every retry is a miss.");
    }
    if (bySize == 0 && expired == 0 && s.loadFailures() == 0) {
      why.append(" Nothing was evicted: the keys rarely repeat, so caching may not pay here.");
    }
    return new TargetCheck(name, TargetCheck.Verdict.BELOW_TARGET, judged.ratio(), targetHitRatio,
        requests, minimumRequests, why.toString());
  }

  private static Object await(CompletableFuture<Object> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      throw sneaky(unwrap(e));
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /** Rethrows any throwable unchanged, checked ones included, without declaring it. */
  @SuppressWarnings("unchecked")
  public static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
    throw (T) t;
  }
}
