package io.github.perfkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormatTest {

  @Test
  void durationsAreFormattedWithUnits() {
    assertThat(Format.duration(999)).isEqualTo("999 ns");
    assertThat(Format.duration(12_345)).isEqualTo("12.3 µs");
    assertThat(Format.duration(12_345_678)).isEqualTo("12.3 ms");
    assertThat(Format.duration(2_500_000_000L)).isEqualTo("2.50 s");
  }

  @Test
  void bytesAreFormattedWithBinaryUnits() {
    assertThat(Format.bytes(1023)).isEqualTo("1023 B");
    assertThat(Format.bytes(1536)).isEqualTo("1.5 KiB");
    assertThat(Format.bytes(3L * 1024 * 1024)).isEqualTo("3.0 MiB");
    assertThat(Format.bytes(5L * 1024 * 1024 * 1024)).isEqualTo("5.00 GiB");
  }
}
