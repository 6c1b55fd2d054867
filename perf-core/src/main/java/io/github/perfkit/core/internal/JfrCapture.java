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
    public final StackTree stacks = new StackTree();
    public long monitorBlockedNanos;
    public long lockParkedNanos;
    public long allocationWeight;

    ThreadData(long id, String name) {
      this.id = id;
      this.name = name;
    }
  }

  /** The events of the section, for the threads in scope. */
  public static final class Data {
    public final StackTree merged = new StackTree();
    public final Map<Long, ThreadData> threads = new HashMap<>();
    /** Estimated allocated bytes by "type @ frame". */
    public final Map<String, Long> allocationSites = new HashMap<>();
    public final Map<String, Long> contendedMonitors = new HashMap<>();
    public final Map<String, Long> contendedLocks = new HashMap<>();
    public long allocationWeight;
    public long maxHeapUsedBeforeGc = -1;
    public long truncatedStacks;
    public long nativeSamples;
  }

  private final Recording recording;

  private JfrCapture(Recording recording) {
    this.recording = recording;
  }

  /**
   * Starts recording.
   *
   * @param period the execution sampling period
   * @param allocations whether to sample allocations
   * @param nativeSamples whether to sample threads inside native methods too
   * @return the running capture
   */
  public static JfrCapture start(Duration period, boolean allocations, boolean nativeSamples) {
    Recording r = new Recording();
    r.setName("perfkit-profile");
    r.enable("jdk.ExecutionSample").withPeriod(period).withStackTrace();
    if (nativeSamples) {
      r.enable("jdk.NativeMethodSample").withPeriod(period).withStackTrace();
    }
    if (allocations) {
      r.enable("jdk.ObjectAllocationSample").with("throttle", "300/s").withStackTrace();
    }
    r.enable("jdk.GCHeapSummary");
    r.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ofMillis(1)).withStackTrace();
    r.enable("jdk.ThreadPark").withThreshold(Duration.ofMillis(1)).withoutStackTrace();
    r.start();
    return new JfrCapture(r);
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
      return read(file, from, to, inScope);
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

  private static Data read(Path file, Instant from, Instant to, BiPredicate<Long, String> inScope)
      throws IOException {
    Data data = new Data();
    Map<Long, Boolean> scope = new HashMap<>();
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
        RecordedThread t = sample ? e.getThread("sampledThread") : e.getThread();
        if (t == null) {
          continue;
        }
        long id = t.getJavaThreadId();
        String name = t.getJavaName() == null ? t.getOSName() : t.getJavaName();
        if (!scope.computeIfAbsent(id, k -> inScope.test(k, name))) {
          continue;
        }
        ThreadData thread = data.threads.computeIfAbsent(id, k -> new ThreadData(k, name));
        switch (type) {
          case "jdk.ExecutionSample", "jdk.NativeMethodSample" -> {
            if (type.equals("jdk.NativeMethodSample")) {
              data.nativeSamples++;
            }
            List<String> frames = frames(e.getStackTrace());
            if (!frames.isEmpty() && frames.get(frames.size() - 1).equals(TRUNCATED)) {
              data.truncatedStacks++;
            }
            thread.stacks.add(frames);
            data.merged.add(frames);
          }
          case "jdk.ObjectAllocationSample" -> {
            long weight = e.getLong("weight");
            RecordedClass cls = e.getClass("objectClass");
            String site = (cls == null ? "?" : typeName(cls.getName())) + " @ "
                + site(e.getStackTrace());
            data.allocationSites.merge(site, weight, Long::sum);
            data.allocationWeight += weight;
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
            }
          }
          default -> {
            // not enabled
          }
        }
      }
    }
    return data;
  }

  /** Parks on these are waits for a lock, not for work or I/O. */
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
