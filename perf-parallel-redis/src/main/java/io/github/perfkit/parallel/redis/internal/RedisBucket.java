package io.github.perfkit.parallel.redis.internal;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Redis side of a fleet rate limit: one Lettuce connection and two Lua scripts, each one round
 * trip. {@link #reserve} takes permits from the fleet's bucket (GCRA on Redis's clock, so the
 * instances' clocks never matter); {@link #heartbeat} marks this instance alive and counts the live
 * ones. Both throw when Redis is down, slow (past the command timeout) or refuses; the caller falls
 * back. The connection is opened by {@link #connectIfNeeded()} (on the limit's own thread, never a
 * caller's); after that Lettuce reconnects by itself and rejects commands while disconnected, so a
 * dead Redis costs a caller nothing. Thread-safe.
 */
public final class RedisBucket implements AutoCloseable {

  /**
   * Reserves up to ARGV[3] permits from the bucket KEYS[1] (its value: the theoretical arrival
   * time, TAT, in microseconds of Redis's clock). ARGV[1] is the emission interval (micros per
   * permit, may be fractional), ARGV[2] the burst tolerance ((burst - 1) * interval), ARGV[4] the
   * longest wait the caller accepts, in micros. Permit k (0-based) of the reservation is due
   * {@code max(0, first + k * interval)} micros from now. Returns {granted, first}: granted is 0
   * (and nothing is taken) when even the first permit would be due later than ARGV[4].
   */
  static final String RESERVE =
      "local t = redis.call('TIME') "
      + "local now = tonumber(t[1]) * 1000000 + tonumber(t[2]) "
      + "local interval = tonumber(ARGV[1]) "
      + "local tolerance = tonumber(ARGV[2]) "
      + "local want = tonumber(ARGV[3]) "
      + "local maxWait = tonumber(ARGV[4]) "
      + "local v = redis.call('GET', KEYS[1]) "
      + "local tat = now "
      + "if v then tat = tonumber(v) if tat < now then tat = now end end "
      + "local first = tat - tolerance - now "
      + "if first > maxWait then return {0, math.ceil(first)} end "
      + "local n = math.floor((maxWait - first) / interval) + 1 "
      + "if n > want then n = want end "
      + "local newTat = tat + n * interval "
      + "redis.call('SET', KEYS[1], string.format('%.17g', newTat), 'PX', "
      + "math.ceil((newTat - now) / 1000) + 1000) "
      + "return {n, math.floor(first)}";

  /**
   * Marks ARGV[1] alive in the sorted set KEYS[1] (score: Redis's clock in micros), drops members
   * not seen for ARGV[2] micros and returns how many are left (this instance included).
   */
  static final String HEARTBEAT =
      "local t = redis.call('TIME') "
      + "local now = tonumber(t[1]) * 1000000 + tonumber(t[2]) "
      + "redis.call('ZADD', KEYS[1], now, ARGV[1]) "
      + "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2])) "
      + "redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2]) / 1000) + 1000) "
      + "return redis.call('ZCARD', KEYS[1])";

  private static final String RESERVE_SHA = sha1(RESERVE);
  private static final String HEARTBEAT_SHA = sha1(HEARTBEAT);

  private final ClientResources resources;
  private final RedisClient client;
  private final String bucketKey;
  private final String instancesKey;
  private final LongAdder roundTrips = new LongAdder();
  private volatile StatefulRedisConnection<String, String> connection;
  private volatile boolean closed;

  /**
   * Creates the client; connects nothing yet.
   *
   * @param uri the parsed URI (credentials stay inside Lettuce)
   * @param timeout the command (and connect handshake) timeout
   * @param name the limit's name, part of the Redis keys
   */
  public RedisBucket(RedisURI uri, Duration timeout, String name) {
    uri.setTimeout(timeout); // the connect handshake (HELLO, AUTH) too
    this.bucketKey = "perfkit:ratelimit:{" + name + "}:bucket";
    this.instancesKey = "perfkit:ratelimit:{" + name + "}:instances";
    // Lettuce backs off up to 30 s between reconnects; 500 ms keeps recovery prompt
    this.resources = ClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofMillis(500), 2,
            TimeUnit.MILLISECONDS))
        .build();
    this.client = RedisClient.create(resources, uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .socketOptions(SocketOptions.builder()
            .connectTimeout(timeout.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : timeout)
            .build())
        .build());
  }

  /** Opens the connection if none is open yet; throws if Redis cannot be reached. */
  public void connectIfNeeded() {
    if (connection == null && !closed) {
      StatefulRedisConnection<String, String> c = client.connect();
      synchronized (this) {
        if (connection == null && !closed) {
          connection = c;
          return;
        }
      }
      c.close();
    }
  }

  /**
   * @param intervalMicros micros per permit across the fleet
   * @param toleranceMicros the burst tolerance
   * @param want permits wanted
   * @param maxWaitMicros the longest wait for the first of them
   * @return {granted, first due in micros (negative: some are due at once)}
   */
  public long[] reserve(double intervalMicros, double toleranceMicros, int want,
      long maxWaitMicros) {
    List<Long> r = run(RESERVE_SHA, RESERVE, ScriptOutputType.MULTI, bucketKey,
        Double.toString(intervalMicros), Double.toString(toleranceMicros),
        Integer.toString(want), Long.toString(maxWaitMicros));
    return new long[] {r.get(0), r.get(1)};
  }

  /**
   * @param instanceId this instance's id
   * @param livenessMicros how long an instance counts as alive after its last heartbeat
   * @return the live instances, this one included
   */
  public long heartbeat(String instanceId, long livenessMicros) {
    Long live = run(HEARTBEAT_SHA, HEARTBEAT, ScriptOutputType.INTEGER, instancesKey, instanceId,
        Long.toString(livenessMicros));
    return live;
  }

  /** Removes this instance from the live set (best effort, on close). */
  private void leave(String instanceId) {
    StatefulRedisConnection<String, String> c = connection;
    if (c != null && c.isOpen()) {
      try {
        c.sync().zrem(instancesKey, instanceId);
      } catch (RuntimeException e) {
        // Redis is away: the member expires after the liveness period
      }
    }
  }

  /** @return commands sent to Redis (round trips) so far */
  public long roundTrips() {
    return roundTrips.sum();
  }

  private <T> T run(String sha, String script, ScriptOutputType type, String key, String... args) {
    StatefulRedisConnection<String, String> c = connection;
    if (c == null) {
      throw new NotConnectedException();
    }
    RedisCommands<String, String> sync = c.sync();
    roundTrips.increment();
    try {
      return sync.evalsha(sha, type, new String[] {key}, args);
    } catch (RedisNoScriptException e) {
      roundTrips.increment(); // Redis restarted (or flushed its scripts): send it once in full
      return sync.eval(script, type, new String[] {key}, args);
    }
  }

  /**
   * @param failure what a command or connection attempt threw
   * @return a short description without any message text (which may echo arguments or hosts)
   */
  public static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof NotConnectedException) {
        return "was not reached yet";
      }
      if (t instanceof ConnectException) {
        return "refused the connection";
      }
      if (t instanceof RedisCommandTimeoutException || t instanceof TimeoutException
          || t.getClass().getSimpleName().contains("Timeout")) {
        return "timed out";
      }
      if (t instanceof RedisCommandExecutionException && t.getMessage() != null) {
        String m = t.getMessage();
        int end = 0;
        while (end < m.length() && Character.isUpperCase(m.charAt(end))) {
          end++;
        }
        return "answered " + (end > 0 ? m.substring(0, end) : "an error");
      }
      String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(java.util.Locale.ROOT);
      if (m.contains("not connected") || m.contains("disconnected")) {
        return "is not connected";
      }
      if (m.contains("closed") || m.contains("reset")) {
        return "closed the connection";
      }
    }
    return "failed (" + failure.getClass().getSimpleName() + ")";
  }

  /**
   * Leaves the live set and shuts the client down.
   *
   * @param instanceId this instance's id
   */
  public void close(String instanceId) {
    leave(instanceId);
    close();
  }

  @Override
  public void close() {
    StatefulRedisConnection<String, String> c;
    synchronized (this) {
      closed = true;
      c = connection;
      connection = null;
    }
    if (c != null) {
      c.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
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

  /** No connection yet: Redis was not reachable since the limit was built. */
  static final class NotConnectedException extends RuntimeException {
    NotConnectedException() {
      super("not connected to Redis yet", null, false, false);
    }
  }
}
