package io.github.perfkit.parallel.redis.internal;

import io.github.perfkit.parallel.redis.FleetRateLimit;
import io.github.perfkit.parallel.redis.FleetRateLimit.Mode;
import io.github.perfkit.parallel.redis.FleetStats;
import io.lettuce.core.RedisURI;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a {@link FleetRateLimit} does. In {@link Mode#SHARED} a caller takes the next permit of this
 * instance's {@link Reservation}; when it is used up, one caller (the others wait on a lock) takes a
 * new batch from Redis in one round trip, sized to about 100 ms of this instance's demand and capped
 * so that the instances together hold at most 10% of a second's permits. In {@link Mode#LOCAL}
 * (Redis failed a command, timed out, or was never reached) callers take permits from
 * {@link LocalShare}: the limit divided by the instances last seen alive. A daemon thread beats the
 * heartbeat (every {@code heartbeat} when shared, every 250 ms or sooner while local, which is also
 * the probe that switches back). Each switch logs one line. Thread-safe.
 */
public final class FleetEngine implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(FleetRateLimit.LOGGER_NAME);
  private static final long PROBE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
  private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** The settings, as validated by the builder. */
  public record Settings(String name, RedisURI uri, String target, int permits, Duration period,
      int burst, Duration redisTimeout, Duration heartbeat, int maxBatch, int assumedInstances) {}

  private final Settings settings;
  private final String name;
  private final double intervalNanos; // across the fleet
  private final double intervalMicros;
  private final double toleranceMicros;
  private final double permitsPerSecond;
  private final RedisBucket redis;
  private final String instanceId = UUID.randomUUID().toString();
  private final LocalShare local = new LocalShare();
  private final ReentrantLock refill = new ReentrantLock();
  private final Object modeLock = new Object();
  private final ScheduledExecutorService ticker;
  private final LongAdder granted = new LongAdder();
  private final LongAdder waited = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder fallbacks = new LongAdder();
  private final LongAdder waitNanos = new LongAdder();
  private final LongAdder demand = new LongAdder();
  private final AtomicInteger waiting = new AtomicInteger();
  private volatile Mode mode = Mode.LOCAL;
  private volatile boolean reported; // a switch to local was logged since the last shared
  private volatile int live;
  private volatile Reservation reservation;
  private volatile boolean closed;
  private long lastRefill = System.nanoTime(); // guarded by refill
  private long modeSince = System.nanoTime(); // guarded by modeLock

  /**
   * Builds the client, tries Redis once (connect and heartbeat, each bounded by the command
   * timeout), and starts the heartbeat thread.
   *
   * @param settings the settings
   */
  public FleetEngine(Settings settings) {
    this.settings = settings;
    this.name = settings.name();
    double periodNanos = settings.period().toNanos();
    this.intervalNanos = periodNanos / settings.permits();
    this.intervalMicros = intervalNanos / 1_000;
    this.toleranceMicros = (settings.burst() - 1) * intervalMicros;
    this.permitsPerSecond = settings.permits() * 1e9 / periodNanos;
    this.live = settings.assumedInstances();
    local.reset(System.nanoTime(), intervalNanos * live, localTolerance(live));
    this.redis = new RedisBucket(settings.uri(), settings.redisTimeout(), name);
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "perfkit-ratelimit-" + name);
      t.setDaemon(true);
      return t;
    });
    tick(); // on the caller's thread: the first calls already know the fleet
  }

  private double localTolerance(int instances) {
    double share = Math.max(1.0, (double) settings.burst() / instances);
    return (share - 1) * intervalNanos * instances;
  }

  // ---- callers

  /**
   * @param permits permits wanted, {@code >= 1}
   * @param maxWaitNanos the longest a caller waits
   * @return whether they were granted (false: not within {@code maxWaitNanos}, or interrupted)
   */
  public boolean acquire(int permits, long maxWaitNanos) {
    long start = System.nanoTime();
    long deadline = start + maxWaitNanos;
    for (int i = 0; i < permits; i++) {
      if (!acquireOne(start, deadline)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Claims permits without waiting for them.
   *
   * @param permits permits wanted
   * @param maxWaitNanos the longest the caller would wait
   * @return nanos until the last of them is due, or -1 if not within {@code maxWaitNanos}
   */
  public long reserve(int permits, long maxWaitNanos) {
    long start = System.nanoTime();
    long deadline = start + maxWaitNanos;
    long last = start;
    for (int i = 0; i < permits; i++) {
      long due = claim(deadline);
      if (due == Reservation.LATE) {
        rejected.increment();
        return -1;
      }
      granted.increment();
      last = Math.max(last, due);
    }
    return Math.max(0, last - start);
  }

  private boolean acquireOne(long start, long deadline) {
    demand.increment();
    long due = claim(deadline);
    if (due == Reservation.LATE) {
      rejected.increment();
      return false;
    }
    long now = System.nanoTime();
    if (due - now > 0) {
      waiting.incrementAndGet();
      try {
        while ((now = System.nanoTime()) - due < 0) {
          LockSupport.parkNanos(due - now);
          if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            rejected.increment();
            return false;
          }
        }
      } finally {
        waiting.decrementAndGet();
      }
      waited.increment();
    }
    waitNanos.add(Math.max(0, now - start));
    granted.increment();
    return true;
  }

  /** @return the due time of a claimed permit, or {@link Reservation#LATE} (nothing claimed) */
  private long claim(long deadline) {
    while (true) {
      long now = System.nanoTime();
      Reservation r = reservation;
      if (r != null) {
        long due = r.claim(now, deadline);
        if (due != Reservation.EMPTY) {
          return due;
        }
      }
      if (mode == Mode.LOCAL) {
        long due = local.claim(now, deadline);
        if (due != Long.MAX_VALUE) {
          fallbacks.increment();
        }
        return due;
      }
      try {
        if (!refill.tryLock(Math.max(0, deadline - now), TimeUnit.NANOSECONDS)) {
          return Reservation.LATE;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Reservation.LATE;
      }
      try {
        if (reservation == r && mode == Mode.SHARED && !refill(deadline)) {
          return Reservation.LATE;
        }
      } finally {
        refill.unlock();
      }
    }
  }

  /** One round trip for a new batch; false if the fleet's next permit is due after the deadline. */
  private boolean refill(long deadline) {
    long now = System.nanoTime();
    int want = batchSize(now);
    long[] r;
    try {
      r = redis.reserve(intervalMicros, toleranceMicros, want,
          Math.max(0, (deadline - now) / 1_000));
    } catch (RuntimeException e) {
      toLocal(RedisBucket.describe(e));
      return true; // the caller claims from the local share
    }
    if (r[0] == 0) {
      return false;
    }
    reservation = new Reservation(System.nanoTime(), r[1] * 1_000.0, intervalNanos, (int) r[0],
        GRACE_NANOS);
    return true;
  }

  /** About 100 ms of this instance's recent demand, within [1, maxBatch]. Under the refill lock. */
  private int batchSize(long now) {
    long calls = demand.sumThenReset();
    double elapsed = Math.max(1_000_000, now - lastRefill);
    lastRefill = now;
    int cap = maxBatch();
    double perSecond = calls * 1e9 / elapsed;
    return (int) Math.max(1, Math.min(cap, Math.ceil(perSecond * 0.1)));
  }

  private int maxBatch() {
    if (settings.maxBatch() > 0) {
      return settings.maxBatch();
    }
    return (int) Math.max(1, Math.min(settings.burst(), Math.floor(permitsPerSecond * 0.1 / live)));
  }

  /** Drops the permits this instance holds and has not handed out. */
  public void drain() {
    reservation = null;
  }

  // ---- the heartbeat thread

  private void tick() {
    if (closed) {
      return;
    }
    try {
      redis.connectIfNeeded();
      long seen = redis.heartbeat(instanceId, 3 * settings.heartbeat().toNanos() / 1_000);
      setLive((int) Math.max(1, Math.min(Integer.MAX_VALUE, seen)));
      toShared();
    } catch (RuntimeException e) {
      toLocal(RedisBucket.describe(e));
    }
    long delay = mode == Mode.SHARED ? settings.heartbeat().toNanos()
        : Math.min(settings.heartbeat().toNanos(), PROBE_NANOS);
    try {
      ticker.schedule(this::tick, delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private void setLive(int n) {
    if (n != live) {
      live = n;
      local.rescale(intervalNanos * n, localTolerance(n));
    }
  }

  private void toLocal(String reason) {
    int n;
    synchronized (modeLock) {
      if (mode == Mode.LOCAL && reported) {
        return;
      }
      n = live;
      long now = System.nanoTime();
      if (mode == Mode.SHARED) {
        local.reset(now, intervalNanos * n, localTolerance(n));
      }
      if (mode == Mode.SHARED) {
        modeSince = now;
      }
      mode = Mode.LOCAL;
      reported = true;
    }
    if (closed) {
      return;
    }
    LOG.log(Level.WARNING, "perfkit rate limit '" + name + "': Redis at " + settings.target()
        + " " + reason + "; each instance now allows its local share, "
        + String.format(Locale.ROOT, "%.1f", permitsPerSecond / n) + " per second (" + n
        + " live instance" + (n == 1 ? "" : "s") + " last seen), until Redis answers again");
  }

  private void toShared() {
    long since;
    boolean log;
    synchronized (modeLock) {
      if (mode == Mode.SHARED) {
        return;
      }
      long now = System.nanoTime();
      since = now - modeSince;
      modeSince = now;
      mode = Mode.SHARED;
      log = reported;
      reported = false;
    }
    if (log) {
      LOG.log(Level.INFO, "perfkit rate limit '" + name + "': Redis at " + settings.target()
          + " answers again; the fleet shares one bucket (" + live + " live instance"
          + (live == 1 ? "" : "s") + ", local for "
          + String.format(Locale.ROOT, "%.1f", since / 1e9) + " s)");
    }
  }

  // ---- reading

  /** @return the current mode */
  public Mode mode() {
    return mode;
  }

  /** @return instances seen alive at the last heartbeat (or assumed, before the first) */
  public int liveInstances() {
    return live;
  }

  /** @return callers waiting for a permit's due time now */
  public int waiting() {
    return waiting.get();
  }

  /** @return permits held by this instance and not handed out yet */
  public int available() {
    Reservation r = reservation;
    return r == null ? 0 : r.remaining(System.nanoTime());
  }

  /** @return a snapshot of the counters */
  public FleetStats stats() {
    return new FleetStats(granted.sum(), waited.sum(), rejected.sum(), fallbacks.sum(),
        redis.roundTrips(), Duration.ofNanos(waitNanos.sum()), mode, live);
  }

  /** @return the settings */
  public Settings settings() {
    return settings;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    redis.close(instanceId);
  }
}
