package io.github.perfkit.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What the operating system knows about this process's threads that the JVM does not: for each
 * native thread (task), the time it ran and the time it spent runnable but queued for a CPU (the
 * scheduler's run queue). Read from Linux's {@code /proc/self/task/<tid>/schedstat}; on other systems,
 * or where the file cannot be read, {@link #supported()} is false and every snapshot is empty, so
 * callers report the split as unknown rather than guess.
 *
 * <p>Cost: a snapshot reads two small files per thread of the process (about 20 microseconds per
 * thread). Thread-safe: snapshots are immutable.
 */
public final class OsThreads {

  private static final Path TASKS = Path.of("/proc/self/task");
  private static final Path SELF = Path.of("/proc/thread-self");
  private static final boolean SUPPORTED = probe();

  /**
   * One native thread at one moment.
   *
   * @param tid the kernel's thread id
   * @param name the kernel's name for it (HotSpot sets it to the Java name, cut to 15 bytes; its
   *     own threads are named {@code GC Thread#0}, {@code G1 Conc#0}, {@code C2 CompilerThre} ...)
   * @param runNanos time on a CPU since the thread started
   * @param queueNanos time runnable but waiting for a CPU since the thread started
   */
  public record Task(long tid, String name, long runNanos, long queueNanos) {}

  private OsThreads() {}

  private static boolean probe() {
    try {
      return Files.isReadable(SELF.resolve("schedstat")) && read(SELF) != null;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** @return whether this system tells run-queue time per thread */
  public static boolean supported() {
    return SUPPORTED;
  }

  /** @return the calling thread's task now, or null when not {@link #supported()} */
  public static Task current() {
    return SUPPORTED ? read(SELF) : null;
  }

  /** @return every task of this process now, by tid; empty when not {@link #supported()} */
  public static Map<Long, Task> snapshot() {
    Map<Long, Task> tasks = new HashMap<>();
    if (SUPPORTED && !readAll(new HashMap<>(), tasks::put)) {
      tasks.clear(); // a partial census would under-count: report nothing instead
    }
    return tasks;
  }

  /**
   * Reads every task of the process; the kernel's names are read once per tid into {@code names}.
   *
   * @return false when the listing failed part way
   */
  private static boolean readAll(Map<Long, String> names,
      java.util.function.BiConsumer<Long, Task> into) {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(TASKS)) {
      for (Path dir : dirs) {
        long tid = Long.parseLong(dir.getFileName().toString());
        String name = names.get(tid);
        Task t = name == null ? read(dir) : readSched(dir, tid, name);
        if (t != null) {
          names.putIfAbsent(tid, t.name());
          into.accept(tid, t);
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Whether a kernel thread name is one of the collector's own threads (G1, Parallel, Serial's VM
   * thread work is not counted; ZGC and Shenandoah workers are).
   *
   * @param name a {@link Task#name()}
   * @return whether it does garbage collection work
   */
  public static boolean isCollector(String name) {
    return name.startsWith("GC Thread#") || name.startsWith("G1 Conc#")
        || name.startsWith("G1 Refine#") || name.startsWith("G1 Main Marker")
        || name.startsWith("ZWorker") || name.startsWith("ZDriver") || name.startsWith("ZDirector")
        || name.startsWith("Shenandoah");
  }

  private static final Object WATCH_LOCK = new Object();
  private static Watcher watcher; // guarded by WATCH_LOCK
  private static int leases; // guarded by WATCH_LOCK

  /**
   * Makes sure the shared watcher reads every task's counters each {@code interval} until the
   * returned lease is {@link Lease#close() closed}, so that threads which end before a section does
   * still have figures (as of the last reading before they ended, at most one interval old). One
   * daemon thread serves every lease at once and parks while none is open; nothing runs when not
   * {@link #supported()}.
   *
   * @param interval time between readings
   * @return the lease; close it when the section ends
   */
  public static Lease watch(java.time.Duration interval) {
    synchronized (WATCH_LOCK) {
      if (watcher == null) {
        watcher = new Watcher(interval.toNanos());
        if (SUPPORTED) {
          watcher.thread.start();
        }
      }
      if (leases++ == 0) {
        watcher.last.clear(); // nothing open: what it saw before is no one's
        watcher.names.clear(); // the kernel reuses the ids of ended threads
        java.util.concurrent.locks.LockSupport.unpark(watcher.thread);
      }
      return new Lease(watcher);
    }
  }

  /**
   * @return the Java thread id of the shared watcher, so profiles leave it out; -1 before the first
   *     {@link #watch}
   */
  public static long watcherThreadId() {
    synchronized (WATCH_LOCK) {
      return watcher == null ? -1 : watcher.thread.getId();
    }
  }

  /** One user's hold on the shared watcher. Not thread-safe; close it once. */
  public static final class Lease implements AutoCloseable {
    private final Watcher w;
    private boolean closed;

    private Lease(Watcher w) {
      this.w = w;
    }

    /**
     * @return the latest reading of every task seen while any lease was open, by tid (empty when
     *     not supported)
     */
    public Map<Long, Task> seen() {
      if (SUPPORTED) {
        w.readAll(); // the freshest word, in the caller's thread
      }
      return Map.copyOf(w.last);
    }

    /** Gives the hold back; the watcher parks when no lease is open. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      synchronized (WATCH_LOCK) {
        leases--;
      }
    }
  }

  /** Reads the tasks on a daemon thread while any lease is open. Thread-safe. */
  private static final class Watcher {
    private final Map<Long, Task> last = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Long, String> names = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread thread;
    private final long intervalNanos;

    private Watcher(long intervalNanos) {
      this.intervalNanos = intervalNanos;
      this.thread = new Thread(this::loop, "perfkit-schedstat");
      this.thread.setDaemon(true);
    }

    private void loop() {
      while (true) {
        boolean open;
        synchronized (WATCH_LOCK) {
          open = leases > 0;
        }
        if (open) {
          readAll();
          java.util.concurrent.locks.LockSupport.parkNanos(intervalNanos);
        } else {
          java.util.concurrent.locks.LockSupport.park(this);
        }
      }
    }

    private void readAll() {
      // a reading that fails part way leaves the previous ones
      OsThreads.readAll(names, (tid, t) ->
          last.merge(tid, t, (old, now) -> now.runNanos() >= old.runNanos() ? now : old));
    }
  }

  private static Task readSched(Path dir, long tid, String name) {
    try {
      String[] f = Files.readString(dir.resolve("schedstat"), StandardCharsets.US_ASCII).trim()
          .split(" ");
      return f.length < 2 ? null : new Task(tid, name, Long.parseLong(f[0]), Long.parseLong(f[1]));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** @return the task in {@code dir}, or null when it ended or cannot be read */
  private static Task read(Path dir) {
    try {
      long tid = dir.equals(SELF) ? tidOfSelf() : Long.parseLong(dir.getFileName().toString());
      String name = Files.readString(dir.resolve("comm"), StandardCharsets.UTF_8).strip();
      return readSched(dir, tid, name);
    } catch (IOException | RuntimeException e) {
      return null; // the thread ended between the listing and the read, or the format is unknown
    }
  }

  private static long tidOfSelf() throws IOException {
    // /proc/thread-self links to <pid>/task/<tid>
    return Long.parseLong(Files.readSymbolicLink(SELF).getFileName().toString());
  }
}
