package io.github.perfkit.cache.internal;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.LoadingCache;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The engine behind every memoized form. Values live in a synchronous Caffeine cache that holds
 * nothing but values. A key being loaded has a private {@link Loading} placeholder (a future) in a
 * separate in-flight map, claimed with {@code putIfAbsent} (a short map operation that never runs user
 * code). The loader then runs on the calling thread outside any lock, the value is stored, and the
 * placeholder is removed. Other callers that find the placeholder wait on its future
 * ({@link CompletableFuture#join()} parks; it holds no monitor), so a load started from a virtual
 * thread never pins its carrier. Caffeine's own synchronous {@code get(key, loader)} instead runs the
 * loader inside {@code ConcurrentHashMap.compute}, whose {@code synchronized} block pins a virtual
 * thread's carrier on JDK 21 to 23.
 *
 * <p>The hit path is exactly Caffeine's {@code getIfPresent} and a null check: the value is returned
 * without being looked at, no allocation, no lock. Placeholders never count toward size or weight and
 * are invisible to expiry. Thread-safe.
 */
public final class MemoEngine<K, V> {

  /** The cached stand-in for "the loader returned null", when negative caching is on. */
  public static final Object ABSENT = new Object() {
    @Override
    public String toString() {
      return "ABSENT";
    }
  };

  /** The placeholder of a load in flight. */
  public static final class Loading {
    final CompletableFuture<Object> future = new CompletableFuture<>();
    /**
     * The thread running the loader's synchronous part, while it runs (null otherwise). A caller
     * that finds its own thread here asked the cache for a key its own load is computing: waiting
     * would never end.
     */
    volatile Thread loadingThread;

    @Override
    public String toString() {
      return "Loading";
    }
  }

  private static final long SAMPLE_EVERY = TimeUnit.SECONDS.toNanos(5);
  private static final long ONE_MINUTE = TimeUnit.MINUTES.toNanos(1);
  private static final long FIVE_MINUTES = TimeUnit.MINUTES.toNanos(5);

  private final String name;
  private final LoadingCache<K, Object> cache;
  private final ConcurrentMap<K, Object> map;
  private final ConcurrentHashMap<K, Loading> inflight = new ConcurrentHashMap<>();
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
    // Used by Caffeine only for refreshes (refreshAfterWrite and refresh(key)); misses load through
    // the placeholder path above.
    CacheLoader<K, Object> refresher = new CacheLoader<>() {
      @Override
      public Object load(K key) throws Exception {
        long start = ticker.read();
        try {
          Object value = asyncLoader != null ? asyncLoader.apply(key).join() : syncLoader.apply(key);
          return encodeNull(value);
        } finally {
          loadTimes.record(Math.max(0, ticker.read() - start));
        }
      }

      @Override
      public CompletableFuture<Object> asyncReload(K key, Object oldValue, Executor executor)
          throws Exception {
        if (bulk != null) {
          return bulk.enqueue(key);
        }
        return CompletableFuture.supplyAsync(() -> {
          try {
            return load(key);
          } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        }, executor);
      }
    };
    this.cache = settings.caffeine().build(refresher);
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
    Object value = cache.getIfPresent(key);
    return value != null ? value : miss(key); // a hit returns here
  }

  private Object miss(K key) {
    Loading mine = new Loading();
    Loading prior = inflight.putIfAbsent(key, mine);
    if (prior != null) {
      return await(checkNotRecursive(prior));
    }
    Object landed = map.get(key); // a load that finished between our miss and our claim
    if (landed != null) {
      release(key, mine, landed);
      return landed;
    }
    Throwable failure = loadInto(key, mine);
    if (failure != null) {
      throw sneaky(failure);
    }
    return mine.future.join();
  }

  /** Raw cached value without loading, or null. */
  public Object getIfPresent(K key) {
    return map.get(key); // no stats: a peek is not a request
  }

  /** Runs the synchronous loader for an owned placeholder; returns the failure, if any. */
  private Throwable loadInto(K key, Loading mine) {
    sample();
    long start = ticker.read();
    Object value;
    mine.loadingThread = Thread.currentThread();
    try {
      value = syncLoader.apply(key);
    } catch (Throwable t) {
      mine.loadingThread = null;
      fail(key, mine, t, ticker.read() - start);
      return t;
    }
    mine.loadingThread = null;
    return succeed(key, mine, value, ticker.read() - start);
  }

  /**
   * Fails fast when the calling thread is the one running the load it would wait for: a loader
   * that asks the same cache for its own key (directly, or through other keys of this cache) would
   * otherwise wait for itself forever.
   */
  private Loading checkNotRecursive(Loading prior) {
    if (prior.loadingThread == Thread.currentThread()) {
      throw recursiveLoad();
    }
    return prior;
  }

  private IllegalStateException recursiveLoad() {
    return new IllegalStateException("recursive load in cache '" + name + "': the loader asked"
        + " the same cache for a key that its own call is still loading; load that value"
        + " directly, or from another cache");
  }

  /**
   * Stores a loaded value and completes the waiters; returns null, or the exception of a failed store
   * (a weigher or per-value expiry that threw), which then reaches every waiter instead.
   */
  private Throwable succeed(K key, Loading mine, Object value, long nanos) {
    stats.recordLoadSuccess(nanos);
    loadTimes.record(Math.max(0, nanos));
    Object stored = encodeNull(value);
    if (stored == null) {
      inflight.remove(key, mine); // a null result is returned but not cached
    } else {
      // Stored only while our claim stands: an invalidation during the load drops the claim, and
      // then the value it would have overwritten stays gone. The put is a short Caffeine write.
      try {
        inflight.computeIfPresent(key, (k, claim) -> {
          if (claim != mine) {
            return claim;
          }
          map.put(k, stored);
          stats.recordPut();
          return null;
        });
      } catch (RuntimeException | Error e) {
        inflight.remove(key, mine);
        mine.future.completeExceptionally(e);
        return e;
      }
    }
    mine.future.complete(stored);
    return null;
  }

  private void release(K key, Loading mine, Object landed) {
    inflight.remove(key, mine);
    mine.future.complete(landed);
  }

  private void fail(K key, Loading mine, Throwable t, long nanos) {
    stats.recordLoadFailure(nanos);
    loadTimes.recordFailure(Math.max(0, nanos));
    inflight.remove(key, mine); // a failure is never cached
    mine.future.completeExceptionally(t);
  }

  private Object encodeNull(Object value) {
    return value == null && cacheAbsent ? ABSENT : value;
  }

  /** The async form: the shared future of the value (callers must only derive from it). */
  public CompletableFuture<Object> getAsync(K key) {
    Object value = cache.getIfPresent(key);
    if (value != null) {
      return CompletableFuture.completedFuture(value);
    }
    Loading mine = new Loading();
    Loading prior = inflight.putIfAbsent(key, mine);
    if (prior != null) {
      return checkNotRecursive(prior).future;
    }
    Object landed = map.get(key);
    if (landed != null) {
      release(key, mine, landed);
    } else {
      startAsyncLoad(key, mine);
    }
    return mine.future;
  }

  private void startAsyncLoad(K key, Loading mine) {
    sample();
    long start = ticker.read();
    CompletableFuture<?> loading;
    mine.loadingThread = Thread.currentThread();
    try {
      loading = Objects.requireNonNull(asyncLoader.apply(key), "the async loader returned null");
    } catch (Throwable t) {
      mine.loadingThread = null;
      fail(key, mine, t, ticker.read() - start);
      return;
    }
    mine.loadingThread = null;
    loading.whenComplete((value, error) -> {
      if (error != null) {
        fail(key, mine, unwrap(error), ticker.read() - start);
      } else {
        succeed(key, mine, value, ticker.read() - start);
      }
    });
  }

  /** Values of several keys; missing ones through one batch-loader call when there is one. */
  public Map<K, Object> getAll(Iterable<? extends K> keys) {
    Objects.requireNonNull(keys, "keys");
    Map<K, Object> all = new LinkedHashMap<>();
    Map<K, Loading> owned = new LinkedHashMap<>();
    for (K key : keys) {
      Objects.requireNonNull(key, "keys must not contain null");
      if (all.containsKey(key)) {
        continue;
      }
      Object value = cache.getIfPresent(key);
      if (value == null) {
        Loading mine = new Loading();
        Loading prior = inflight.putIfAbsent(key, mine);
        if (prior != null) {
          if (prior.loadingThread == Thread.currentThread()) {
            // Give up the claims made so far, so no other caller waits on them forever.
            IllegalStateException recursive = recursiveLoad();
            owned.forEach((k, l) -> {
              inflight.remove(k, l);
              l.future.completeExceptionally(recursive);
            });
            throw recursive;
          }
          value = prior;
        } else {
          value = map.get(key);
          if (value != null) {
            release(key, mine, value);
          } else {
            owned.put(key, mine);
            value = mine;
          }
        }
      }
      all.put(key, value);
    }
    Throwable failure = null;
    if (!owned.isEmpty()) {
      if (batchLoader != null) {
        failure = loadBatch(owned);
      } else {
        for (Map.Entry<K, Loading> e : owned.entrySet()) {
          Throwable t = loadInto(e.getKey(), e.getValue());
          failure = failure == null ? t : failure;
        }
      }
    }
    if (failure != null) {
      throw sneaky(failure);
    }
    Map<K, Object> result = new LinkedHashMap<>();
    for (Map.Entry<K, Object> e : all.entrySet()) {
      Object value = e.getValue() instanceof Loading loading ? await(loading) : e.getValue();
      if (value != null && value != ABSENT) {
        result.put(e.getKey(), value);
      }
    }
    return result;
  }

  private Throwable loadBatch(Map<K, Loading> owned) {
    sample();
    long start = ticker.read();
    Map<? extends K, ?> loaded;
    Thread self = Thread.currentThread();
    owned.values().forEach(l -> l.loadingThread = self);
    try {
      loaded = batchLoader.apply(Collections.unmodifiableSet(owned.keySet()));
      Objects.requireNonNull(loaded, "the batch loader returned null");
    } catch (Throwable t) {
      owned.values().forEach(l -> l.loadingThread = null);
      long nanos = ticker.read() - start;
      owned.forEach((k, f) -> fail(k, f, t, nanos));
      return t;
    }
    owned.values().forEach(l -> l.loadingThread = null);
    long nanos = ticker.read() - start;
    Throwable first = null;
    for (Map.Entry<K, Loading> e : owned.entrySet()) {
      Throwable t = succeed(e.getKey(), e.getValue(), loaded.get(e.getKey()), nanos / owned.size());
      first = first == null ? t : first;
    }
    return first;
  }

  // Invalidation drops a load's claim first, so a value being loaded is not stored afterwards (its
  // waiters still receive it).

  public void invalidate(K key) {
    inflight.remove(key);
    cache.invalidate(key);
  }

  public void invalidateAll(Iterable<? extends K> keys) {
    for (K key : keys) {
      inflight.remove(key);
    }
    cache.invalidateAll(keys);
  }

  public void invalidateAll() {
    inflight.clear();
    cache.invalidateAll();
  }

  public void invalidateIf(Predicate<? super K> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    inflight.keySet().removeIf(predicate);
    map.keySet().removeIf(predicate);
  }

  public CompletableFuture<Object> refresh(K key) {
    return cache.refresh(key);
  }

  public long estimatedSize() {
    return cache.estimatedSize();
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

  private static Object await(Loading loading) {
    try {
      return loading.future.join();
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
