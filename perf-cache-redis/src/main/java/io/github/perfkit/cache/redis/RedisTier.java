package io.github.perfkit.cache.redis;

import io.github.perfkit.cache.Memoizer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
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
 *     .memoize(userService::load);
 * }</pre>
 *
 * <p>Builders are not thread-safe; each {@link Builder#memoize} creates an independent cache with
 * its own Redis connections (one for commands, one for invalidation messages).
 */
public final class RedisTier {

  private RedisTier() {}

  /**
   * Starts a two-level cache.
   *
   * @param name the cache's name: Redis keys {@code perfkit:cache:<name>:...}, channel, metrics tag
   * @param <K> key type
   * @param <V> value type
   * @return a builder
   */
  public static <K, V> Builder<K, V> named(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.contains(" ") || name.contains("*")) {
      throw new IllegalArgumentException(
          "name must be non-blank without spaces or '*' but was '" + name + "'");
    }
    return new Builder<>(name);
  }

  /**
   * Settings of a {@link TieredFunction}.
   *
   * @param <K> key type
   * @param <V> value type
   */
  public static final class Builder<K, V> {
    final String name;
    RedisClient client;
    boolean ownsClient;
    KeyCodec<K> keyCodec;
    ValueCodec<V> valueCodec;
    Memoizer.Builder<Object, Object> l1;
    Duration l2Ttl = Duration.ofMinutes(10);
    Duration singleFlight;
    int maxValueBytes = 1024 * 1024;
    Duration commandTimeout = Duration.ofMillis(250);
    MeterRegistry registry;
    private long l1Size = 10_000;
    private Duration l1Ttl = Duration.ofMinutes(1);

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Connects to Redis at {@code uri} with a client this cache owns (and shuts down on close).
     *
     * @param uri e.g. {@code redis://127.0.0.1:6379}
     * @return this builder
     */
    public Builder<K, V> redis(String uri) {
      Objects.requireNonNull(uri, "uri");
      this.client = RedisClient.create(uri);
      this.ownsClient = true;
      return this;
    }

    /**
     * Uses a Lettuce client you manage (its options are yours; closing the cache leaves it running).
     * Set {@code DisconnectedBehavior.REJECT_COMMANDS} on it, or calls wait for a reconnect.
     *
     * @param client the client
     * @return this builder
     */
    public Builder<K, V> redis(RedisClient client) {
      this.client = Objects.requireNonNull(client, "client");
      this.ownsClient = false;
      return this;
    }

    /**
     * @param codec how keys are named in Redis and in invalidation messages
     * @return this builder
     */
    public Builder<K, V> keys(KeyCodec<K> codec) {
      this.keyCodec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /**
     * @param codec how values are stored in Redis
     * @return this builder
     */
    public Builder<K, V> values(ValueCodec<V> codec) {
      this.valueCodec = Objects.requireNonNull(codec, "codec");
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
      if (maximumSize < 0) {
        throw new IllegalArgumentException("maximumSize must be >= 0 but was " + maximumSize);
      }
      this.l1Ttl = positive("ttl", ttl);
      this.l1Size = maximumSize;
      return this;
    }

    /**
     * @param ttl how long a value lives in Redis (default 10 minutes), positive
     * @return this builder
     */
    public Builder<K, V> l2Ttl(Duration ttl) {
      this.l2Ttl = positive("ttl", ttl);
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
      this.singleFlight = positive("lockTtl", lockTtl);
      return this;
    }

    /**
     * @param bytes the largest encoded value stored in Redis (default 1 MiB); larger values stay in
     *     L1 only and are counted
     * @return this builder
     */
    public Builder<K, V> maxValueBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("bytes must be >= 1 but was " + bytes);
      }
      this.maxValueBytes = bytes;
      return this;
    }

    /**
     * @param timeout the longest a Redis command may take before the call falls back (default
     *     250 ms), positive
     * @return this builder
     */
    public Builder<K, V> commandTimeout(Duration timeout) {
      this.commandTimeout = positive("timeout", timeout);
      return this;
    }

    /**
     * Registers meters: L1 under Micrometer's cache names with {@code tier=l1}, L2 with
     * {@code tier=l2}, plus fallbacks and invalidation messages.
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder<K, V> metrics(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Creates the cache; never fails because Redis is down (it connects in the background).
     *
     * @param loader computes a value on a miss in both tiers
     * @return the cache
     */
    public TieredFunction<K, V> memoize(Function<? super K, ? extends V> loader) {
      Objects.requireNonNull(loader, "loader");
      if (client == null) {
        throw new IllegalStateException("redis(...) must be set");
      }
      if (keyCodec == null) {
        throw new IllegalStateException("keys(...) must be set");
      }
      if (valueCodec == null) {
        throw new IllegalStateException("values(...) must be set");
      }
      if (ownsClient) {
        client.setOptions(ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
            .build());
      }
      l1 = Memoizer.named(name).maximumSize(l1Size).expireAfterWrite(l1Ttl);
      return new TieredFunction<>(this, loader);
    }

    private static Duration positive(String parameter, Duration value) {
      Objects.requireNonNull(value, parameter);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(parameter + " must be positive but was " + value);
      }
      return value;
    }
  }
}
