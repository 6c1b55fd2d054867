package io.github.perfkit.bench.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The CPU-bound section whose profiling cost {@link ProfilerBenchmark} and {@link ProfilerOverhead}
 * measure: rounds of 200 SHA-256 digests of a 64 KiB buffer and one sort of 200,000 ints, a few
 * call levels deep. Not thread-safe (one per benchmark state).
 */
final class CpuSection {

  private final int rounds;
  private final byte[] buffer = new byte[64 * 1024];
  private final int[] numbers;

  CpuSection(int rounds) {
    this.rounds = rounds;
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < buffer.length; i++) {
      buffer[i] = (byte) random.nextInt();
    }
    numbers = random.ints(200_000).toArray();
  }

  long run() {
    long h = 0;
    for (int round = 0; round < rounds; round++) {
      h += digest(200);
      h += sort();
    }
    return h;
  }

  private long digest(int times) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] out = null;
      for (int i = 0; i < times; i++) {
        sha.update(buffer);
        out = sha.digest();
      }
      return out[0];
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private long sort() {
    int[] copy = Arrays.copyOf(numbers, numbers.length);
    Arrays.sort(copy);
    return copy[copy.length / 2];
  }
}
