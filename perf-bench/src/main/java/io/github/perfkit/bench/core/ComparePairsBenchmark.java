package io.github.perfkit.bench.core;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH's side of issue 16's Compare-against-JMH trial ({@link CompareVsJmh} runs it): the two
 * pairs of {@link ComparePairs}, average time, 2 forks. Alone:
 * {@code java -jar perf-bench/target/benchmarks.jar ComparePairsBenchmark}.
 */
@Fork(2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class ComparePairsBenchmark {

  private final ComparePairs pairs = new ComparePairs();

  /** @return the sorted copy */
  @Benchmark
  public int[] sortPrimitive() {
    return pairs.sortPrimitive();
  }

  /** @return the sorted copy */
  @Benchmark
  public List<Integer> sortBoxed() {
    return pairs.sortBoxed();
  }

  /** @return the text */
  @Benchmark
  public String textBuilder() {
    return pairs.textBuilder();
  }

  /** @return the text */
  @Benchmark
  public String textFormat() {
    return pairs.textFormat();
  }
}
