package io.github.perfkit.spring.boot;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code perfkit.jdbc.timing.*}: timing around the application's DataSource beans. Mutable, as
 * Spring binds it; read once at start-up.
 */
@ConfigurationProperties("perfkit.jdbc.timing")
public class PerfkitJdbcProperties {

  /** Whether DataSource beans are wrapped in TimedDataSource (on by default). */
  private boolean enabled = true;

  /** Statements at least this slow are logged (by SQL shape, never with literals). */
  private Duration slowThreshold = Duration.ofSeconds(1);

  /** At most this many SQL shapes get their own timer; the rest share "other". */
  private int maxShapes = io.github.perfkit.jdbc.TimedDataSource.DEFAULT_MAX_SHAPES;

  /** @return whether timing is on */
  public boolean isEnabled() {
    return enabled;
  }

  /** @param enabled whether timing is on */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** @return the slow-statement threshold */
  public Duration getSlowThreshold() {
    return slowThreshold;
  }

  /** @param slowThreshold the slow-statement threshold */
  public void setSlowThreshold(Duration slowThreshold) {
    this.slowThreshold = slowThreshold;
  }

  /** @return the most SQL shapes with a timer of their own */
  public int getMaxShapes() {
    return maxShapes;
  }

  /** @param maxShapes the most SQL shapes with a timer of their own */
  public void setMaxShapes(int maxShapes) {
    this.maxShapes = maxShapes;
  }
}
