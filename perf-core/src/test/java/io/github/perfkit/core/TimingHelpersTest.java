package io.github.perfkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class TimingHelpersTest {

  private final LatencyRecorder recorder = LatencyRecorder.create("calls");

  @Test
  void eachHelperRecordsOneSuccessAndReturnsTheResult() throws Exception {
    recorder.run(() -> { });
    assertThat(recorder.time(() -> "a")).isEqualTo("a");
    assertThat(recorder.call(() -> 42)).isEqualTo(42);
    assertThat(recorder.<String, IOException>timeChecked(() -> "b")).isEqualTo("b");
    recorder.<IOException>runChecked(() -> { });
    try (LatencyRecorder.Sample sample = recorder.start()) {
      assertThat(sample).isNotNull();
    }
    LatencySnapshot s = recorder.snapshot();
    assertThat(s.count()).isEqualTo(6);
    assertThat(s.failureCount()).isZero();
  }

  @Test
  void exceptionsPassThroughUnchangedAndAreCountedAsFailures() {
    IllegalStateException unchecked = new IllegalStateException("boom");
    IOException checked = new IOException("disk");
    assertThatThrownBy(() -> recorder.run(() -> { throw unchecked; })).isSameAs(unchecked);
    assertThatThrownBy(() -> recorder.time(() -> { throw unchecked; })).isSameAs(unchecked);
    assertThatThrownBy(() -> recorder.call(() -> { throw checked; })).isSameAs(checked);
    assertThatThrownBy(() -> recorder.timeChecked(() -> { throw checked; })).isSameAs(checked);
    assertThatThrownBy(() -> recorder.runChecked(() -> { throw checked; })).isSameAs(checked);
    Error error = new AssertionError("bug");
    assertThatThrownBy(() -> recorder.run(() -> { throw error; })).isSameAs(error);
    LatencySnapshot s = recorder.snapshot();
    assertThat(s.count()).isEqualTo(6);
    assertThat(s.failureCount()).isEqualTo(6);
  }

  @Test
  void aSampleMarkedFailedRecordsAFailureAndClosingTwiceFails() {
    LatencyRecorder.Sample sample = recorder.start();
    sample.failed();
    sample.close();
    assertThat(recorder.snapshot().failureCount()).isEqualTo(1);
    assertThatIllegalStateException().isThrownBy(sample::close).withMessageContaining("'calls'");
    assertThat(recorder.snapshot().count()).isEqualTo(1);
  }

  @Test
  void theTimedDurationCoversTheWork() {
    recorder.run(() -> spinNanos(3_000_000));
    assertThat(recorder.snapshot().min().toNanos()).isGreaterThanOrEqualTo(2_900_000);
  }

  @Test
  void nullCodeIsNamed() {
    assertThatNullPointerException().isThrownBy(() -> recorder.run(null)).withMessage("code");
    assertThatNullPointerException().isThrownBy(() -> recorder.time(null)).withMessage("code");
    assertThatNullPointerException().isThrownBy(() -> recorder.call(null)).withMessage("code");
  }

  static void spinNanos(long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }
}
