package io.github.perfkit.cache.redis;

import io.github.perfkit.cache.MemoizedFunction;
import io.github.perfkit.cache.redis.internal.RedisLink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A memoized function with two tiers: a perf-cache (Caffeine) near cache in this instance (L1) and
 * Redis shared by every instance (L2). Make one with {@link RedisTier#named(String)}.
 *
 * <p>A call is answered by L1; an L1 miss reads L2, and only an L2 miss calls the loader, whose
 * result is written to both. Within one instance, concurrent misses of a key cause one L2 read and at
 * most one load (perf-cache's stampede protection); across instances, the optional single-flight
 * lock makes N instances missing the same key cause one load.
 *
 * <p>{@link #invalidate} deletes the key from L2 and from this L1, then publishes a message on the
 * cache's channel; every other instance drops the key from its L1 when the message arrives. Redis
 * being down never reaches callers: they are served from L1 and the loader, and the fallbacks are
 * counted ({@link #stats()}).
 *
 * <p>Thread-safe. Close it to release its Redis connections.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class TieredFunction<K, V> implements Function<K, V>, AutoCloseable {

  private final String name;
  private final String instanceId = UUID.randomUUID().toString().replace("-", "");
  private final String prefix;
  private final KeyCodec<K> keys;
  private final ValueCodec<V> values;
  private final Function<? super K, ? extends V> loader;
  private final long l2TtlMillis;
  private final long lockTtlMillis; // 0: no single-flight
  private final int maxValueBytes;
  private final MemoizedFunction<K, V> l1;
  private final RedisLink link;
  private final LongAdder l2Hits = new LongAdder();
  private final LongAdder l2Misses = new LongAdder();
  private final LongAdder l2Puts = new LongAdder();
  private final LongAdder loads = new LongAdder();
  private final LongAdder oversize = new LongAdder();
  private final LongAdder sent = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder l1Clears = new LongAdder();
  private final LongAdder waits = new LongAdder();

  TieredFunction(RedisTier.Builder<K, V> b, Function<? super K, ? extends V> loader) {
    this.name = b.name;
    this.prefix = "perfkit:cache:" + b.name + ":";
    this.keys = b.keyCodec;
    this.values = b.valueCodec;
    this.loader = loader;
    this.l2TtlMillis = b.l2Ttl.toMillis();
    this.lockTtlMillis = b.singleFlight == null ? 0 : b.singleFlight.toMillis();
    this.maxValueBytes = b.maxValueBytes;
    this.l1 = b.l1.memoize(this::loadThrough, this::loadAllThrough);
    this.link = new RedisLink(b.name, b.client, b.ownsClient, b.commandTimeout,
        prefix + "invalidations", this::onInvalidation, this::clearL1);
    if (b.registry != null) {
      TierMetrics.bind(this, b.registry);
    }
  }

  /** @return the cache's name */
  public String name() {
    return name;
  }

  /**
   * @param key the key, not null
   * @return its value from L1, L2 or the loader
   */
  @Override
  public V apply(K key) {
    return l1.apply(key);
  }

  /**
   * Values of many keys: L1 first, then one {@code MGET} for all L1 misses, then the loader for
   * what Redis did not have.
   *
   * @param keys the keys
   * @return key to value, for the keys that have one
   */
  public Map<K, V> getAll(Iterable<? extends K> keys) {
    return l1.getAll(keys);
  }

  /**
   * Removes a key from L2, from this L1 and, through a published message, from every other
   * instance's L1.
   *
   * @param key the key, not null
   */
  public void invalidate(K key) {
    Objects.requireNonNull(key, "key");
    String encoded = keys.encode(key);
    link.delete(dataKey(encoded));
    l1.invalidate(key);
    if (link.publish(instanceId + " k " + encoded)) {
      sent.increment();
    }
  }

  /** Removes every key of this cache from L2 (SCAN + UNLINK) and from every instance's L1. */
  public void invalidateAll() {
    link.deletePrefix(prefix + "v:");
    l1.invalidateAll();
    if (link.publish(instanceId + " a")) {
      sent.increment();
    }
  }

  /** @return the near cache, for its hit-rate statistics and target check */
  public MemoizedFunction<K, V> l1() {
    return l1;
  }

  /** @return what the Redis tier did */
  public TierStats stats() {
    return new TierStats(l2Hits.sum(), l2Misses.sum(), l2Puts.sum(), loads.sum(),
        link.fallbacks(), oversize.sum(), sent.sum(), received.sum(), l1Clears.sum(), waits.sum());
  }

  /** @return whether Redis is reachable now (as far as this instance knows) */
  public boolean redisAvailable() {
    return link.available();
  }

  @Override
  public void close() {
    link.close();
  }

  private byte[] dataKey(String encoded) {
    return (prefix + "v:" + encoded).getBytes(StandardCharsets.UTF_8);
  }

  private byte[] lockKey(String encoded) {
    return (prefix + "l:" + encoded).getBytes(StandardCharsets.UTF_8);
  }

  private void onInvalidation(String message) {
    int space = message.indexOf(' ');
    if (space < 0 || message.substring(0, space).equals(instanceId)) {
      return; // malformed, or our own
    }
    String rest = message.substring(space + 1);
    try {
      if (rest.equals("a")) {
        l1.invalidateAll();
      } else if (rest.startsWith("k ")) {
        l1.invalidate(keys.decode(rest.substring(2)));
      } else {
        return;
      }
      received.increment();
    } catch (RuntimeException e) {
      clearL1(); // a key we cannot decode: be safe rather than stale
    }
  }

  private void clearL1() {
    l1.invalidateAll();
    l1Clears.increment();
  }

  private V decodeOrNull(byte[] bytes) {
    try {
      return values.decode(bytes);
    } catch (RuntimeException e) {
      return null; // incompatible bytes: load again
    }
  }

  private V loadThrough(K key) {
    String encoded = keys.encode(key);
    byte[] dataKey = dataKey(encoded);
    byte[] cached = link.get(dataKey);
    V value = cached == null ? null : decodeOrNull(cached);
    if (value != null) {
      l2Hits.increment();
      return value;
    }
    l2Misses.increment();
    if (lockTtlMillis > 0) {
      byte[] lockKey = lockKey(encoded);
      byte[] token = new byte[16];
      ThreadLocalRandom.current().nextBytes(token);
      Boolean mine = link.tryLock(lockKey, token, lockTtlMillis);
      if (Boolean.TRUE.equals(mine)) {
        try {
          return loadAndStore(key, dataKey);
        } finally {
          link.unlock(lockKey, token);
        }
      }
      if (Boolean.FALSE.equals(mine)) {
        waits.increment();
        V loadedElsewhere = awaitOtherInstance(dataKey, lockKey);
        if (loadedElsewhere != null) {
          return loadedElsewhere;
        }
      }
    }
    return loadAndStore(key, dataKey);
  }

  /** Polls L2 while another instance holds the load lock; null if it gave up or the lock expired. */
  private V awaitOtherInstance(byte[] dataKey, byte[] lockKey) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lockTtlMillis);
    long pause = 2;
    while (System.nanoTime() < deadline) {
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      pause = Math.min(pause * 2, 50);
      byte[] bytes = link.get(dataKey);
      V value = bytes == null ? null : decodeOrNull(bytes);
      if (value != null) {
        l2Hits.increment();
        return value;
      }
      if (!link.exists(lockKey)) {
        return null; // the holder failed or gave up: load it here
      }
    }
    return null;
  }

  private V loadAndStore(K key, byte[] dataKey) {
    loads.increment();
    V value = loader.apply(key);
    if (value != null) {
      store(dataKey, value);
    }
    return value;
  }

  private void store(byte[] dataKey, V value) {
    byte[] bytes = values.encode(value);
    if (bytes.length > maxValueBytes) {
      oversize.increment();
      return;
    }
    if (link.set(dataKey, bytes, l2TtlMillis)) {
      l2Puts.increment();
    }
  }

  private Map<K, V> loadAllThrough(Set<K> missing) {
    List<K> order = new ArrayList<>(missing);
    List<byte[]> dataKeys = new ArrayList<>(order.size());
    for (K k : order) {
      dataKeys.add(dataKey(keys.encode(k)));
    }
    List<byte[]> found = link.mget(dataKeys);
    Map<K, V> out = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      V value = found.get(i) == null ? null : decodeOrNull(found.get(i));
      if (value != null) {
        l2Hits.increment();
        out.put(order.get(i), value);
      } else {
        l2Misses.increment();
        V loaded = loadAndStore(order.get(i), dataKeys.get(i));
        if (loaded != null) {
          out.put(order.get(i), loaded);
        }
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "TieredFunction[" + name + ", l1=" + l1.estimatedSize() + ", redis "
        + (link.available() ? "up" : "down") + "]";
  }
}
