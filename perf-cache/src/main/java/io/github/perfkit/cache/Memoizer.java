package io.github.perfkit.cache;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.perfkit.cache.internal.MemoEngine;
import io.github.perfkit.cache.internal.Memoized;
import io.github.perfkit.cache.internal.TrackingStatsCounter;
import io.github.perfkit.core.internal.Require;
import io.github.perfkit.core.internal.SetOnce;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntBiFunction;

/**
 * The front door of perf-cache: wrap a slow function so repeated calls come from memory, with
 * hit-rate tracking that reaches the dashboards you already run.
 *
 * <pre>{@code
 * MemoizedFunction<Long, User> users = Memoizer.named("users")
 *     .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(5))
 *     .build(userService::load);
 * User u = users.apply(42L);              // an ordinary Function
 * users.metrics().bindTo(meterRegistry);  // cache.gets{cache="users",result="hit"}, ...
 * }</pre>
 *
 * <p>Built on Caffeine: eviction by size or weight (W-TinyLFU), expiry after write or access or per
 * value, refresh after write. Each setting may be set once (a second call throws
 * {@link IllegalStateException} naming it); each argument is checked when set (the exception names
 * the parameter) and rules across settings when {@code build...} builds
 * ({@link IllegalStateException}). A builder is not thread-safe; building copies its settings, so it
 * can be reused: later settings never change a cache built before. Everything built is
 * thread-safe.
 *
 * <p><b>Stampede protection without pinning:</b> concurrent callers missing one key cause exactly one
 * load; the others wait for it. The first caller claims the key by putting a {@link CompletableFuture}
 * into a map of loads in flight (a {@code putIfAbsent}, which runs no user code); it runs the loader on
 * its own thread outside any lock, stores the value in Caffeine and completes the future. The others
 * park on that future, which holds no monitor. So neither the loading virtual thread nor its waiters
 * pin a carrier, unlike Caffeine's synchronous {@code get}, which runs loaders inside
 * {@code ConcurrentHashMap.compute} (a {@code synchronized} block that pins on JDK 21 to 23, Caffeine
 * issue 779). The asynchronous form shares the same future with every caller.
 *
 * <p><b>Recursive loads fail fast:</b> a loader that asks the same cache, on its own thread, for a
 * key that its call is still loading (itself, or through a cycle of other keys) would wait for itself
 * forever; it gets an {@link IllegalStateException} naming the cache instead, the load fails and
 * nothing is cached. Nested loads of other keys (a memoized Fibonacci) work as usual.
 *
 * <p><b>Cost:</b> a hit costs about as much as a Caffeine read with statistics on: perfkit's counters
 * replace Caffeine's own; the recent-window figures are sampled on reads of the statistics and on
 * misses, never on hits. A hit allocates nothing.
 */
public final class Memoizer {

  private Memoizer() {}

  /**
   * Starts a builder for a cache with this name (for reports and the {@code cache} metric tag).
   *
   * @param name the cache's name; never a key or an id
   * @return a new builder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Builder<Object, Object> named(String name) {
    return new Builder<>(Require.notBlank(name, "name"));
  }

  /**
   * Settings of a memoized cache. Each setting may be set once; a second call to the same setter
   * throws {@link IllegalStateException} naming it. Not thread-safe; {@code build...} copies what it
   * needs, so the builder may be reused without changing what it built.
   *
   * @param <K> the key type the settings so far accept
   * @param <V> the value type the settings so far accept
   */
  public static final class Builder<K, V> {
    private final String name;
    private long maximumSize = -1;
    private long maximumWeight = -1;
    private ToIntBiFunction<Object, Object> weigher;
    private Duration expireAfterWrite;
    private Duration expireAfterAccess;
    private Duration refreshAfterWrite;
    private BiFunction<Object, Object, Duration> expireAfter;
    private Duration cacheAbsent;
    private Duration bulkRefreshWindow;
    private Ticker ticker;
    private Executor executor;
    private double targetHitRatio = 0.8;
    private long minimumRequests = 100;
    private CacheRegistry registry;
    private final SetOnce set = new SetOnce();

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Keeps at most this many entries (evicting the least useful, W-TinyLFU).
     *
     * @param maximumSize the bound, {@code >= 0}
     * @return this builder
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException if it was set before ({@code build...} refuses it together
     *     with {@link #maximumWeight})
     */
    public Builder<K, V> maximumSize(long maximumSize) {
      Require.nonNegative(maximumSize, "maximumSize");
      set.mark("maximumSize");
      this.maximumSize = maximumSize;
      return this;
    }

    /**
     * Keeps entries up to a total weight, as computed by {@code weigher}.
     *
     * @param maximumWeight the bound, {@code >= 0}
     * @param weigher the weight of one entry, {@code >= 0}
     * @param <K1> key type
     * @param <V1> value type
     * @return this builder, typed for the weigher
     * @throws IllegalArgumentException if {@code maximumWeight} is negative
     * @throws NullPointerException if {@code weigher} is null
     * @throws IllegalStateException if it was set before ({@code build...} refuses it together
     *     with {@link #maximumSize})
     */
    @SuppressWarnings("unchecked")
    public <K1 extends K, V1 extends V> Builder<K1, V1> maximumWeight(long maximumWeight,
        ToIntBiFunction<? super K1, ? super V1> weigher) {
      Require.nonNegative(maximumWeight, "maximumWeight");
      Require.notNull(weigher, "weigher");
      set.mark("maximumWeight");
      this.maximumWeight = maximumWeight;
      this.weigher = (ToIntBiFunction<Object, Object>) (ToIntBiFunction<?, ?>) weigher;
      return (Builder<K1, V1>) this;
    }

    /**
     * Entries expire this long after they were loaded.
     *
     * @param duration a positive duration
     * @return this builder
     */
    public Builder<K, V> expireAfterWrite(Duration duration) {
      Require.positive(duration, "expireAfterWrite");
      set.mark("expireAfterWrite");
      this.expireAfterWrite = duration;
      return this;
    }

    /**
     * Entries expire this long after they were last read or loaded.
     *
     * @param duration a positive duration
     * @return this builder
     */
    public Builder<K, V> expireAfterAccess(Duration duration) {
      Require.positive(duration, "expireAfterAccess");
      set.mark("expireAfterAccess");
      this.expireAfterAccess = duration;
      return this;
    }

    /**
     * Each entry expires after a duration computed from its key and value (variable expiry); cannot be
     * combined with {@link #expireAfterWrite} or {@link #expireAfterAccess} ({@code build...}
     * throws {@link IllegalStateException}).
     *
     * @param expiry key and value to a positive duration
     * @param <K1> key type
     * @param <V1> value type
     * @return this builder, typed for the expiry
     */
    @SuppressWarnings("unchecked")
    public <K1 extends K, V1 extends V> Builder<K1, V1> expireAfter(
        BiFunction<? super K1, ? super V1, Duration> expiry) {
      Require.notNull(expiry, "expiry");
      set.mark("expireAfter");
      this.expireAfter = (BiFunction<Object, Object, Duration>) (BiFunction<?, ?, ?>) expiry;
      return (Builder<K1, V1>) this;
    }

    /**
     * Entries older than this are reloaded in the background on their next read, while the stale
     * value keeps being served (one reload per key at a time).
     *
     * @param duration a positive duration
     * @return this builder
     */
    public Builder<K, V> refreshAfterWrite(Duration duration) {
      Require.positive(duration, "refreshAfterWrite");
      set.mark("refreshAfterWrite");
      this.refreshAfterWrite = duration;
      return this;
    }

    /**
     * Refreshes falling due within {@code window} of each other are reloaded through one call of the
     * batch loader given to {@link #build(Function, Function)} (Caffeine alone refreshes key by key).
     * Needs {@link #refreshAfterWrite} and a batch loader ({@code build...} throws
     * {@link IllegalStateException} without them).
     *
     * @param window how long to collect refreshes before loading them together, positive
     * @return this builder
     */
    public Builder<K, V> bulkRefresh(Duration window) {
      Require.positive(window, "bulkRefresh");
      set.mark("bulkRefresh");
      this.bulkRefreshWindow = window;
      return this;
    }

    /**
     * Negative caching: a {@code null} result ("absent") is cached for {@code duration} instead of
     * being loaded again on every call. Off by default: a null result is returned and not cached.
     *
     * @param duration how long "absent" is remembered, positive
     * @return this builder
     */
    public Builder<K, V> cacheAbsent(Duration duration) {
      Require.positive(duration, "cacheAbsent");
      set.mark("cacheAbsent");
      this.cacheAbsent = duration;
      return this;
    }

    /**
     * The time source for expiry, refresh, load timing and the recent windows (tests pass a fake).
     *
     * @param ticker nanosecond ticker
     * @return this builder
     */
    public Builder<K, V> ticker(Ticker ticker) {
      Require.notNull(ticker, "ticker");
      set.mark("ticker");
      this.ticker = ticker;
      return this;
    }

    /**
     * Where background work (refreshes, removals) runs; default {@link ForkJoinPool#commonPool()}.
     * Loads on a miss always run on the calling thread.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder<K, V> executor(Executor executor) {
      Require.notNull(executor, "executor");
      set.mark("executor");
      this.executor = executor;
      return this;
    }

    /**
     * The hit ratio {@link MemoizedCache#checkTarget()} expects; default 0.8.
     *
     * @param ratio in (0, 1]
     * @return this builder
     */
    public Builder<K, V> targetHitRatio(double ratio) {
      if (!(ratio > 0 && ratio <= 1)) { // (0, 1]: Require.inRange is closed at both ends
        throw new IllegalArgumentException("targetHitRatio must be in (0, 1] but was " + ratio);
      }
      set.mark("targetHitRatio");
      this.targetHitRatio = ratio;
      return this;
    }

    /**
     * Requests needed in the judged window before {@link MemoizedCache#checkTarget()} judges;
     * default 100.
     *
     * @param requests {@code >= 1}
     * @return this builder
     */
    public Builder<K, V> minimumRequests(long requests) {
      Require.positive(requests, "minimumRequests");
      set.mark("minimumRequests");
      this.minimumRequests = requests;
      return this;
    }

    /**
     * Lists the built cache in this registry.
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder<K, V> registry(CacheRegistry registry) {
      Require.notNull(registry, "registry");
      set.mark("registry");
      this.registry = registry;
      return this;
    }

    /**
     * Memoizes a function.
     *
     * @param loader computes the value of a key on a miss
     * @param <K1> key type
     * @param <V1> value type
     * @return the memoized function
     */
    public <K1 extends K, V1 extends V> MemoizedFunction<K1, V1> build(
        Function<? super K1, ? extends V1> loader) {
      Require.notNull(loader, "loader");
      MemoEngine<K1, V1> engine = new MemoEngine<>(settings(false), loader, null, null);
      return register(new Memoized.FunctionImpl<>(engine));
    }

    /**
     * Memoizes a function that also has a batch form: {@link MemoizedFunction#getAll} (and bulk
     * refresh, when on) load all missing keys with one {@code batchLoader} call.
     *
     * @param loader computes the value of one key
     * @param batchLoader computes the values of several keys; a key left out is absent
     * @param <K1> key type
     * @param <V1> value type
     * @return the memoized function
     */
    public <K1 extends K, V1 extends V> MemoizedFunction<K1, V1> build(
        Function<? super K1, ? extends V1> loader,
        Function<? super Set<K1>, ? extends Map<? extends K1, ? extends V1>> batchLoader) {
      Require.notNull(loader, "loader");
      Require.notNull(batchLoader, "batchLoader");
      MemoEngine<K1, V1> engine = new MemoEngine<>(settings(true), loader, null, batchLoader);
      return register(new Memoized.FunctionImpl<>(engine));
    }

    /**
     * Memoizes a two-argument function; the pair of arguments is the key.
     *
     * @param loader computes the value of a pair
     * @param <A> first argument type
     * @param <B> second argument type
     * @param <V1> value type
     * @return the memoized function
     */
    public <A, B, V1 extends V> MemoizedBiFunction<A, B, V1> buildBiFunction(
        BiFunction<? super A, ? super B, ? extends V1> loader) {
      Require.notNull(loader, "loader");
      MemoEngine<Object, V1> engine = new MemoEngine<>(settings(false),
          Memoized.BiFunctionImpl.pairLoader(loader), null, null);
      return register(new Memoized.BiFunctionImpl<>(engine));
    }

    /**
     * Memoizes a supplier: one value, computed once (concurrent first callers compute it once),
     * optionally expiring or refreshed after write.
     *
     * @param supplier computes the value
     * @param <V1> value type
     * @return the memoized supplier
     */
    public <V1 extends V> MemoizedSupplier<V1> buildSupplier(Supplier<? extends V1> supplier) {
      Require.notNull(supplier, "supplier");
      MemoEngine<Object, V1> engine = new MemoEngine<>(settings(false), k -> supplier.get(), null,
          null);
      return register(new Memoized.SupplierImpl<>(engine));
    }

    /**
     * Memoizes a loader that throws a checked exception; the exception reaches every waiting caller
     * unchanged and is never cached.
     *
     * @param loader computes the value of a key
     * @param <K1> key type
     * @param <V1> value type
     * @param <E> the loader's checked exception
     * @return the memoized function
     */
    public <K1 extends K, V1 extends V, E extends Exception> MemoizedCheckedFunction<K1, V1, E>
        buildChecked(CheckedFunction<? super K1, ? extends V1, ? extends E> loader) {
      Require.notNull(loader, "loader");
      Function<K1, V1> sneaky = key -> {
        try {
          return loader.apply(key);
        } catch (Exception e) {
          throw MemoEngine.sneaky(e);
        }
      };
      MemoEngine<K1, V1> engine = new MemoEngine<>(settings(false), sneaky, null, null);
      return register(new Memoized.CheckedImpl<K1, V1, E>(engine));
    }

    /**
     * Memoizes an asynchronous function: callers missing one key share one in-flight future.
     *
     * @param loader starts computing the value of a key
     * @param <K1> key type
     * @param <V1> value type
     * @return the memoized function
     */
    public <K1 extends K, V1 extends V> AsyncMemoizedFunction<K1, V1> buildAsync(
        Function<? super K1, ? extends CompletableFuture<? extends V1>> loader) {
      Require.notNull(loader, "loader");
      MemoEngine<K1, V1> engine = new MemoEngine<>(settings(false), null, loader, null);
      return register(new Memoized.AsyncImpl<>(engine));
    }

    private <C extends MemoizedCache> C register(C cache) {
      if (registry != null) {
        registry.register(cache);
      }
      return cache;
    }

    private <T> MemoEngine.Settings<T> settings(boolean hasBatchLoader) {
      Require.state(maximumSize < 0 || maximumWeight < 0, "maximumSize and maximumWeight "
          + "exclude each other (set one) on cache '" + name + "'");
      Require.state(expireAfter == null || (expireAfterWrite == null && expireAfterAccess == null),
          "expireAfter excludes expireAfterWrite and expireAfterAccess (set one) on cache '"
              + name + "'");
      Require.state(bulkRefreshWindow == null || (refreshAfterWrite != null && hasBatchLoader),
          "bulkRefresh needs refreshAfterWrite and a batch loader (build(loader, batchLoader)) "
              + "on cache '" + name + "'");
      TrackingStatsCounter stats = new TrackingStatsCounter();
      Ticker effectiveTicker = ticker == null ? Ticker.systemTicker() : ticker;
      Executor effectiveExecutor = executor == null ? ForkJoinPool.commonPool() : executor;
      Caffeine<Object, Object> caffeine = Caffeine.newBuilder().recordStats(() -> stats)
          .ticker(effectiveTicker).executor(effectiveExecutor);
      String sizeHint = "unbounded";
      if (maximumSize >= 0) {
        caffeine.maximumSize(maximumSize);
        sizeHint = "maximumSize " + maximumSize;
      } else if (maximumWeight >= 0) {
        ToIntBiFunction<Object, Object> w = weigher;
        caffeine.maximumWeight(maximumWeight).weigher((Object k, Object v) ->
            v == MemoEngine.ABSENT ? 1 : w.applyAsInt(k, v));
        sizeHint = "maximumWeight " + maximumWeight;
      }
      if (refreshAfterWrite != null) {
        caffeine.refreshAfterWrite(refreshAfterWrite);
      }
      if (expireAfter != null || cacheAbsent != null) {
        caffeine.expireAfter(new PolicyExpiry(expireAfter, expireAfterWrite, expireAfterAccess,
            cacheAbsent));
      } else {
        if (expireAfterWrite != null) {
          caffeine.expireAfterWrite(expireAfterWrite);
        }
        if (expireAfterAccess != null) {
          caffeine.expireAfterAccess(expireAfterAccess);
        }
      }
      return new MemoEngine.Settings<>(name, caffeine, effectiveTicker, effectiveExecutor,
          cacheAbsent != null, bulkRefreshWindow, targetHitRatio, minimumRequests, sizeHint, stats);
    }

  }

  /** Per-entry expiry: variable, fixed after write/access, and "absent" with its own duration. */
  private static final class PolicyExpiry implements Expiry<Object, Object> {
    private final BiFunction<Object, Object, Duration> variable;
    private final long afterWrite;
    private final long afterAccess;
    private final long absent;

    PolicyExpiry(BiFunction<Object, Object, Duration> variable, Duration afterWrite,
        Duration afterAccess, Duration absent) {
      this.variable = variable;
      this.afterWrite = afterWrite == null ? Long.MAX_VALUE : afterWrite.toNanos();
      this.afterAccess = afterAccess == null ? Long.MAX_VALUE : afterAccess.toNanos();
      this.absent = absent == null ? Long.MAX_VALUE : absent.toNanos();
    }

    private long onWrite(Object key, Object value) {
      if (value == MemoEngine.ABSENT) {
        return absent;
      }
      if (variable != null) {
        Duration d = variable.apply(key, value);
        if (d == null || d.isNegative()) {
          throw new IllegalArgumentException("expireAfter must return a duration >= 0 but gave " + d);
        }
        return saturated(d);
      }
      return Math.min(afterWrite, afterAccess);
    }

    @Override
    public long expireAfterCreate(Object key, Object value, long currentTime) {
      return onWrite(key, value);
    }

    @Override
    public long expireAfterUpdate(Object key, Object value, long currentTime,
        long currentDuration) {
      return onWrite(key, value);
    }

    @Override
    public long expireAfterRead(Object key, Object value, long currentTime, long currentDuration) {
      if (value == MemoEngine.ABSENT || variable != null
          || afterAccess == Long.MAX_VALUE) {
        return currentDuration;
      }
      return afterAccess;
    }

    private static long saturated(Duration d) {
      try {
        return d.toNanos();
      } catch (ArithmeticException e) {
        return Long.MAX_VALUE;
      }
    }
  }
}
