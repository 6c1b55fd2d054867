package io.github.perfkit.bench.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The held-out pairs of approaches of issue 16's Compare-against-JMH trial, 40 us to 2 ms per call,
 * shared by {@link ComparePairsBenchmark} (JMH) and {@link CompareVsJmh} (perfkit's Compare in
 * fresh JVMs), so both measure the same code on the same input.
 */
public final class ComparePairs {

  /** Elements sorted per call. */
  static final int SORT_N = 20_000;
  /** Items formatted per call. */
  static final int TEXT_N = 2_000;

  private final int[] ints;
  private final List<Integer> boxed;
  private final long[] values;

  /** Builds the inputs from a fixed seed. */
  public ComparePairs() {
    SplittableRandom r = new SplittableRandom(42);
    ints = new int[SORT_N];
    for (int i = 0; i < SORT_N; i++) {
      ints[i] = r.nextInt();
    }
    boxed = new ArrayList<>(SORT_N);
    for (int v : ints) {
      boxed.add(v);
    }
    values = new long[TEXT_N];
    for (int i = 0; i < TEXT_N; i++) {
      values[i] = r.nextLong(1_000_000);
    }
  }

  /** @return a sorted copy, primitive ints (pair "sort", the faster approach) */
  public int[] sortPrimitive() {
    int[] copy = ints.clone();
    Arrays.sort(copy);
    return copy;
  }

  /** @return a sorted copy, boxed integers (pair "sort", the baseline) */
  public List<Integer> sortBoxed() {
    List<Integer> copy = new ArrayList<>(boxed);
    Collections.sort(copy);
    return copy;
  }

  /** @return the values as "key=value;" text with a StringBuilder (pair "text", faster) */
  public String textBuilder() {
    StringBuilder sb = new StringBuilder(TEXT_N * 16);
    for (int i = 0; i < TEXT_N; i++) {
      sb.append('k').append(i).append('=').append(values[i]).append(';');
    }
    return sb.toString();
  }

  /** @return the same text with String.format (pair "text", the baseline) */
  public String textFormat() {
    StringBuilder sb = new StringBuilder(TEXT_N * 16);
    for (int i = 0; i < TEXT_N; i++) {
      sb.append(String.format("k%d=%d;", i, values[i]));
    }
    return sb.toString();
  }
}
