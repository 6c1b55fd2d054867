package io.github.perfkit.cache.internal;

import io.github.perfkit.cache.AsyncMemoizedFunction;
import io.github.perfkit.cache.CacheStatistics;
import io.github.perfkit.cache.MemoizedBiFunction;
import io.github.perfkit.cache.MemoizedCache;
import io.github.perfkit.cache.MemoizedCheckedFunction;
import io.github.perfkit.cache.MemoizedFunction;
import io.github.perfkit.cache.MemoizedSupplier;
import io.github.perfkit.cache.TargetCheck;
import io.github.perfkit.core.LatencyRecorder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** The implementations of the public memoized forms, each a thin view over a {@link MemoEngine}. */
public final class Memoized {

  private Memoized() {}

  /** What every form shares. */
  abstract static class Base<K> implements MemoizedCache {
    final MemoEngine<K, ?> engine;

    Base(MemoEngine<K, ?> engine) {
      this.engine = engine;
    }

    @Override
    public String name() {
      return engine.name();
    }

    @Override
    public CacheStatistics stats() {
      return engine.stats();
    }

    @Override
    public TargetCheck checkTarget() {
      return engine.checkTarget();
    }

    @Override
    public LatencyRecorder loadTimes() {
      return engine.loadTimes();
    }

    @Override
    public long estimatedSize() {
      return engine.estimatedSize();
    }

    @Override
    public void invalidateAll() {
      engine.invalidateAll();
    }

    @Override
    public String toString() {
      return getClass().getSimpleName() + "[" + name() + "]";
    }
  }

  @SuppressWarnings("unchecked")
  static <V> V decode(Object raw) {
    return raw == MemoEngine.ABSENT ? null : (V) raw;
  }

  /** {@link MemoizedFunction}. */
  public static final class FunctionImpl<K, V> extends Base<K> implements MemoizedFunction<K, V> {
    public FunctionImpl(MemoEngine<K, V> engine) {
      super(engine);
    }

    @Override
    public V apply(K key) {
      return decode(engine.get(Objects.requireNonNull(key, "key")));
    }

    @Override
    public Map<K, V> getAll(Iterable<? extends K> keys) {
      Map<K, V> result = new LinkedHashMap<>();
      engine.getAll(keys).forEach((k, v) -> result.put(k, decode(v)));
      return result;
    }

    @Override
    public V getIfPresent(K key) {
      return decode(engine.getIfPresent(Objects.requireNonNull(key, "key")));
    }

    @Override
    public void invalidate(K key) {
      engine.invalidate(Objects.requireNonNull(key, "key"));
    }

    @Override
    public void invalidateAll(Iterable<? extends K> keys) {
      engine.invalidateAll(Objects.requireNonNull(keys, "keys"));
    }

    @Override
    public void invalidateIf(Predicate<? super K> predicate) {
      engine.invalidateIf(predicate);
    }

    @Override
    public CompletableFuture<V> refresh(K key) {
      return engine.refresh(Objects.requireNonNull(key, "key")).thenApply(Memoized::decode);
    }
  }

  /** The key of a two-argument function. */
  record Pair<A, B>(A a, B b) {}

  /** {@link MemoizedBiFunction}. */
  public static final class BiFunctionImpl<A, B, V> extends Base<Object>
      implements MemoizedBiFunction<A, B, V> {
    public BiFunctionImpl(MemoEngine<Object, V> engine) {
      super(engine);
    }

    /** Wraps a two-argument loader as a loader of pairs. */
    @SuppressWarnings("unchecked")
    public static <A, B, V> java.util.function.Function<Object, V> pairLoader(
        java.util.function.BiFunction<? super A, ? super B, ? extends V> loader) {
      return key -> {
        Pair<A, B> pair = (Pair<A, B>) key;
        return loader.apply(pair.a(), pair.b());
      };
    }

    @Override
    public V apply(A a, B b) {
      return decode(engine.get(new Pair<>(Objects.requireNonNull(a, "a"),
          Objects.requireNonNull(b, "b"))));
    }

    @Override
    public void invalidate(A a, B b) {
      engine.invalidate(new Pair<>(Objects.requireNonNull(a, "a"), Objects.requireNonNull(b, "b")));
    }
  }

  /** The single key of a memoized supplier. */
  public static final Object SUPPLIER_KEY = new Object() {
    @Override
    public String toString() {
      return "value";
    }
  };

  /** {@link MemoizedSupplier}. */
  public static final class SupplierImpl<V> extends Base<Object> implements MemoizedSupplier<V> {
    public SupplierImpl(MemoEngine<Object, V> engine) {
      super(engine);
    }

    @Override
    public V get() {
      return decode(engine.get(SUPPLIER_KEY));
    }

    @Override
    public void invalidate() {
      engine.invalidate(SUPPLIER_KEY);
    }
  }

  /** {@link MemoizedCheckedFunction}. */
  public static final class CheckedImpl<K, V, E extends Exception> extends Base<K>
      implements MemoizedCheckedFunction<K, V, E> {
    private final FunctionImpl<K, V> function;

    public CheckedImpl(MemoEngine<K, V> engine) {
      super(engine);
      this.function = new FunctionImpl<>(engine);
    }

    @Override
    public V get(K key) throws E {
      return function.apply(key); // the loader's checked exception passes through unchanged
    }

    @Override
    public void invalidate(K key) {
      function.invalidate(key);
    }

    @Override
    public MemoizedFunction<K, V> asFunction() {
      return function;
    }
  }

  /** {@link AsyncMemoizedFunction}. */
  public static final class AsyncImpl<K, V> extends Base<K> implements AsyncMemoizedFunction<K, V> {
    public AsyncImpl(MemoEngine<K, V> engine) {
      super(engine);
    }

    @Override
    public CompletableFuture<V> apply(K key) {
      return engine.getAsync(Objects.requireNonNull(key, "key")).thenApply(Memoized::decode);
      // thenApply: each caller gets its own dependent future, never the shared one
    }

    @Override
    public void invalidate(K key) {
      engine.invalidate(Objects.requireNonNull(key, "key"));
    }
  }
}
