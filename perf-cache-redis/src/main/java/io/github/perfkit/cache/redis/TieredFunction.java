package io.github.perfkit.cache.redis;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.perfkit.cache.MemoizedFunction;
import io.github.perfkit.cache.Memoizer;
import io.github.perfkit.cache.redis.internal.InvalidationOutbox;
import io.github.perfkit.cache.redis.internal.RedisLink;
import io.github.perfkit.cache.redis.internal.RedisLink.Read;
import io.lettuce.core.RedisClient;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A memoized function with two tiers: a perf-cache (Caffeine) near cache in this instance (L1) and
 * Redis shared by every instance (L2). Make one with {@link RedisTier#named(String)}.
 *
 * <p>A call is answered by L1; an L1 miss reads L2, and only an L2 miss calls the loader, whose
 * result is written to both. Within one instance, concurrent misses of a key cause one L2 read and at
 * most one load (perf-cache's stampede protection); across instances, the optional single-flight
 * lock makes N instances missing the same key cause one load. Redis being down never reaches
 * callers: they are served from L1 and the loader, and the fallbacks are counted
 * ({@link #stats()}).
 *
 * <p><b>Invalidation is never lost.</b> {@link #invalidate} drops the key from this L1 and runs
 * one script in Redis that deletes the value, gives the key a new generation and publishes a
 * message on the cache's channel; every other instance drops the key from its L1 when the message
 * arrives. When Redis cannot confirm that (down, paused, slow, breaker open, credentials refused),
 * the invalidation waits in a bounded outbox and is retried until it can; meanwhile this instance
 * neither reads the key from Redis nor writes it there. An instance whose subscription was down
 * (and so may have missed messages) clears its whole L1 when it resubscribes. Together:
 * <em>a call on this instance that starts after {@code invalidate(k)} returns never gets the old
 * value, and once Redis answers again no instance serves it for longer than
 * {@value #REDELIVERY_BOUND_MILLIS} ms plus the command timeout</em> (a reconnect, at most 1 s
 * apart with a client the cache created; the breaker's 500 ms wait; a retry every 200 ms; one
 * command timeout; the message's delivery, 1 s on a healthy connection). An instance cut off from
 * Redis itself serves its L1 until it reconnects (and clears it) or the L1 time to live passes.
 * The outbox lives in memory: what is still queued when the instance closes (logged, as a count)
 * or dies is not delivered. A full outbox throws {@link InvalidationRejectedException}.
 *
 * <p><b>A load never writes back what an invalidation removed.</b> A store of a loaded value is a
 * script that writes only if the key's generation (and the cache's, for {@link #invalidateAll})
 * is still the one read before the load started; generations live one minute, and loads longer
 * than 30 s (on the cache's {@link RedisTier.Builder#ticker ticker}) are not written to L2 at
 * all. Refused stores are counted ({@link TierStats#staleStoresRefused()}).
 *
 * <p>{@link #redisStatus()} says whether Redis is usable and, if not, why (unreachable, refused
 * credentials, commands failing); each change for the worse is logged once at {@code WARNING}
 * and the recovery once at {@code INFO} on the {@code System.Logger} named
 * {@value #LOGGER_NAME}, naming the server as {@code host:port} (never the URI or a password).
 *
 * <p>Thread-safe. Close it to release its Redis connections and, unless the client was given to
 * {@link RedisTier.Builder#redis(io.lettuce.core.RedisClient)}, its client; afterwards
 * {@link #apply}, {@link #getAll}, {@link #invalidate} and {@link #invalidateAll} throw
 * {@link IllegalStateException}.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class TieredFunction<K, V> implements Function<K, V>, AutoCloseable {

  /** The name of the {@code System.Logger} the Redis tier writes to: its API package. */
  public static final String LOGGER_NAME = "io.github.perfkit.cache.redis";

  /**
   * Once Redis answers again, a {@link InvalidationStatus#QUEUED} invalidation has reached Redis
   * and every instance with a healthy subscription within this many milliseconds plus the command
   * timeout (see the class comment for what it is made of).
   */
  public static final long REDELIVERY_BOUND_MILLIS = 3_000;

  /** How long Redis keeps a key's generation after an invalidation. */
  static final long GENERATION_TTL_MILLIS = TimeUnit.MINUTES.toMillis(1);

  /**
   * A load that took longer than this is not written to L2: its key's generation could have
   * expired meanwhile, and with it the proof that no invalidation happened. Half the generation's
   * time to live.
   */
  static final long MAX_STORED_LOAD_NANOS = TimeUnit.MILLISECONDS.toNanos(GENERATION_TTL_MILLIS / 2);

  /** How often the outbox retries while Redis does not confirm. */
  static final long RETRY_MILLIS = 200;

  private static final System.Logger LOG = System.getLogger(LOGGER_NAME);

  private final String name;
  private final String instanceId = UUID.randomUUID().toString().replace("-", "");
  private final String prefix;
  private final KeyCodec<K> keys;
  private final ValueCodec<V> values;
  private final Function<? super K, ? extends V> loader;
  private final long l2TtlMillis;
  private final long lockTtlMillis; // 0: no single-flight
  private final int maxValueBytes;
  private final Ticker ticker;
  private final MemoizedFunction<K, V> l1;
  private final InvalidationOutbox outbox;
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
  private final LongAdder staleStoresRefused = new LongAdder();
  private final LongAdder queued = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final AtomicLong generations = new AtomicLong();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final byte[] allGenerationKey;
  private volatile boolean closed;

  /** Reads every setting of {@code b} now: later changes to the builder do not reach this cache. */
  TieredFunction(RedisTier.Builder<K, V> b, Memoizer.Builder<Object, Object> l1Settings,
      Function<? super K, ? extends V> loader, RedisClient client, boolean ownsClient,
      String target) {
    this.name = b.name;
    this.prefix = b.keyPrefix + b.name + ":";
    this.allGenerationKey = (prefix + "gen").getBytes(StandardCharsets.UTF_8);
    this.keys = b.keyCodec;
    this.values = b.valueCodec;
    this.loader = loader;
    this.l2TtlMillis = b.l2Ttl.toMillis();
    this.lockTtlMillis = b.singleFlight == null ? 0 : b.singleFlight.toMillis();
    this.maxValueBytes = b.maxValueBytes;
    this.ticker = b.ticker;
    this.outbox = new InvalidationOutbox(b.maxPendingInvalidations);
    this.l1 = l1Settings.build(this::loadThrough, this::loadAllThrough);
    this.link = new RedisLink(b.name, client, ownsClient, target, b.commandTimeout,
        prefix + "invalidations", this::onInvalidation, this::clearL1, this::drain);
  }

  /**
   * This tier's Micrometer binder (see {@link TierMetrics}): the L1 under Micrometer's cache names,
   * Redis and the invalidations under {@code perfkit.cache.*}.
   *
   * <pre>{@code
   * users.metrics().bindTo(meterRegistry);
   * }</pre>
   *
   * @return a binder to configure further or bind
   */
  public TierMetrics metrics() {
    return TierMetrics.of(this);
  }

  /** @return the cache's name */
  public String name() {
    return name;
  }

  /**
   * @param key the key, not null
   * @return its value from L1, L2 or the loader
   * @throws IllegalStateException if the cache was closed
   */
  @Override
  public V apply(K key) {
    ensureOpen();
    return l1.apply(key);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("cache '" + name + "' is closed");
    }
  }

  /**
   * Values of many keys: L1 first, then one {@code MGET} for all L1 misses, then the loader for
   * what Redis did not have.
   *
   * @param keys the keys
   * @return key to value, for the keys that have one
   * @throws IllegalStateException if the cache was closed
   */
  public Map<K, V> getAll(Iterable<? extends K> keys) {
    ensureOpen();
    return l1.getAll(keys);
  }

  /**
   * Removes a key from this L1 at once and, through one script in Redis, from L2 and (by a
   * published message) from every other instance's L1; see the class comment for the bound on
   * staleness. When this returns, this instance no longer holds the old value and will not read it
   * from Redis again. Costs one Redis round trip (bounded by the command timeout) when Redis is
   * up; nothing more than a map entry when it is not, or the breaker is open.
   *
   * @param key the key, not null
   * @return {@link InvalidationStatus#DELIVERED} if Redis confirmed it,
   *     {@link InvalidationStatus#QUEUED} if it waits in the outbox for Redis
   * @throws InvalidationRejectedException if the outbox holds
   *     {@link RedisTier.Builder#maxPendingInvalidations} other keys already: the key was removed
   *     from this L1 only
   * @throws IllegalStateException if the cache was closed
   */
  public InvalidationStatus invalidate(K key) {
    Objects.requireNonNull(key, "key");
    ensureOpen();
    String encoded = keys.encode(key);
    // Into the outbox before L1 drops it: a miss from now on skips Redis for this key.
    InvalidationOutbox.Entry entry = outbox.add(encoded);
    l1.invalidate(key);
    if (entry == null) {
      rejected.increment();
      throw new InvalidationRejectedException(name, outbox.capacity());
    }
    if (deliver(entry)) {
      return InvalidationStatus.DELIVERED;
    }
    queued.increment();
    drainSoon(RETRY_MILLIS);
    return InvalidationStatus.QUEUED;
  }

  /**
   * Removes every key of this cache from this L1 at once, from L2 (a new cache generation, then
   * SCAN + UNLINK) and, by a published message, from every instance's L1. Like
   * {@link #invalidate}, it waits in the outbox (never rejected) while Redis cannot confirm it,
   * and this instance reads nothing from Redis until it is delivered. Costs a SCAN of the Redis
   * database.
   *
   * @return {@link InvalidationStatus#DELIVERED} if Redis confirmed it,
   *     {@link InvalidationStatus#QUEUED} if it waits in the outbox for Redis
   * @throws IllegalStateException if the cache was closed
   */
  public InvalidationStatus invalidateAll() {
    ensureOpen();
    InvalidationOutbox.Entry entry = outbox.addAll();
    l1.invalidateAll();
    if (deliver(entry)) {
      return InvalidationStatus.DELIVERED;
    }
    queued.increment();
    drainSoon(RETRY_MILLIS);
    return InvalidationStatus.QUEUED;
  }

  /** Tries one waiting invalidation once; true (and out of the outbox) if Redis confirmed it. */
  private boolean deliver(InvalidationOutbox.Entry entry) {
    boolean done;
    String encoded = entry.encodedKey();
    if (encoded == null) {
      done = link.set(allGenerationKey, newGeneration(), GENERATION_TTL_MILLIS) // refuse racing stores
          && link.deletePrefix(prefix + "v:")
          && link.publish(instanceId + " a");
    } else {
      done = link.invalidate(dataKey(encoded), generationKey(encoded), newGeneration(),
          GENERATION_TTL_MILLIS, instanceId + " k " + encoded);
    }
    if (done) {
      outbox.remove(entry);
      sent.increment();
    }
    return done;
  }

  private void drainSoon(long delayMillis) {
    if (drainScheduled.compareAndSet(false, true)) {
      link.runSoon(this::drain, delayMillis);
    }
  }

  /**
   * Delivers what waits, on the link's thread: after a retry interval, and when the connection
   * comes back. Stops at the first failure and tries again later.
   */
  private void drain() {
    drainScheduled.set(false);
    if (!drainOnce()) {
      drainSoon(RETRY_MILLIS);
    }
  }

  /** @return true if the outbox is empty afterwards (as far as this round saw) */
  private boolean drainOnce() {
    InvalidationOutbox.Entry all = outbox.pendingAll();
    if (all != null && !deliver(all)) {
      return false;
    }
    for (InvalidationOutbox.Entry entry : outbox.pendingKeys()) {
      if (!deliver(entry)) {
        return false;
      }
    }
    return true;
  }

  /** A generation no other invalidation anywhere has: this instance's id and a counter. */
  private byte[] newGeneration() {
    return (instanceId + ":" + generations.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
  }

  /** @return the near cache, for its hit-rate statistics and target check */
  public MemoizedFunction<K, V> l1() {
    return l1;
  }

  /** @return what the Redis tier did */
  public TierStats stats() {
    return new TierStats(l2Hits.sum(), l2Misses.sum(), l2Puts.sum(), loads.sum(),
        link.fallbacks(), oversize.sum(), sent.sum(), received.sum(), l1Clears.sum(), waits.sum(),
        staleStoresRefused.sum(), queued.sum(), rejected.sum(), outbox.size());
  }

  /**
   * @return whether Redis is usable now, as far as this instance knows: {@link #redisStatus()}
   *     is {@link RedisStatus.State#UP}
   */
  public boolean redisAvailable() {
    return link.available();
  }

  /**
   * Whether Redis is usable now and, if not, why: unreachable, refused credentials, commands
   * failing (circuit breaker open), or closed. Costs a few volatile reads.
   *
   * @return the status, with a reason that names the server but no credentials
   */
  public RedisStatus redisStatus() {
    return link.status();
  }

  /** Connection attempts of this cache's own (not Lettuce's reconnects), for tests. */
  long connectAttempts() {
    return link.connectAttempts();
  }

  /**
   * Closes the Redis connections and, if the cache created its client, the client. Invalidations
   * still in the outbox get one last try (each bounded by the command timeout, stopping at the
   * first failure); any left are logged as a count (never the keys) at {@code WARNING}.
   * Idempotent. Calls afterwards throw {@link IllegalStateException}.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (outbox.size() > 0) {
      drainOnce();
      int left = outbox.size();
      if (left > 0) {
        LOG.log(System.Logger.Level.WARNING, "perfkit cache '" + name + "' closed with " + left
            + " invalidation(s) Redis never confirmed: other instances may serve those values"
            + " until they expire from Redis and from their near caches");
      }
    }
    link.close();
  }

  private byte[] dataKey(String encoded) {
    return (prefix + "v:" + encoded).getBytes(StandardCharsets.UTF_8);
  }

  private byte[] generationKey(String encoded) {
    return (prefix + "g:" + encoded).getBytes(StandardCharsets.UTF_8);
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
    byte[] generationKey = generationKey(encoded);
    long readAt = ticker.read();
    // a key whose invalidation Redis has not confirmed: what Redis holds may be the old value
    Read read = outbox.covers(encoded) ? null
        : link.read(dataKey, generationKey, allGenerationKey);
    V value = read == null || read.value() == null ? null : decodeOrNull(read.value());
    if (value != null) {
      l2Hits.increment();
      return value;
    }
    l2Misses.increment();
    if (lockTtlMillis > 0 && read != null) {
      byte[] lockKey = lockKey(encoded);
      byte[] token = new byte[16];
      ThreadLocalRandom.current().nextBytes(token);
      Boolean mine = link.tryLock(lockKey, token, lockTtlMillis);
      if (Boolean.TRUE.equals(mine)) {
        try {
          return loadAndStore(key, dataKey, generationKey, read, readAt);
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
    return loadAndStore(key, dataKey, generationKey, read, readAt);
  }

  /** Polls L2 while another instance holds the load lock; null if it gave up or the lock expired. */
  private V awaitOtherInstance(byte[] dataKey, byte[] lockKey) {
    // on the cache's ticker; with a fake one that stands still, the lock's expiry in Redis (real
    // time) still ends the wait
    long deadline = ticker.read() + TimeUnit.MILLISECONDS.toNanos(lockTtlMillis);
    long pause = 2;
    while (ticker.read() - deadline < 0) {
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

  /**
   * Loads and writes the value to L2 if {@code before} (read before the load began) is still
   * current; a null {@code before} (Redis did not answer) means no L2 write.
   */
  private V loadAndStore(K key, byte[] dataKey, byte[] generationKey, Read before, long readAt) {
    loads.increment();
    V value = loader.apply(key);
    if (value != null && before != null) {
      store(dataKey, generationKey, value, before, readAt);
    }
    return value;
  }

  private void store(byte[] dataKey, byte[] generationKey, V value, Read before, long readAt) {
    byte[] bytes = values.encode(value);
    if (bytes.length > maxValueBytes) {
      oversize.increment();
      return;
    }
    if (ticker.read() - readAt > MAX_STORED_LOAD_NANOS) {
      staleStoresRefused.increment(); // the generation read before may have expired since
      return;
    }
    switch (link.storeIfUnchanged(dataKey, generationKey, allGenerationKey, bytes, l2TtlMillis,
        before)) {
      case STORED -> l2Puts.increment();
      case REFUSED -> staleStoresRefused.increment();
      case UNKNOWN -> { } // counted as a fallback
    }
  }

  private Map<K, V> loadAllThrough(Set<K> missing) {
    List<K> order = new ArrayList<>(missing);
    List<byte[]> dataKeys = new ArrayList<>(order.size());
    List<byte[]> generationKeys = new ArrayList<>(order.size());
    for (K k : order) {
      String encoded = keys.encode(k);
      dataKeys.add(dataKey(encoded));
      generationKeys.add(generationKey(encoded));
    }
    long readAt = ticker.read();
    List<Read> reads = link.readAll(dataKeys, generationKeys, allGenerationKey);
    Map<K, V> out = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      Read read = reads == null || outbox.covers(keys.encode(order.get(i))) ? null : reads.get(i);
      V value = read == null || read.value() == null ? null : decodeOrNull(read.value());
      if (value != null) {
        l2Hits.increment();
        out.put(order.get(i), value);
      } else {
        l2Misses.increment();
        V loaded = loadAndStore(order.get(i), dataKeys.get(i), generationKeys.get(i), read, readAt);
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
        + link.status().state() + "]";
  }
}
