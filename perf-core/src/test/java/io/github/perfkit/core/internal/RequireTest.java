package io.github.perfkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequireTest {

  @Test
  void eachCheckNamesTheParameterAndTheRefusedValue() {
    assertThatThrownBy(() -> Require.notNull(null, "ttl"))
        .isInstanceOf(NullPointerException.class).hasMessage("ttl must not be null");
    assertThatThrownBy(() -> Require.notBlank(" ", "name"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("name must not be blank");
    assertThatThrownBy(() -> Require.positive(Duration.ZERO, "ttl"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("ttl must be positive but was PT0S");
    assertThatThrownBy(() -> Require.nonNegative(Duration.ofSeconds(-1), "delay"))
        .hasMessage("delay must not be negative but was PT-1S");
    assertThatThrownBy(() -> Require.positive(0, "rounds"))
        .hasMessage("rounds must be positive but was 0");
    assertThatThrownBy(() -> Require.nonNegative(-3L, "size")).hasMessage("size must not be negative but was -3");
    assertThatThrownBy(() -> Require.inRange(101, 0, 100, "percentile"))
        .hasMessage("percentile must be in [0, 100] but was 101");
    assertThatThrownBy(() -> Require.inRange(Double.NaN, 0, 1, "alpha"))
        .hasMessage("alpha must be in [0.0, 1.0] but was NaN");
    assertThatThrownBy(() -> Require.state(false, "maximumSize and maximumWeight exclude each other"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void acceptedValuesComeBackUnchanged() {
    assertThat(Require.positive(Duration.ofMillis(5), "ttl")).isEqualTo(Duration.ofMillis(5));
    assertThat(Require.notBlank("users", "name")).isEqualTo("users");
    assertThat(Require.inRange(0.5, 0, 1, "alpha")).isEqualTo(0.5);
    assertThat(Require.nonNegative(0, "size")).isZero();
    Require.state(true, "never thrown");
  }

  @Test
  void aSettingMayBeMadeOnce() {
    SetOnce settings = new SetOnce();
    settings.mark("maximumSize");
    assertThat(settings.isSet("maximumSize")).isTrue();
    assertThat(settings.isSet("ttl")).isFalse();
    assertThatThrownBy(() -> settings.mark("maximumSize"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maximumSize was already set on this builder (each setting may be set once)");
  }
}
