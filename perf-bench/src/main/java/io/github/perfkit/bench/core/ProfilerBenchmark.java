package io.github.perfkit.bench.core;

import io.github.perfkit.core.Profile;
import io.github.perfkit.core.Profiler;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Event;
import jdk.jfr.Name;
import jdk.jfr.consumer.RecordingStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The profiler's overhead: one CPU-bound section (SHA-256 over 64 KiB buffers and sorting int
 * arrays, a few call levels deep) run plainly, and under {@link Profiler} with its defaults (10 ms
 * execution and native sampling, allocation sites on) and without allocation sites. Each measurement
 * is one whole section including the profile's start and read-back (about 10 ms, {@code emptySectionProfiled}), so the ratio is
 * what a user pays. Two section lengths: {@code rounds=40} (about 0.3 s on JDK 25, 0.6 s on JDK 17:
 * some 30-60 samples) and {@code rounds=160} (about 1.2 s / 2.5 s), where the fixed cost weighs less.
 *
 * <p>Run: {@code java -jar perf-bench/target/benchmarks.jar ProfilerBenchmark} (about 8 minutes);
 * quickly: add {@code -f 1 -wi 2 -i 4}. JMH measures every fork of one benchmark before the next,
 * so a drift of a noisy machine's speed biases the ratio; {@link ProfilerOverhead} interleaves the
 * two in shuffled rounds instead.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4)
@Measurement(iterations = 12)
@Fork(2)
@State(Scope.Benchmark)
public class ProfilerBenchmark {

  /** Section length: rounds of 200 digests and one sort. */
  @Param({"40", "160"})
  public int rounds;

  private CpuSection cpu;

  @Setup
  public void setUp() {
    cpu = new CpuSection(rounds);
  }

  long section() {
    return cpu.run();
  }

  @Benchmark
  public long unprofiled() {
    return section();
  }

  @Benchmark
  public Profile profiled(Blackhole bh) {
    return Profiler.named("bench").build().profile(() -> bh.consume(section()));
  }

  /** Marks the end of a section in the {@link #recordingStreamEmptySection} alternative. */
  @Name("perfkit.bench.SectionEnd")
  static final class SectionEnd extends Event {}

  /**
   * The raw alternative to {@link #emptySectionProfiled}: a JFR {@code RecordingStream} with
   * execution sampling around an empty section, closed once every event of the section has been
   * delivered (a marker event committed at the end and awaited). A stream delivers at its flush,
   * about once a second, which is why perfkit dumps a stopped recording instead.
   */
  @Benchmark
  public int recordingStreamEmptySection() throws InterruptedException {
    CountDownLatch seen = new CountDownLatch(1);
    AtomicInteger samples = new AtomicInteger();
    try (RecordingStream stream = new RecordingStream()) {
      stream.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
      stream.enable(SectionEnd.class);
      stream.onEvent("jdk.ExecutionSample", e -> samples.incrementAndGet());
      stream.onEvent("perfkit.bench.SectionEnd", e -> seen.countDown());
      stream.startAsync();
      new SectionEnd().commit();
      if (!seen.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the marker event never arrived");
      }
    }
    return samples.get();
  }

  /** The fixed cost: a profile around an empty section (run with {@code -p rounds=40}). */
  @Benchmark
  public Profile emptySectionProfiled() {
    return Profiler.named("bench").build().profile(() -> { });
  }

  @Benchmark
  public Profile profiledWithoutAllocationSites(Blackhole bh) {
    return Profiler.named("bench").allocationSites(false).build()
        .profile(() -> bh.consume(section()));
  }

  /** Java execution samples only: no native-method samples, no allocation sites. */
  @Benchmark
  public Profile profiledJavaSamplesOnly(Blackhole bh) {
    return Profiler.named("bench").allocationSites(false).nativeSamples(false)
        .build().profile(() -> bh.consume(section()));
  }

  /** The defaults at half the sampling rate (20 ms). */
  @Benchmark
  public Profile profiledEvery20ms(Blackhole bh) {
    return Profiler.named("bench").samplingPeriod(Duration.ofMillis(20))
        .build().profile(() -> bh.consume(section()));
  }
}
