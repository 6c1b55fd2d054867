package io.github.perfkit.cache.redis.internal;

import io.github.perfkit.cache.redis.RedisStatus;
import io.github.perfkit.cache.redis.RedisStatus.State;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import reactor.core.Disposable;

/**
 * The Redis side of a tiered cache: one command connection (byte arrays), one pub/sub connection,
 * a circuit breaker and a command timeout. Every operation returns a "don't know" value instead of
 * throwing when Redis is down, slow or the breaker is open, and counts a fallback. When the first
 * connection fails (Redis down at startup, wrong password) it keeps retrying in the background;
 * afterwards Lettuce reconnects by itself. What it sees becomes a {@link RedisStatus}
 * ({@link #status()}), and changes of it are logged once by {@link RedisHealth}. Closing removes
 * everything it registered on the client and, if it owns the client, shuts the client down.
 * Thread-safe.
 */
public final class RedisLink implements AutoCloseable {

  private static final long PROBE_MILLIS = 250;

  private static final Script UNLOCK = new Script(
      "if redis.call('get', KEYS[1]) == ARGV[1] then "
      + "return redis.call('del', KEYS[1]) else return 0 end");

  /**
   * Stores a loaded value only if no invalidation of its key (KEYS[2]) or of the whole cache
   * (KEYS[3]) happened since the generations ARGV[3] and ARGV[4] ('' for none) were read, which
   * was before the load began. KEYS[1] the data key; ARGV[1] the value, ARGV[2] its TTL in ms.
   * Returns 1 if stored, 0 if refused.
   */
  private static final Script STORE_IF_UNCHANGED = new Script(
      "local g = redis.call('get', KEYS[2]) or '' "
      + "local a = redis.call('get', KEYS[3]) or '' "
      + "if g == ARGV[3] and a == ARGV[4] then "
      + "redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end "
      + "return 0");

  /**
   * One invalidation, atomically: delete the value (KEYS[1]), give the key a new generation
   * (KEYS[2] = ARGV[1] for ARGV[2] ms) so that a load which read the old one cannot store, and
   * publish the message ARGV[4] on the channel ARGV[3]. Either all of it happened or none.
   */
  private static final Script INVALIDATE = new Script(
      "redis.call('unlink', KEYS[1]) "
      + "redis.call('set', KEYS[2], ARGV[1], 'PX', ARGV[2]) "
      + "redis.call('publish', ARGV[3], ARGV[4]) "
      + "return 1");

  /** A Lua script sent by its SHA-1, and in full once when Redis does not know it yet. */
  private record Script(String text, String sha) {
    Script(String text) {
      this(text, sha1(text));
    }

    private static String sha1(String text) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-1")
            .digest(text.getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder(40);
        for (byte b : digest) {
          hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-1 is missing from this JDK", e);
      }
    }
  }

  /**
   * What one read of a key found: its value and the generations a later store of a load of that
   * key must still find, and the connection epoch it was read in.
   *
   * @param value the stored value, or null
   * @param generation the key's generation, or null if it was never invalidated (or that expired)
   * @param allGeneration the cache's generation (invalidateAll), or null
   * @param epoch the connection epoch of the read
   */
  public record Read(byte[] value, byte[] generation, byte[] allGeneration, long epoch) {}

  /** How a store of a loaded value went. */
  public enum StoreResult {
    /** Redis holds the value now. */
    STORED,
    /** Not stored: the key (or the cache) was invalidated since the read, or the link reconnected. */
    REFUSED,
    /** Redis could not be asked (down, slow, breaker open); counted as a fallback. */
    UNKNOWN
  }

  private final RedisClient client;
  private final boolean ownsClient;
  private final Duration timeout;
  private final String channel;
  private final Consumer<String> onMessage;
  private final Runnable onResubscribed;
  private final Runnable onConnected;
  private final CircuitBreaker breaker;
  private final LongAdder fallbacks = new LongAdder();
  private final ScheduledExecutorService connector;
  private final AtomicBoolean pubSubWasDown = new AtomicBoolean();
  private final AtomicBoolean probeScheduled = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final RedisHealth health;
  private final RedisConnectionStateListener stateListener;
  private final Disposable reconnectFailures;
  private final AtomicLong connectAttempts = new AtomicLong();
  private volatile RedisStatus connectFailure; // the last failed first connection, until one works
  private volatile RedisStatus reconnectFailure; // why the last reconnect failed, until one works
  private volatile String commandFailure; // what the last failed command said
  private final AtomicLong epoch = new AtomicLong(); // moves on every (re)connect of commands
  private volatile StatefulRedisConnection<byte[], byte[]> connection;
  private volatile StatefulRedisPubSubConnection<String, String> pubSub;

  /**
   * Connects now if it can, else keeps trying in the background.
   *
   * @param name the cache's name (breaker and thread names, log lines)
   * @param client the Lettuce client
   * @param ownsClient whether {@link #close()} shuts the client and its {@code ClientResources}
   *     down
   * @param target the server as {@code host:port}, for the status and log lines (no credentials)
   * @param timeout command timeout
   * @param channel the invalidation channel
   * @param onMessage receives each invalidation message
   * @param onResubscribed runs when the subscription comes back after it was down (messages may
   *     have been lost) or first succeeds after a failed start
   * @param onConnected runs (on the link's thread) whenever the command connection is established
   *     or re-established, e.g. to deliver what waited for Redis
   */
  public RedisLink(String name, RedisClient client, boolean ownsClient, String target,
      Duration timeout, String channel, Consumer<String> onMessage, Runnable onResubscribed,
      Runnable onConnected) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.health = new RedisHealth(name, target);
    this.timeout = timeout;
    this.channel = channel;
    this.onMessage = onMessage;
    this.onResubscribed = onResubscribed;
    this.onConnected = onConnected;
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
    this.stateListener = new RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
        if (handler == pubSub && pubSubWasDown.compareAndSet(true, false)) {
          onResubscribed.run(); // Lettuce resubscribes; what was published meanwhile is lost
        }
        if (handler == connection) {
          epoch.incrementAndGet(); // Redis may have restarted and lost what a read before saw
          runSoon(onConnected, 0);
        }
        if (handler == pubSub || handler == connection) {
          reconnectFailure = null;
          refreshStatusSoon();
        }
      }

      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
        if (handler == pubSub) {
          pubSubWasDown.set(true);
        }
        if (handler == pubSub || handler == connection) {
          refreshStatusSoon();
        }
      }
    };
    client.addListener(stateListener);
    // Lettuce says why a reconnect failed only on its event bus. With a client of the
    // application's, the event may come from another of its connections: it only ever explains
    // a connection of ours that is down, never makes one look down.
    this.reconnectFailures = client.getResources().eventBus().get()
        .filter(ReconnectFailedEvent.class::isInstance)
        .subscribe(event -> {
          reconnectFailure = health.connectFailure(((ReconnectFailedEvent) event).getCause());
          refreshStatusSoon();
        }, error -> { });
    breaker.getEventPublisher().onStateTransition(event -> refreshStatusSoon());
    if (!tryConnect()) {
      connector.schedule(this::connectLoop, 200, TimeUnit.MILLISECONDS);
    }
    refreshStatus();
  }

  private void connectLoop() {
    if (closed.get()) {
      return;
    }
    boolean connected = tryConnect();
    refreshStatus();
    if (connected) {
      onResubscribed.run(); // we ran without invalidations until now
      onConnected.run();
    } else {
      connector.schedule(this::connectLoop, 500, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Runs a task on the link's own thread (which also connects and probes), after a delay; nothing
   * once the link is closed.
   *
   * @param task the task; it must not throw
   * @param delayMillis the delay
   */
  public void runSoon(Runnable task, long delayMillis) {
    if (closed.get()) {
      return;
    }
    try {
      connector.schedule(() -> {
        if (!closed.get()) {
          task.run();
        }
      }, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void refreshStatusSoon() {
    if (closed.get()) {
      return;
    }
    try {
      connector.execute(this::refreshStatus);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void refreshStatus() {
    if (closed.get()) {
      return;
    }
    RedisStatus now = status();
    health.report(now);
    if (now.state() == State.FAILING) {
      probeSoon();
    }
  }

  /**
   * While the breaker is open, PINGs Redis through it every {@value #PROBE_MILLIS} ms, so that
   * the breaker closes (and the status recovers) when Redis answers again even if no caller
   * asks anything meanwhile.
   */
  private void probeSoon() {
    if (!probeScheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      connector.schedule(() -> {
        probeScheduled.set(false);
        StatefulRedisConnection<byte[], byte[]> c = connection;
        if (!closed.get() && c != null && c.isOpen()
            && breaker.getState() != CircuitBreaker.State.CLOSED) {
          call(() -> sync().ping(), null);
        }
        refreshStatus();
      }, PROBE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      probeScheduled.set(false); // closing
    }
  }

  /** @return connection attempts made so far by this link (not Lettuce's reconnects), for tests */
  public long connectAttempts() {
    return connectAttempts.get();
  }

  /**
   * Whether Redis is usable now and, if not, why. Computed from the connections, the breaker and
   * the last failures each time (a few volatile reads).
   *
   * @return the status
   */
  public RedisStatus status() {
    if (closed.get()) {
      return new RedisStatus(State.CLOSED, "closed");
    }
    StatefulRedisConnection<byte[], byte[]> c = connection;
    StatefulRedisPubSubConnection<String, String> p = pubSub;
    if (c == null || p == null) {
      RedisStatus failed = connectFailure;
      return failed != null ? failed
          : new RedisStatus(State.CONNECTING, "connecting to " + health.target());
    }
    if (!c.isOpen() || !p.isOpen()) {
      RedisStatus failed = reconnectFailure;
      return failed != null ? failed : new RedisStatus(State.UNREACHABLE,
          "lost the connection to " + health.target() + " (reconnecting)");
    }
    CircuitBreaker.State state = breaker.getState();
    if (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.HALF_OPEN
        || state == CircuitBreaker.State.FORCED_OPEN) {
      String last = commandFailure;
      return new RedisStatus(State.FAILING, "commands to " + health.target() + " fail or time out"
          + (last == null ? "" : " (last: " + last + ")") + ", so the circuit breaker is open");
    }
    return new RedisStatus(State.UP, "connected to " + health.target());
  }

  private boolean tryConnect() {
    connectAttempts.incrementAndGet();
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
      epoch.incrementAndGet();
      connection = c;
      connectFailure = null;
      return true;
    } catch (RuntimeException e) {
      connectFailure = health.connectFailure(e);
      if (p != null) {
        p.closeAsync();
      }
      if (c != null) {
        c.closeAsync();
      }
      return false;
    }
  }

  /** @return whether Redis is usable now: {@link #status()} is {@link State#UP} */
  public boolean available() {
    return status().available();
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
    } catch (CallNotPermittedException e) {
      fallbacks.increment();
      return otherwise;
    } catch (Exception e) {
      commandFailure = RedisHealth.commandFailure(e);
      fallbacks.increment();
      return otherwise;
    }
  }

  private RedisCommands<byte[], byte[]> sync() {
    return connection.sync();
  }

  private <T> T script(Script script, ScriptOutputType type, byte[][] keys, byte[]... args) {
    RedisCommands<byte[], byte[]> commands = sync();
    try {
      return commands.evalsha(script.sha(), type, keys, args);
    } catch (RedisNoScriptException e) {
      return commands.eval(script.text(), type, keys, args); // Redis caches it from now on
    }
  }

  private static byte[] ascii(long n) {
    return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
  }

  private static final byte[] NONE = new byte[0];

  /**
   * Reads a value with the generations a store of its load will need, in one {@code MGET}.
   *
   * @param dataKey the value's key
   * @param generationKey the key's generation key
   * @param allGenerationKey the cache's generation key
   * @return what Redis holds, or null when Redis could not answer
   */
  public Read read(byte[] dataKey, byte[] generationKey, byte[] allGenerationKey) {
    return call(() -> {
      long readEpoch = epoch.get();
      List<KeyValue<byte[], byte[]>> kvs = sync().mget(dataKey, generationKey, allGenerationKey);
      return new Read(valueOf(kvs.get(0)), valueOf(kvs.get(1)), valueOf(kvs.get(2)), readEpoch);
    }, null);
  }

  /**
   * {@link #read} for many keys, in one {@code MGET}.
   *
   * @param dataKeys the values' keys
   * @param generationKeys their generation keys, in the same order
   * @param allGenerationKey the cache's generation key
   * @return one read per key, in order, or null when Redis could not answer
   */
  public List<Read> readAll(List<byte[]> dataKeys, List<byte[]> generationKeys,
      byte[] allGenerationKey) {
    int n = dataKeys.size();
    byte[][] keys = new byte[2 * n + 1][];
    for (int i = 0; i < n; i++) {
      keys[2 * i] = dataKeys.get(i);
      keys[2 * i + 1] = generationKeys.get(i);
    }
    keys[2 * n] = allGenerationKey;
    return call(() -> {
      long readEpoch = epoch.get();
      List<KeyValue<byte[], byte[]>> kvs = sync().mget(keys);
      byte[] all = valueOf(kvs.get(2 * n));
      List<Read> reads = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        reads.add(new Read(valueOf(kvs.get(2 * i)), valueOf(kvs.get(2 * i + 1)), all, readEpoch));
      }
      return reads;
    }, null);
  }

  private static byte[] valueOf(KeyValue<byte[], byte[]> kv) {
    return kv.hasValue() ? kv.getValue() : null;
  }

  /**
   * Stores a loaded value unless its key or the cache was invalidated since {@code before} was
   * read (checked atomically in Redis), or the connection was re-established since (Redis may
   * have restarted and lost the generations).
   *
   * @param dataKey the value's key
   * @param generationKey the key's generation key
   * @param allGenerationKey the cache's generation key
   * @param value the encoded value
   * @param ttlMillis its time to live
   * @param before the read made before the load started
   * @return what happened
   */
  public StoreResult storeIfUnchanged(byte[] dataKey, byte[] generationKey,
      byte[] allGenerationKey, byte[] value, long ttlMillis, Read before) {
    if (before.epoch() != epoch.get()) {
      return StoreResult.REFUSED;
    }
    byte[] expected = before.generation() == null ? NONE : before.generation();
    byte[] expectedAll = before.allGeneration() == null ? NONE : before.allGeneration();
    Long stored = call(() -> script(STORE_IF_UNCHANGED, ScriptOutputType.INTEGER,
        new byte[][] {dataKey, generationKey, allGenerationKey}, value, ascii(ttlMillis),
        expected, expectedAll), null);
    if (stored == null) {
      return StoreResult.UNKNOWN;
    }
    return stored == 1L ? StoreResult.STORED : StoreResult.REFUSED;
  }

  /**
   * Deletes a value, gives its key a new generation and publishes the invalidation message, in one
   * atomic script.
   *
   * @param dataKey the value's key
   * @param generationKey the key's generation key
   * @param generation a new generation, unique to this invalidation
   * @param generationTtlMillis how long the generation is kept
   * @param message the invalidation message
   * @return true if Redis did all of it; false if Redis could not be asked or did not answer (it
   *     may still have done it: retrying is safe)
   */
  public boolean invalidate(byte[] dataKey, byte[] generationKey, byte[] generation,
      long generationTtlMillis, String message) {
    byte[] channelBytes = channel.getBytes(StandardCharsets.UTF_8);
    byte[] messageBytes = message.getBytes(StandardCharsets.UTF_8);
    return call(() -> {
      script(INVALIDATE, ScriptOutputType.INTEGER, new byte[][] {dataKey, generationKey},
          generation, ascii(generationTtlMillis), channelBytes, messageBytes);
      return true;
    }, false);
  }

  /**
   * @param key the key
   * @return its value, or null when absent or Redis could not answer
   */
  public byte[] get(byte[] key) {
    return call(() -> sync().get(key), null);
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
    call(() -> script(UNLOCK, ScriptOutputType.INTEGER, new byte[][] {key}, token), 0L);
  }

  /**
   * @param key a key
   * @return true if it exists, false if not or Redis could not answer
   */
  public boolean exists(byte[] key) {
    return call(() -> sync().exists(key) > 0, false);
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
    reconnectFailures.dispose();
    client.removeListener(stateListener);
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
      client.getResources().shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3_000);
    }
  }
}
