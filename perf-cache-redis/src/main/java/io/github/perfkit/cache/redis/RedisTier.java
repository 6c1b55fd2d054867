package io.github.perfkit.cache.redis;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.perfkit.cache.Memoizer;
import io.github.perfkit.cache.redis.internal.RedisUris;
import io.github.perfkit.core.internal.Require;
import io.github.perfkit.core.internal.SetOnce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.function.Function;

/**
 * The front door of perf-cache-redis: a two-level cache for a fleet of instances.
 *
 * <pre>{@code
 * TieredFunction<Long, User> users = RedisTier.<Long, User>named("users")
 *     .redis("redis://127.0.0.1:6379")
 *     .keys(KeyCodec.longs())
 *     .values(ValueCodec.java())
 *     .l1(10_000, Duration.ofMinutes(1))          // near cache: size, time to live
 *     .l2Ttl(Duration.ofMinutes(30))              // Redis: time to live
 *     .singleFlight(Duration.ofSeconds(5))        // one load across instances
 *     .build(userService::load);
 * }</pre>
 *
 * <p>Builders are not thread-safe. Each setting may be set once (a second call throws
 * {@link IllegalStateException} naming it; {@code redis(uri)} and {@code redis(client)} are one
 * setting); a bad argument fails in its setter, naming the parameter; a missing required setting
 * fails in {@link Builder#build}. A builder only holds settings: it creates no client, thread or
 * connection, so one that is abandoned leaks nothing. Each {@link Builder#build} creates an
 * independent cache with its own Lettuce {@code RedisClient} (its own event-loop threads) and two
 * connections (one for commands, one for invalidation messages), all released by
 * {@link TieredFunction#close()}; two caches built from one builder share nothing. To share one
 * client among many caches, pass your own with {@link Builder#redis(RedisClient)}.
 */
public final class RedisTier {

  /** What Redis keys and the invalidation channel start with unless {@link Builder#keyPrefix} says. */
  public static final String DEFAULT_KEY_PREFIX = "perfkit:cache:";

  private RedisTier() {}

  /**
   * Starts a two-level cache.
   *
   * @param name the cache's name: Redis keys {@code perfkit:cache:<name>:...} (see
   *     {@link Builder#keyPrefix}), channel, metrics tag
   * @param <K> key type
   * @param <V> value type
   * @return a builder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank or holds a space or {@code '*'}
   */
  public static <K, V> Builder<K, V> named(String name) {
    Require.notBlank(name, "name");
    if (name.contains(" ") || name.contains("*")) {
      throw new IllegalArgumentException(
          "name must not contain spaces or '*' but was '" + name + "'");
    }
    return new Builder<>(name);
  }

  /**
   * Settings of a {@link TieredFunction}. Each setting may be set once. Not thread-safe;
   * {@link #build} copies what it needs, so the builder may be reused (and given settings it has
   * not made yet) without changing a cache built before.
   *
   * @param <K> key type
   * @param <V> value type
   */
  public static final class Builder<K, V> {
    final String name;
    private final SetOnce set = new SetOnce();
    private String uri; // validated; each build() makes its own client from it
    private String target; // host:port of uri, for status and log lines
    private RedisClient userClient;
    KeyCodec<K> keyCodec;
    ValueCodec<V> valueCodec;
    Duration l2Ttl = Duration.ofMinutes(10);
    Duration singleFlight;
    int maxValueBytes = 1024 * 1024;
    Duration commandTimeout = Duration.ofMillis(250);
    int maxPendingInvalidations = 10_000;
    Ticker ticker = Ticker.systemTicker();
    String keyPrefix = DEFAULT_KEY_PREFIX;
    private long l1Size = 10_000;
    private Duration l1Ttl = Duration.ofMinutes(1);

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Connects to Redis at {@code uri}. The URI is checked now; the client is created by
     * {@link #build}, one per cache, and shut down by the cache's {@link TieredFunction#close()}.
     * Its connect handshake and commands use {@link #commandTimeout}. Set once: this or
     * {@link #redis(RedisClient)}.
     *
     * @param uri e.g. {@code redis://127.0.0.1:6379} or {@code redis://:password@host:6379/0};
     *     Lettuce's {@code RedisURI} syntax, with {@code redis}, {@code rediss},
     *     {@code redis-socket} or {@code redis-sentinel} schemes
     * @return this builder
     * @throws IllegalArgumentException if {@code uri} cannot be parsed, or has no host or a port
     *     outside 1..65535; the message names {@code uri} and never repeats it (it may hold a
     *     password)
     * @throws IllegalStateException if Redis was set before
     */
    public Builder<K, V> redis(String uri) {
      Require.notNull(uri, "uri");
      String described = RedisUris.describe(RedisUris.parse(uri));
      set.mark("redis");
      this.target = described;
      this.uri = uri;
      return this;
    }

    /**
     * Uses a Lettuce client you manage, which any number of caches may share (its options are
     * yours; closing a cache closes its connections and leaves the client running). Set
     * {@code DisconnectedBehavior.REJECT_COMMANDS} on it, or calls wait for a reconnect.
     *
     * @param client the client
     * @return this builder
     * @throws IllegalStateException if Redis was set before
     */
    public Builder<K, V> redis(RedisClient client) {
      Require.notNull(client, "client");
      set.mark("redis");
      this.userClient = client;
      this.target = "Redis (the application's client)";
      return this;
    }

    /**
     * @param codec how keys are named in Redis and in invalidation messages
     * @return this builder
     */
    public Builder<K, V> keys(KeyCodec<K> codec) {
      Require.notNull(codec, "codec");
      set.mark("keys");
      this.keyCodec = codec;
      return this;
    }

    /**
     * @param codec how values are stored in Redis
     * @return this builder
     */
    public Builder<K, V> values(ValueCodec<V> codec) {
      Require.notNull(codec, "codec");
      set.mark("values");
      this.valueCodec = codec;
      return this;
    }

    /**
     * The near cache: at most {@code maximumSize} entries, each kept at most {@code ttl} after it
     * was loaded (this also bounds how stale an entry can get if an invalidation message is lost).
     * Default 10,000 entries and 1 minute.
     *
     * @param maximumSize entries, {@code >= 0}
     * @param ttl time to live, positive
     * @return this builder
     */
    public Builder<K, V> l1(long maximumSize, Duration ttl) {
      Require.nonNegative(maximumSize, "maximumSize");
      Require.positive(ttl, "ttl");
      set.mark("l1");
      this.l1Ttl = ttl;
      this.l1Size = maximumSize;
      return this;
    }

    /**
     * @param ttl how long a value lives in Redis (default 10 minutes), positive
     * @return this builder
     */
    public Builder<K, V> l2Ttl(Duration ttl) {
      Require.positive(ttl, "l2Ttl");
      set.mark("l2Ttl");
      this.l2Ttl = ttl;
      return this;
    }

    /**
     * Distributed single-flight: on an L2 miss, an instance takes a short Redis lock
     * ({@code SET NX PX}) for the key before loading; the others poll L2 until the value appears,
     * the lock is released without one, or {@code lockTtl} passes, and then load themselves. The
     * trade-off: one load instead of N, paid for with two more Redis round trips per L2 miss and,
     * for waiters, up to {@code lockTtl} of extra latency if the holder dies. Off by default.
     *
     * @param lockTtl how long a load may hold the lock, positive
     * @return this builder
     */
    public Builder<K, V> singleFlight(Duration lockTtl) {
      Require.positive(lockTtl, "lockTtl");
      set.mark("singleFlight");
      this.singleFlight = lockTtl;
      return this;
    }

    /**
     * @param bytes the largest encoded value stored in Redis (default 1 MiB); larger values stay in
     *     L1 only and are counted
     * @return this builder
     */
    public Builder<K, V> maxValueBytes(int bytes) {
      Require.positive(bytes, "maxValueBytes");
      set.mark("maxValueBytes");
      this.maxValueBytes = bytes;
      return this;
    }

    /**
     * @param timeout the longest a Redis command may take before the call falls back (default
     *     250 ms), positive
     * @return this builder
     */
    public Builder<K, V> commandTimeout(Duration timeout) {
      Require.positive(timeout, "commandTimeout");
      set.mark("commandTimeout");
      this.commandTimeout = timeout;
      return this;
    }

    /**
     * The capacity of the outbox that keeps invalidations Redis has not confirmed (it was down,
     * paused or refusing) until it does: at most this many distinct keys may wait (an
     * {@code invalidateAll} always fits). When it is full, {@link TieredFunction#invalidate}
     * throws {@link InvalidationRejectedException}. Each waiting key costs its encoded name and an
     * entry of a concurrent map (about 100 bytes). Default 10,000.
     *
     * @param keys the most distinct keys that may wait, {@code >= 1}
     * @return this builder
     */
    public Builder<K, V> maxPendingInvalidations(int keys) {
      Require.positive(keys, "maxPendingInvalidations");
      set.mark("maxPendingInvalidations");
      this.maxPendingInvalidations = keys;
      return this;
    }

    /**
     * What this cache's Redis keys and invalidation channel start with, before the cache's name:
     * keys are {@code <prefix><name>:v:<key>} and so on. Default {@value RedisTier#DEFAULT_KEY_PREFIX}.
     * Instances share a cache when they have the same prefix and name; a prefix per application
     * (or per test) keeps caches of one name apart on one Redis. {@link TieredFunction#invalidateAll}
     * deletes what matches {@code <prefix><name>:v:*}.
     *
     * @param prefix the prefix, possibly empty; no spaces or glob characters ({@code * ? [ ] \})
     * @return this builder
     * @throws IllegalArgumentException if {@code prefix} holds a space or a glob character
     * @throws IllegalStateException if the prefix was set before
     */
    public Builder<K, V> keyPrefix(String prefix) {
      Require.notNull(prefix, "prefix");
      for (char c : new char[] {' ', '*', '?', '[', ']', '\\'}) {
        if (prefix.indexOf(c) >= 0) {
          throw new IllegalArgumentException("prefix must not contain spaces or glob characters "
              + "(* ? [ ] \\) but was '" + prefix + "'");
        }
      }
      set.mark("keyPrefix");
      this.keyPrefix = prefix;
      return this;
    }

    /**
     * The time source for every timing decision of the cache, as {@link Memoizer.Builder#ticker}
     * is for perf-cache (tests pass a fake): the L1's expiry and its load timing
     * ({@code l1().stats().totalLoadTime()}, {@code l1().loadTimes()}), the age of a load when it
     * is written to Redis (older than 30 s: not written), and how long an instance waits for
     * another one's single-flight load. What runs on Redis's own clock (time to live of values,
     * locks and generations) and the schedule of the connection and outbox retries (a timer
     * thread) stay in real time. Default {@link Ticker#systemTicker()}.
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
     * Creates the cache, with a Redis client of its own unless one was given to
     * {@link #redis(RedisClient)}. It tries to connect once at once (bounded by the command
     * timeout for the handshake) and never fails because Redis is down or refuses the
     * credentials: it keeps connecting in the background, says why in
     * {@link TieredFunction#redisStatus()} and logs it once. The builder can be changed and used
     * again afterwards without affecting this cache.
     *
     * @param loader computes a value on a miss in both tiers
     * @return the cache
     * @throws NullPointerException if {@code loader} is null
     * @throws IllegalStateException if {@code redis}, {@code keys} or {@code values} was not set
     */
    public TieredFunction<K, V> build(Function<? super K, ? extends V> loader) {
      Require.notNull(loader, "loader");
      Require.state(set.isSet("redis"), "redis(...) must be set on cache '" + name + "'");
      Require.state(set.isSet("keys"), "keys(...) must be set on cache '" + name + "'");
      Require.state(set.isSet("values"), "values(...) must be set on cache '" + name + "'");
      Memoizer.Builder<Object, Object> l1 =
          Memoizer.named(name).maximumSize(l1Size).expireAfterWrite(l1Ttl).ticker(ticker);
      if (userClient != null) {
        return new TieredFunction<>(this, l1, loader, userClient, false, target);
      }
      RedisURI parsed = RedisUris.parse(uri);
      parsed.setTimeout(commandTimeout); // the connect handshake (HELLO, AUTH) too
      // Lettuce backs off to 30 s between reconnects; 1 s keeps the outbox's bound short
      ClientResources resources = ClientResources.builder()
          .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2,
              TimeUnit.MILLISECONDS))
          .build();
      RedisClient client = RedisClient.create(resources, parsed);
      try {
        client.setOptions(ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
            .build());
        return new TieredFunction<>(this, l1, loader, client, true, target);
      } catch (RuntimeException | Error e) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
        throw e;
      }
    }
  }
}
