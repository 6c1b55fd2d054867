package io.github.perfkit.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * One in-process JFR recording around a section: execution samples (and, optionally, samples of
 * threads inside native methods), allocation samples, heap
 * summaries at each GC, contended monitor enters and parks. Read back once, when the section ends.
 * Use from one thread. Load only after {@link JfrSupport#unavailableReason()} returned null.
 *
 * <p>Why a {@link Recording} dumped at the end rather than a {@code RecordingStream}: a stream hands
 * over events at its flush, about once a second: an empty section under a stream that waits for
 * its events takes about 1 s, under this class about 10 ms ({@code ProfilerBenchmark} in
 * perf-bench, {@code recordingStreamEmptySection} against {@code emptySectionProfiled}).
 */
public final class JfrCapture implements AutoCloseable {

  private static final Pattern LAMBDA = Pattern.compile("\\$\\$Lambda.*$");
  private static final String TRUNCATED = "[truncated]";
  private static final String SESSION_FRAME = ProfileSession.class.getName() + ".run";
  private static final Pattern HIDDEN = Pattern.compile("/0x[0-9a-f]+");

  /** What a thread did according to JFR. */
  public static final class ThreadData {
    public final long id;
    public final String name;
    /** Its samples; a native one counts for the threads in native code with it. */
    public final StackTree stacks = new StackTree();
    public long monitorBlockedNanos;
    public long lockParkedNanos;
    /**
     * Time waiting for other threads' work to finish: {@code Thread.join}, futures, latches,
     * phasers and fork/join tasks (waits of 1 ms or more).
     */
    public long taskWaitNanos;
    /** When the thread started, if inside the window, else null. */
    public Instant startedAt;
    /** When the thread ended, if inside the window, else null. */
    public Instant endedAt;
    /** Nanoseconds of wait events by kind. */
    public final Map<Diagnoser.WaitKind, Long> waits = new java.util.EnumMap<>(
        Diagnoser.WaitKind.class);
    public long allocationWeight;
    /**
     * Sampled bytes by "type @ frame", without the thread's earliest sample: a sample weighs the
     * bytes allocated since the thread's previous sample, so the earliest one also carries bytes
     * allocated before the section (see {@link #firstSite}).
     */
    public final Map<String, Long> allocationSites = new HashMap<>();
    /** The site of the thread's earliest allocation sample in the section, or null. */
    public String firstSite;
    /** That sample's weight, which may include bytes allocated before the section. */
    public long firstWeight;
    private Instant firstAt;
    /** The kernel's id for the thread, or -1 when JFR did not say. */
    public final long osThreadId;

    ThreadData(long id, String name, long osThreadId) {
      this.id = id;
      this.name = name;
      this.osThreadId = osThreadId;
    }
  }

  /** The events of the section, for the threads in scope. */
  public static final class Data {
    public final StackTree merged = new StackTree();
    public final Map<Long, ThreadData> threads = new HashMap<>();
    public final Map<String, Long> contendedMonitors = new HashMap<>();
    public final Map<String, Long> contendedLocks = new HashMap<>();
    public long maxHeapUsedBeforeGc = -1;
    public long truncatedStacks;
    public long nativeSamples;
  }

  /**
   * Native samples are weighed per window of this many sampling periods: the number of distinct
   * threads JFR found in native code in the window is how many threads each native sample stands
   * for (JFR takes one native sample per period for the whole JVM, going round its threads).
   */
  static final int NATIVE_WINDOW_PERIODS = 20;

  private final Recording recording;
  private final long periodNanos;

  private JfrCapture(Recording recording, long periodNanos) {
    this.recording = recording;
    this.periodNanos = periodNanos;
  }

  /** A native sample of a thread in scope, added once its weight is known. */
  private record NativeSample(long atNanos, ThreadData thread, List<String> frames) {}

  private static long epochNanos(Instant at) {
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }

  /**
   * Starts recording.
   *
   * @param settings the sampling period and the optional events
   * @return the running capture
   */
  public static JfrCapture start(ProfileSettings settings) {
    Duration period = settings.period();
    Recording r = new Recording();
    r.setName("perfkit-profile");
    r.enable("jdk.ExecutionSample").withPeriod(period).withStackTrace();
    if (settings.records(ProfileSettings.Event.NATIVE_SAMPLES)) {
      r.enable("jdk.NativeMethodSample").withPeriod(period).withStackTrace();
    }
    if (settings.records(ProfileSettings.Event.ALLOCATION_SITES)) {
      r.enable("jdk.ObjectAllocationSample").with("throttle", "300/s").withStackTrace();
    }
    r.enable("jdk.GCHeapSummary");
    r.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ofMillis(1)).withStackTrace();
    r.enable("jdk.ThreadPark").withThreshold(Duration.ofMillis(1)).withoutStackTrace();
    r.enable("jdk.JavaMonitorWait").withThreshold(Duration.ofMillis(1)).withoutStackTrace();
    // what waiting is made of: I/O of 100 us or more, every sync (each costs far more than its
    // event), sleeps of 1 ms or more
    Duration io = Duration.ofNanos(100_000);
    for (String event : List.of("jdk.SocketRead", "jdk.SocketWrite", "jdk.FileRead",
        "jdk.FileWrite")) {
      r.enable(event).withThreshold(io).withoutStackTrace();
    }
    r.enable("jdk.FileForce").withThreshold(Duration.ZERO).withoutStackTrace();
    r.enable("jdk.ThreadSleep").withThreshold(Duration.ofMillis(1)).withoutStackTrace();
    r.enable("jdk.ThreadStart"); // the lifetimes of threads that end inside the section
    r.enable("jdk.ThreadEnd");
    r.start();
    return new JfrCapture(r, period.toNanos());
  }

  /**
   * Stops, reads the recording back and keeps the events inside the window of threads in scope.
   *
   * @param from section start
   * @param to section end
   * @param inScope thread id and name to whether the thread belongs to the section
   * @return the data
   */
  public Data stop(Instant from, Instant to, BiPredicate<Long, String> inScope) {
    recording.stop();
    Path file = null;
    try {
      file = Files.createTempFile("perfkit-profile-", ".jfr");
      recording.dump(file);
      return read(file, from, to, inScope, periodNanos);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the JFR recording back", e);
    } finally {
      recording.close();
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a temporary file; the OS cleans up
        }
      }
    }
  }

  private static Data read(Path file, Instant from, Instant to, BiPredicate<Long, String> inScope,
      long periodNanos) throws IOException {
    Data data = new Data();
    Map<Long, Boolean> scope = new HashMap<>();
    long window = Math.max(1, periodNanos * NATIVE_WINDOW_PERIODS);
    Map<Long, java.util.Set<Long>> nativeThreadsByWindow = new HashMap<>();
    List<NativeSample> nativeSamples = new ArrayList<>();
    try (RecordingFile in = new RecordingFile(file)) {
      while (in.hasMoreEvents()) {
        RecordedEvent e = in.readEvent();
        Instant at = e.getStartTime();
        if (at.isBefore(from) || at.isAfter(to)) {
          continue;
        }
        String type = e.getEventType().getName();
        if (type.equals("jdk.GCHeapSummary")) {
          if ("Before GC".equals(e.getString("when"))) {
            data.maxHeapUsedBeforeGc = Math.max(data.maxHeapUsedBeforeGc, e.getLong("heapUsed"));
          }
          continue;
        }
        boolean sample = type.equals("jdk.ExecutionSample")
            || type.equals("jdk.NativeMethodSample");
        boolean life = type.equals("jdk.ThreadStart") || type.equals("jdk.ThreadEnd");
        RecordedThread t = sample ? e.getThread("sampledThread")
            : life ? e.getThread("thread") : e.getThread();
        if (t == null) {
          continue;
        }
        long id = t.getJavaThreadId();
        String name = t.getJavaName() == null ? t.getOSName() : t.getJavaName();
        if (type.equals("jdk.NativeMethodSample")) { // every thread counts for the weights
          nativeThreadsByWindow.computeIfAbsent(epochNanos(at) / window,
              k -> new java.util.HashSet<>()).add(id);
        }
        if (!scope.computeIfAbsent(id, k -> inScope.test(k, name))) {
          continue;
        }
        ThreadData thread = data.threads.computeIfAbsent(id,
            k -> new ThreadData(k, name, t.getOSThreadId()));
        switch (type) {
          case "jdk.ThreadStart" -> thread.startedAt = at;
          case "jdk.ThreadEnd" -> thread.endedAt = at;
          case "jdk.ExecutionSample", "jdk.NativeMethodSample" -> {
            List<String> frames = frames(e.getStackTrace());
            if (!frames.isEmpty() && frames.get(frames.size() - 1).equals(TRUNCATED)) {
              data.truncatedStacks++;
            }
            if (type.equals("jdk.NativeMethodSample")) {
              nativeSamples.add(new NativeSample(epochNanos(at), thread, frames));
            } else {
              thread.stacks.add(frames);
              data.merged.add(frames);
            }
          }
          case "jdk.ObjectAllocationSample" -> {
            long weight = e.getLong("weight");
            RecordedClass cls = e.getClass("objectClass");
            String site = (cls == null ? "?" : typeName(cls.getName())) + " @ "
                + site(e.getStackTrace());
            if (thread.firstAt == null || at.isBefore(thread.firstAt)) {
              if (thread.firstSite != null) { // no longer the earliest: an ordinary sample
                thread.allocationSites.merge(thread.firstSite, thread.firstWeight, Long::sum);
              }
              thread.firstSite = site;
              thread.firstWeight = weight;
              thread.firstAt = at;
            } else {
              thread.allocationSites.merge(site, weight, Long::sum);
            }
            thread.allocationWeight += weight;
          }
          case "jdk.JavaMonitorEnter" -> {
            long nanos = e.getDuration().toNanos();
            thread.monitorBlockedNanos += nanos;
            RecordedClass cls = e.getClass("monitorClass");
            data.contendedMonitors.merge(cls == null ? "?" : clean(cls.getName()), nanos, Long::sum);
          }
          case "jdk.ThreadPark" -> {
            RecordedClass cls = e.getClass("parkedClass");
            if (cls != null && isLock(cls.getName())) {
              long nanos = e.getDuration().toNanos();
              thread.lockParkedNanos += nanos;
              data.contendedLocks.merge(clean(cls.getName()), nanos, Long::sum);
            } else if (cls != null && isTaskWait(cls.getName())) {
              thread.taskWaitNanos += e.getDuration().toNanos();
            } else {
              thread.waits.merge(Diagnoser.WaitKind.QUEUE, e.getDuration().toNanos(), Long::sum);
            }
          }
          case "jdk.SocketRead", "jdk.SocketWrite" ->
              thread.waits.merge(Diagnoser.WaitKind.SOCKET, e.getDuration().toNanos(), Long::sum);
          case "jdk.FileRead", "jdk.FileWrite" ->
              thread.waits.merge(Diagnoser.WaitKind.FILE, e.getDuration().toNanos(), Long::sum);
          case "jdk.FileForce" ->
              thread.waits.merge(Diagnoser.WaitKind.FILE_SYNC, e.getDuration().toNanos(),
                  Long::sum);
          case "jdk.ThreadSleep" ->
              thread.waits.merge(Diagnoser.WaitKind.SLEEP, e.getDuration().toNanos(), Long::sum);
          case "jdk.JavaMonitorWait" -> {
            RecordedClass cls = e.getClass("monitorClass");
            if (cls != null && cls.getName().equals("java.lang.Thread")) { // Thread.join
              thread.taskWaitNanos += e.getDuration().toNanos();
            } else {
              thread.waits.merge(Diagnoser.WaitKind.QUEUE, e.getDuration().toNanos(), Long::sum);
            }
          }
          default -> {
            // not enabled
          }
        }
      }
    }
    // a native sample stands for every thread that was in native code then, not for one period
    for (NativeSample n : nativeSamples) {
      long weight = Math.max(1,
          nativeThreadsByWindow.getOrDefault(n.atNanos() / window, java.util.Set.of()).size());
      n.thread().stacks.add(n.frames(), weight);
      data.merged.add(n.frames(), weight);
      data.nativeSamples += weight;
    }
    return data;
  }

  /** Parks on these are waits for a lock, not for work or I/O. */
  /** Blockers of a thread that waits for another's task to finish. */
  private static boolean isTaskWait(String parkedClass) {
    return parkedClass.equals("java.util.concurrent.FutureTask")
        || parkedClass.equals("java.util.concurrent.CompletableFuture$Signaller")
        || parkedClass.equals("java.util.concurrent.CountDownLatch$Sync")
        || parkedClass.equals("java.util.concurrent.Phaser$QNode")
        || parkedClass.startsWith("java.util.concurrent.ForkJoinTask")
        || parkedClass.equals("java.lang.VirtualThread") // join of a virtual thread
        || parkedClass.equals("java.lang.Thread");
  }

  private static boolean isLock(String parkedClass) {
    return parkedClass.startsWith("java.util.concurrent.locks.ReentrantLock")
        || parkedClass.startsWith("java.util.concurrent.locks.ReentrantReadWriteLock")
        || parkedClass.startsWith("java.util.concurrent.locks.StampedLock");
  }

  private static List<String> frames(RecordedStackTrace stack) {
    if (stack == null) {
      return List.of("[no stack]");
    }
    List<String> out = new ArrayList<>(stack.getFrames().size());
    for (RecordedFrame f : stack.getFrames()) {
      String m = method(f);
      if (m.equals(SESSION_FRAME)) {
        return out; // the caller's frames below the section are the profiler's, not the section's
      }
      out.add(m);
    }
    if (stack.isTruncated()) {
      out.add(TRUNCATED);
    }
    return out;
  }

  private static String method(RecordedFrame f) {
    return clean(f.getMethod().getType().getName()) + "." + f.getMethod().getName();
  }

  /** The allocating frame and, when that is inside the JDK, the first caller outside it. */
  private static String site(RecordedStackTrace stack) {
    if (stack == null || stack.getFrames().isEmpty()) {
      return "?";
    }
    List<RecordedFrame> frames = stack.getFrames();
    String top = method(frames.get(0));
    if (!isPlatform(top)) {
      return top;
    }
    for (RecordedFrame f : frames) {
      String m = method(f);
      if (!isPlatform(m)) {
        return m + " (via " + top + ")";
      }
    }
    return top;
  }

  private static boolean isPlatform(String method) {
    return method.startsWith("java.") || method.startsWith("jdk.") || method.startsWith("sun.")
        || method.startsWith("javax.");
  }

  /** JFR names array classes by descriptor ({@code [B}); reports use {@code byte[]}. */
  static String typeName(String name) {
    int dims = 0;
    while (dims < name.length() && name.charAt(dims) == '[') {
      dims++;
    }
    if (dims == 0) {
      return clean(name);
    }
    String element = switch (name.charAt(dims)) {
      case 'B' -> "byte";
      case 'C' -> "char";
      case 'S' -> "short";
      case 'I' -> "int";
      case 'J' -> "long";
      case 'F' -> "float";
      case 'D' -> "double";
      case 'Z' -> "boolean";
      case 'L' -> clean(name.substring(dims + 1, name.length() - 1));
      default -> name.substring(dims);
    };
    return element + "[]".repeat(dims);
  }

  private static String clean(String name) {
    return HIDDEN.matcher(LAMBDA.matcher(name).replaceAll("\\$\\$Lambda")).replaceAll("");
  }

  @Override
  public void close() {
    recording.close();
  }
}
