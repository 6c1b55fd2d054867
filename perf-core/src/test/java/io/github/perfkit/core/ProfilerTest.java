package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ground-truth tests of the JFR section profiler and its memory figures. */
class ProfilerTest {

  static volatile long sink;

  /** Identical loops; only the iteration count differs, so CPU time is proportional to it. */
  static long burnA(long iterations) {
    long x = 17;
    for (long i = 0; i < iterations; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      x ^= x >>> 29;
    }
    return x;
  }

  static long burnB(long iterations) {
    long x = 31;
    for (long i = 0; i < iterations; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      x ^= x >>> 29;
    }
    return x;
  }

  /** Wall time the last {@link #eightyTwenty} spent in A and in B: the ground truth of shares. */
  static volatile long nanosInA;
  static volatile long nanosInB;

  /**
   * Runs A for 4 units and B for 1, over and over, for about {@code millis}, timing each side: the
   * split is about 80/20 but the JIT can make it 72/28 (seen in CI), so tests compare the samples
   * with the measured split, not with 80/20.
   */
  static void eightyTwenty(long millis) {
    long unit = 200_000;
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    long x = 0;
    long inA = 0;
    long inB = 0;
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      x += burnA(4 * unit);
      long t1 = System.nanoTime();
      x += burnB(unit);
      inB += System.nanoTime() - t1;
      inA += t1 - t0;
    }
    nanosInA = inA;
    nanosInB = inB;
    sink = x;
  }

  @Test
  void methodBurningEightyPercentGetsEightyPercentOfTheSamples() {
    eightyTwenty(300); // warm up so both loops are compiled the same way
    Profile p = Profiler.named("80/20").samplingPeriod(Duration.ofMillis(5))
        .build().profile(() -> eightyTwenty(2_000));
    String a = ProfilerTest.class.getName() + ".burnA";
    String b = ProfilerTest.class.getName() + ".burnB";
    assertThat(p.samples()).isGreaterThan(150);
    double trueA = (double) nanosInA / (nanosInA + nanosInB);
    assertThat(trueA).as("the workload's measured split").isBetween(0.65, 0.90);
    assertThat(p.selfShare(a)).as("measured A share %.3f%n%s", trueA, p.text())
        .isCloseTo(trueA, within(0.07));
    assertThat(p.selfShare(b)).as("measured B share %.3f%n%s", 1 - trueA, p.text())
        .isCloseTo(1 - trueA, within(0.07));
    assertThat(p.topSelf().get(0).method()).isEqualTo(a);
    assertThat(p.cumulativeShare(ProfilerTest.class.getName() + ".eightyTwenty"))
        .isGreaterThan(0.95);
    assertThat(p.threads()).hasSize(1);
    assertThat(p.threads().get(0).id()).isEqualTo(Thread.currentThread().getId());
    assertThat(p.flameGraph().folded()).contains("eightyTwenty;" + a);
  }

  @Test
  void threadsStartedByTheSectionAreProfiledEachWithItsOwnHotMethod() throws Exception {
    Profiler profiler = Profiler.named("two threads").samplingPeriod(Duration.ofMillis(5)).build();
    Profile p = profiler.profile(() -> {
      Thread ta = new Thread(() -> sink = burnA(1_500_000_000L), "worker-a");
      Thread tb = new Thread(() -> sink = burnB(1_500_000_000L), "worker-b");
      ta.start();
      tb.start();
      ta.join();
      tb.join();
    });
    Profile.ThreadProfile wa = p.threads().stream().filter(t -> t.name().equals("worker-a"))
        .findFirst().orElseThrow();
    Profile.ThreadProfile wb = p.threads().stream().filter(t -> t.name().equals("worker-b"))
        .findFirst().orElseThrow();
    assertThat(wa.topSelf().get(0).method()).isEqualTo(ProfilerTest.class.getName() + ".burnA");
    assertThat(wb.topSelf().get(0).method()).isEqualTo(ProfilerTest.class.getName() + ".burnB");
    assertThat(wa.topCumulative()).extracting(Profile.MethodShare::method)
        .contains(ProfilerTest.class.getName() + ".burnA")
        .doesNotContain(ProfilerTest.class.getName() + ".burnB");
    // both ended inside the section: JFR samples only, no exact counters
    assertThat(wa.cpuNanos()).isEqualTo(-1);
    assertThat(p.memory().exact()).isFalse();
  }

  @Test
  void threadsThatExistedBeforeAreLeftOutUnlessIncluded() throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    Thread bystander = new Thread(() -> {
      while (stop.getCount() > 0) {
        sink = burnB(1_000_000);
      }
    }, "bystander-1");
    bystander.start();
    try {
      Profile without = Profiler.named("mine").build().profile(() -> sink = burnA(400_000_000L));
      assertThat(without.threads()).extracting(Profile.ThreadProfile::name)
          .doesNotContain("bystander-1");
      assertThat(without.selfShare(ProfilerTest.class.getName() + ".burnB")).isZero();
      Profile with = Profiler.named("mine+bystander").includeThreads(n -> n.startsWith("bystander"))
          .build().profile(() -> sink = burnA(400_000_000L));
      assertThat(with.threads()).extracting(Profile.ThreadProfile::name).contains("bystander-1");
      assertThat(with.selfShare(ProfilerTest.class.getName() + ".burnB")).isGreaterThan(0.2);
    } finally {
      stop.countDown();
      bystander.join();
    }
  }

  /** zlib compression: the work happens inside a native method. */
  static long deflate(long millis) {
    byte[] input = new byte[1 << 20];
    new java.util.Random(3).nextBytes(input);
    byte[] output = new byte[2 << 20];
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    long n = 0;
    while (System.nanoTime() < end) {
      java.util.zip.Deflater d = new java.util.zip.Deflater(9);
      d.setInput(input);
      d.finish();
      n += d.deflate(output);
      d.end();
    }
    return n;
  }

  @Test
  void workInsideNativeMethodsIsSampledUnlessTurnedOff() {
    Profile with = Profiler.named("zlib").build().profile(() -> sink = deflate(600));
    assertThat(with.nativeSamples()).as(with.text()).isGreaterThan(20);
    assertThat(with.cumulativeShare("java.util.zip.Deflater.deflate")).as(with.text())
        .isGreaterThan(0.8);
    Profile without = Profiler.named("zlib, Java only").nativeSamples(false)
        .build().profile(() -> sink = deflate(600));
    assertThat(without.nativeSamples()).isZero();
    assertThat(without.samples()).isLessThan(with.samples() / 2);
  }

  static List<byte[]> allocate(int arrays, int size) {
    List<byte[]> out = new ArrayList<>(arrays);
    for (int i = 0; i < arrays; i++) {
      out.add(new byte[size]);
    }
    return out;
  }

  @Test
  void knownAllocationIsMeasuredWithinFivePercentPerThread() throws Exception {
    int arrays = 64;
    int size = 1 << 20; // 64 MiB in the caller
    long expected = (long) arrays * size;
    CountDownLatch allocated = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Runnable work = () -> {
      sink = allocate(32, size).size(); // 32 MiB in a thread the section starts
      allocated.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    Thread[] worker = new Thread[1];
    Profile p;
    try {
      p = Profiler.named("alloc").build().profile(() -> {
        worker[0] = new Thread(work, "allocating-worker");
        worker[0].start();
        sink = allocate(arrays, size).size();
        allocated.await();
      });
    } finally {
      release.countDown();
      worker[0].join();
    }
    Profile.ThreadProfile caller = p.threads().stream()
        .filter(t -> t.id() == Thread.currentThread().getId()).findFirst().orElseThrow();
    Profile.ThreadProfile w = p.threads().stream()
        .filter(t -> t.name().equals("allocating-worker")).findFirst().orElseThrow();
    assertThat((double) caller.allocatedBytes()).isCloseTo(expected, within(expected * 0.05));
    assertThat((double) w.allocatedBytes()).isCloseTo(expected / 2.0, within(expected * 0.025));
    assertThat((double) p.memory().allocatedBytes())
        .isCloseTo(expected * 1.5, within(expected * 1.5 * 0.05));
    assertThat(p.memory().exact()).isTrue();
    assertThat(p.memory().topSites()).isNotEmpty();
    assertThat(p.memory().topSites().get(0).site())
        .startsWith("byte[] @ " + ProfilerTest.class.getName() + ".allocate");
  }

  @Test
  void heapPeakSeesMemoryHeldOnlyInsideTheSection() {
    long held = 256L << 20;
    Profile p = Profiler.named("peak").build().profile(() -> {
      List<byte[]> big = allocate(256, 1 << 20);
      sink = big.size();
    });
    MemoryProfile m = p.memory();
    // 256 MiB were reachable at once, whatever the collector did to older garbage meanwhile
    assertThat(m.heapPeakBytes()).as(m.text()).isGreaterThanOrEqualTo(held);
    assertThat(m.heapPeakBytes()).isGreaterThanOrEqualTo(m.heapUsedAtEndBytes());
  }

  @Test
  void flameGraphIsOneSelfContainedPage(@TempDir Path dir) throws Exception {
    Profile p = Profiler.named("flame <&>").build().profile(() -> eightyTwenty(300));
    Path file = p.flameGraph().writeHtml(dir.resolve("sub/flame.html"));
    String html = Files.readString(file);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("data-chart=\"flame\"")
        .contains("burnA").contains("flame &lt;&amp;&gt;")
        .doesNotContain("src=\"http").doesNotContain("href=\"http").doesNotContain("<link");
    assertThat(p.flameGraph().json()).startsWith("{\"n\":\"all\"");
  }

  @Test
  void overlappingProfilesKeepTheirOwnThreadsAndRestoreContentionMonitoring() throws Exception {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    boolean monitoringBefore = mx.isThreadContentionMonitoringEnabled();
    int rounds = 4;
    List<Profile> fromA = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Profile> fromB = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
    Thread a = new Thread(() -> {
      for (int i = 0; i < rounds; i++) {
        await(together);
        fromA.add(Profiler.named("a" + i).samplingPeriod(Duration.ofMillis(5))
            .build().profile(() -> sink = burnA(300_000_000L)));
      }
    }, "profiling-a");
    Thread b = new Thread(() -> {
      for (int i = 0; i < rounds; i++) {
        await(together);
        fromB.add(Profiler.named("b" + i).samplingPeriod(Duration.ofMillis(5))
            .build().profile(() -> sink = burnB(300_000_000L)));
      }
    }, "profiling-b");
    a.start();
    b.start();
    a.join();
    b.join();
    assertThat(fromA).hasSize(rounds);
    assertThat(fromB).hasSize(rounds);
    String burnA = ProfilerTest.class.getName() + ".burnA";
    String burnB = ProfilerTest.class.getName() + ".burnB";
    for (Profile p : fromA) {
      assertThat(p.selfShare(burnB)).as(p.text()).isZero();
      assertThat(p.threads()).extracting(Profile.ThreadProfile::name).containsExactly("profiling-a");
    }
    for (Profile p : fromB) {
      assertThat(p.selfShare(burnA)).as(p.text()).isZero();
      assertThat(p.threads()).extracting(Profile.ThreadProfile::name).containsExactly("profiling-b");
    }
    assertThat(mx.isThreadContentionMonitoringEnabled()).isEqualTo(monitoringBefore);
  }

  private static void await(java.util.concurrent.CyclicBarrier barrier) {
    try {
      barrier.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void sectionExceptionsPassThroughUnchanged() {
    IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(() -> Profiler.defaults().profile(() -> {
      throw boom;
    })).isSameAs(boom);
  }

  @Test
  void badSettingsNameTheParameter() {
    assertThatThrownBy(() -> Profiler.named(" ")).hasMessageContaining("name");
    assertThatThrownBy(() -> Profiler.named("x").samplingPeriod(Duration.ZERO))
        .hasMessageContaining("period must be between 1 ms and 1 s");
    assertThatThrownBy(() -> Profiler.named("x").top(0)).hasMessageContaining("n must be");
    assertThatThrownBy(() -> Profiler.named("x").build().profile(null))
        .hasMessageContaining("section");
  }

  @Test
  void withoutJfrTheErrorSaysWhy() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "--limit-modules",
        "java.base,java.management,jdk.management", "-cp", System.getProperty("java.class.path"),
        NoJfrMain.class.getName()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("ProfilerUnavailableException")
        .contains("jdk.jfr module is not in this runtime").contains("available=false");
    assertThat(process.exitValue()).as(out).isZero();
  }

  /** Runs in a JVM without the jdk.jfr module. */
  public static final class NoJfrMain {
    public static void main(String[] args) {
      System.out.println("available=" + Profiler.isAvailable());
      try {
        Profiler.defaults().profile(() -> { });
        System.out.println("no error");
        System.exit(1);
      } catch (ProfilerUnavailableException e) {
        System.out.println(e);
      }
    }
  }
}
