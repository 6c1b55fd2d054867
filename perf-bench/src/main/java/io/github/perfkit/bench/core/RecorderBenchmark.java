package io.github.perfkit.bench.core;

import io.github.perfkit.core.LatencyRecorder;
import io.github.perfkit.core.PerfMetrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of one recorded duration: perfkit's {@link LatencyRecorder} (alone, bound to a Micrometer
 * registry, and through its timing helper) beside {@code System.nanoTime()} alone, HdrHistogram's
 * {@link Recorder}, a plain Micrometer {@link Timer} and a Micrometer Timer with published
 * percentiles, each on one thread and on two threads recording into the same instance.
 *
 * <p>Run quickly: {@code java -jar perf-bench/target/benchmarks.jar RecorderBenchmark -f 1 -wi 2 -i 3
 * -w 1s -r 1s}; allocation: add {@code -prof gc}. The README table comes from the defaults below.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecorderBenchmark {

  /** Shared by every thread: contention is what the two-thread variants measure. */
  @State(Scope.Benchmark)
  public static class Shared {
    LatencyRecorder perfkit;
    LatencyRecorder perfkitBound;
    Recorder hdr;
    Timer plainTimer;
    Timer percentileTimer;
    SimpleMeterRegistry registry;

    @Setup
    public void setUp() {
      perfkit = LatencyRecorder.create("bench");
      perfkitBound = LatencyRecorder.create("bench-bound");
      registry = new SimpleMeterRegistry();
      PerfMetrics.forRecorder(perfkitBound).publishHistogram(true).build().bindTo(registry);
      hdr = new Recorder(2);
      plainTimer = Timer.builder("plain").register(registry);
      percentileTimer = Timer.builder("percentiles").publishPercentiles(0.5, 0.9, 0.95, 0.99, 0.999)
          .register(registry);
    }
  }

  /** A varying duration per call, so no implementation profits from a constant. */
  @State(Scope.Thread)
  public static class Values {
    long i;
    final Supplier<Long> work = () -> 42L;

    long next() {
      return 1_000 + ((i++ & 1023) * 997);
    }
  }

  @Benchmark
  public long nanoTimeAlone() {
    return System.nanoTime();
  }

  @Benchmark
  public void hdrRecorder(Shared s, Values v) {
    s.hdr.recordValue(v.next());
  }

  @Benchmark
  public void micrometerTimer(Shared s, Values v) {
    s.plainTimer.record(v.next(), TimeUnit.NANOSECONDS);
  }

  @Benchmark
  public void micrometerTimerPercentiles(Shared s, Values v) {
    s.percentileTimer.record(v.next(), TimeUnit.NANOSECONDS);
  }

  @Benchmark
  public void perfkitRecord(Shared s, Values v) {
    s.perfkit.record(v.next());
  }

  @Benchmark
  public void perfkitRecordBound(Shared s, Values v) {
    s.perfkitBound.record(v.next());
  }

  @Benchmark
  public void perfkitTimeHelper(Shared s, Values v, Blackhole bh) {
    bh.consume(s.perfkit.time(v.work));
  }

  @Benchmark
  public void manualNanoTimeAndHdr(Shared s, Values v, Blackhole bh) {
    long start = System.nanoTime();
    bh.consume(v.work.get());
    s.hdr.recordValue(System.nanoTime() - start);
  }

  @Benchmark
  @Threads(2)
  public void hdrRecorder2Threads(Shared s, Values v) {
    s.hdr.recordValue(v.next());
  }

  @Benchmark
  @Threads(2)
  public void micrometerTimer2Threads(Shared s, Values v) {
    s.plainTimer.record(v.next(), TimeUnit.NANOSECONDS);
  }

  @Benchmark
  @Threads(2)
  public void micrometerTimerPercentiles2Threads(Shared s, Values v) {
    s.percentileTimer.record(v.next(), TimeUnit.NANOSECONDS);
  }

  @Benchmark
  @Threads(2)
  public void perfkitRecord2Threads(Shared s, Values v) {
    s.perfkit.record(v.next());
  }

  @Benchmark
  @Threads(2)
  public void perfkitRecordBound2Threads(Shared s, Values v) {
    s.perfkitBound.record(v.next());
  }
}
