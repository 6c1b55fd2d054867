package io.github.perfkit.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A setting that would be ignored is an error in {@code build()}, naming the setting it needs. */
class GuardSettingsTest {

  @Test
  void rateLimitWaitWithoutARateLimitIsRejected() {
    assertThatIllegalStateException()
        .isThrownBy(() -> Guard.named("api").rateLimitWait(Duration.ofSeconds(1)).build())
        .withMessageContaining("rateLimitWait").withMessageContaining("rateLimit(calls, period)")
        .withMessageContaining("'api'");
    assertThatIllegalStateException()
        .isThrownBy(() -> Guard.named("api").rateLimiter(RateLimiter.ofDefaults("r"))
            .rateLimitWait(Duration.ofSeconds(1)).build())
        .withMessageContaining("keeps its own timeout");
  }

  @Test
  void backoffSettingsWithoutARetryAreRejected() {
    assertThatIllegalStateException()
        .isThrownBy(() -> Guard.named("api").jitter(0.1).build())
        .withMessageContaining("jitter").withMessageContaining("retry(maxAttempts, initialBackoff)");
    assertThatIllegalStateException()
        .isThrownBy(() -> Guard.named("api").backoffMultiplier(3).maxBackoff(Duration.ofSeconds(1))
            .retryOn(t -> true).build())
        .withMessageContaining("backoffMultiplier, maxBackoff, retryOn");
    assertThatIllegalStateException()
        .isThrownBy(() -> Guard.named("api").retry(Retry.ofDefaults("r")).jitter(0.2).build())
        .withMessageContaining("keeps its own settings");
  }

  @Test
  void bothFormsOfOneSettingAreRejected() {
    assertThatIllegalStateException()
        .isThrownBy(() -> Guard.named("api").rateLimit(10, Duration.ofSeconds(1))
            .rateLimiter(RateLimiter.ofDefaults("r")).build())
        .withMessageContaining("choose one");
    assertThatIllegalStateException()
        .isThrownBy(() -> Guard.named("api").retry(3, Duration.ofMillis(5))
            .retry(Retry.ofDefaults("r")).build())
        .withMessageContaining("choose one");
  }

  @Test
  void dependentSettingsBesideWhatTheyNeedAreAccepted() throws Exception {
    Guard guard = Guard.named("api").rateLimit(100, Duration.ofSeconds(1))
        .rateLimitWait(Duration.ofMillis(10)).retry(2, Duration.ofMillis(1)).jitter(0)
        .backoffMultiplier(1.5).maxBackoff(Duration.ofMillis(5)).retryOn(t -> true).build();
    assertThat(guard.call(() -> "ok")).isEqualTo("ok");
  }
}
