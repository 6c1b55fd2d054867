package io.github.perfkit.cache.redis.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The Redis side of a tiered cache: one command connection (byte arrays), one pub/sub connection,
 * a circuit breaker and a command timeout. Every operation returns a "don't know" value instead of
 * throwing when Redis is down, slow or the breaker is open, and counts a fallback. When the first
 * connection fails (Redis down at startup) it keeps retrying in the background; afterwards Lettuce
 * reconnects by itself. Thread-safe.
 */
public final class RedisLink implements AutoCloseable {

  private static final String UNLOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then "
      + "return redis.call('del', KEYS[1]) else return 0 end";

  private final RedisClient client;
  private final boolean ownsClient;
  private final Duration timeout;
  private final String channel;
  private final Consumer<String> onMessage;
  private final Runnable onResubscribed;
  private final CircuitBreaker breaker;
  private final LongAdder fallbacks = new LongAdder();
  private final ScheduledExecutorService connector;
  private final AtomicBoolean pubSubWasDown = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile StatefulRedisConnection<byte[], byte[]> connection;
  private volatile StatefulRedisPubSubConnection<String, String> pubSub;

  /**
   * Connects now if it can, else keeps trying in the background.
   *
   * @param name the cache's name (breaker and thread names)
   * @param client the Lettuce client
   * @param ownsClient whether {@link #close()} shuts the client down
   * @param timeout command timeout
   * @param channel the invalidation channel
   * @param onMessage receives each invalidation message
   * @param onResubscribed runs when the subscription comes back after it was down (messages may
   *     have been lost) or first succeeds after a failed start
   */
  public RedisLink(String name, RedisClient client, boolean ownsClient, Duration timeout,
      String channel, Consumer<String> onMessage, Runnable onResubscribed) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.timeout = timeout;
    this.channel = channel;
    this.onMessage = onMessage;
    this.onResubscribed = onResubscribed;
    this.breaker = CircuitBreaker.of("perfkit-cache-" + name, CircuitBreakerConfig.custom()
        .slidingWindowSize(20)
        .minimumNumberOfCalls(5)
        .failureRateThreshold(50)
        .slowCallDurationThreshold(timeout)
        .slowCallRateThreshold(80)
        .waitDurationInOpenState(Duration.ofMillis(500))
        .permittedNumberOfCallsInHalfOpenState(2)
        .build());
    this.connector = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "perfkit-cache-" + name + "-connect");
      t.setDaemon(true);
      return t;
    });
    client.addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
        if (handler == pubSub && pubSubWasDown.compareAndSet(true, false)) {
          onResubscribed.run(); // Lettuce resubscribes; what was published meanwhile is lost
        }
      }

      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
        if (handler == pubSub) {
          pubSubWasDown.set(true);
        }
      }
    });
    if (!tryConnect()) {
      connector.schedule(this::connectLoop, 200, TimeUnit.MILLISECONDS);
    }
  }

  private void connectLoop() {
    if (closed.get()) {
      return;
    }
    if (tryConnect()) {
      onResubscribed.run(); // we ran without invalidations until now
    } else {
      connector.schedule(this::connectLoop, 500, TimeUnit.MILLISECONDS);
    }
  }

  private boolean tryConnect() {
    StatefulRedisConnection<byte[], byte[]> c = null;
    StatefulRedisPubSubConnection<String, String> p = null;
    try {
      c = client.connect(ByteArrayCodec.INSTANCE);
      c.setTimeout(timeout);
      p = client.connectPubSub(StringCodec.UTF8);
      p.setTimeout(timeout);
      p.addListener(new RedisPubSubAdapter<>() {
        @Override
        public void message(String from, String message) {
          if (channel.equals(from)) {
            onMessage.accept(message);
          }
        }
      });
      p.sync().subscribe(channel);
      pubSub = p;
      connection = c;
      return true;
    } catch (RuntimeException e) {
      if (p != null) {
        p.closeAsync();
      }
      if (c != null) {
        c.closeAsync();
      }
      return false;
    }
  }

  /** @return whether the command connection exists and the breaker lets calls through */
  public boolean available() {
    StatefulRedisConnection<byte[], byte[]> c = connection;
    return c != null && c.isOpen() && breaker.getState() != CircuitBreaker.State.OPEN;
  }

  /** @return calls answered without Redis because it was down, slow or the breaker was open */
  public long fallbacks() {
    return fallbacks.sum();
  }

  /** @return the breaker's state, for diagnostics */
  public String breakerState() {
    return breaker.getState().name();
  }

  private <T> T call(Callable<T> command, T otherwise) {
    StatefulRedisConnection<byte[], byte[]> c = connection;
    if (c == null) {
      fallbacks.increment();
      return otherwise;
    }
    try {
      return breaker.executeCallable(command);
    } catch (Exception e) {
      fallbacks.increment();
      return otherwise;
    }
  }

  private RedisCommands<byte[], byte[]> sync() {
    return connection.sync();
  }

  /**
   * @param key the key
   * @return its value, or null when absent or Redis could not answer
   */
  public byte[] get(byte[] key) {
    return call(() -> sync().get(key), null);
  }

  /**
   * @param keys the keys
   * @return values in key order (null for absent); all null when Redis could not answer
   */
  public List<byte[]> mget(List<byte[]> keys) {
    List<byte[]> none = new ArrayList<>(keys.size());
    keys.forEach(k -> none.add(null));
    return call(() -> {
      List<KeyValue<byte[], byte[]>> kvs = sync().mget(keys.toArray(new byte[0][]));
      List<byte[]> values = new ArrayList<>(kvs.size());
      for (KeyValue<byte[], byte[]> kv : kvs) {
        values.add(kv.hasValue() ? kv.getValue() : null);
      }
      return values;
    }, none);
  }

  /**
   * @param key the key
   * @param value the value
   * @param ttlMillis expiry
   * @return whether Redis stored it
   */
  public boolean set(byte[] key, byte[] value, long ttlMillis) {
    return call(() -> "OK".equals(sync().set(key, value, SetArgs.Builder.px(ttlMillis))), false);
  }

  /**
   * @param key a lock key
   * @param token this holder's token
   * @param ttlMillis lock expiry
   * @return true if taken, false if someone holds it, null if Redis could not answer
   */
  public Boolean tryLock(byte[] key, byte[] token, long ttlMillis) {
    return call(() -> "OK".equals(sync().set(key, token, SetArgs.Builder.nx().px(ttlMillis))),
        null);
  }

  /**
   * Releases a lock only if this token still holds it.
   *
   * @param key the lock key
   * @param token the token
   */
  public void unlock(byte[] key, byte[] token) {
    call(() -> sync().eval(UNLOCK, ScriptOutputType.INTEGER, new byte[][] {key}, token), 0L);
  }

  /**
   * @param key a key
   * @return true if it exists, false if not or Redis could not answer
   */
  public boolean exists(byte[] key) {
    return call(() -> sync().exists(key) > 0, false);
  }

  /**
   * @param key the key
   * @return whether Redis answered
   */
  public boolean delete(byte[] key) {
    return call(() -> {
      sync().unlink(key);
      return true;
    }, false);
  }

  /**
   * Deletes every key starting with {@code prefix} (SCAN + UNLINK, 500 at a time).
   *
   * @param prefix the prefix
   * @return whether Redis answered throughout
   */
  public boolean deletePrefix(String prefix) {
    return call(() -> {
      ScanArgs args = ScanArgs.Builder.matches(prefix + "*").limit(500);
      KeyScanCursor<byte[]> cursor = sync().scan(args);
      while (true) {
        if (!cursor.getKeys().isEmpty()) {
          sync().unlink(cursor.getKeys().toArray(new byte[0][]));
        }
        if (cursor.isFinished()) {
          return true;
        }
        cursor = sync().scan(ScanCursor.of(cursor.getCursor()), args);
      }
    }, false);
  }

  /**
   * @param message the invalidation message
   * @return whether Redis took it
   */
  public boolean publish(String message) {
    return call(() -> {
      sync().publish(channel.getBytes(StandardCharsets.UTF_8),
          message.getBytes(StandardCharsets.UTF_8));
      return true;
    }, false);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    connector.shutdownNow();
    StatefulRedisPubSubConnection<String, String> p = pubSub;
    if (p != null) {
      p.close();
    }
    StatefulRedisConnection<byte[], byte[]> c = connection;
    if (c != null) {
      c.close();
    }
    if (ownsClient) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
