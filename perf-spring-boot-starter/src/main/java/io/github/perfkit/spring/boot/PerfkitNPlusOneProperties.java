package io.github.perfkit.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code perfkit.jdbc.n-plus-one.*}: the N+1 suspects of {@code /actuator/perfkit}, the SQL shapes
 * one HTTP request ran many times. Mutable, as Spring binds it; read once at start-up.
 */
@ConfigurationProperties("perfkit.jdbc.n-plus-one")
public class PerfkitNPlusOneProperties {

  /** Whether each servlet request's statements are counted by SQL shape (on by default). */
  private boolean enabled = true;

  /** A shape run at least this many times in one request is a suspect. */
  private int threshold = 10;

  /** The most suspects (handler and shape) kept; further ones are counted, not kept. */
  private int maxSuspects = 100;

  /** Creates the defaults; Spring binds the properties onto them. */
  public PerfkitNPlusOneProperties() {}

  /** @return whether requests are counted */
  public boolean isEnabled() {
    return enabled;
  }

  /** @param enabled whether requests are counted */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** @return the executions of one shape in one request that make it a suspect */
  public int getThreshold() {
    return threshold;
  }

  /** @param threshold the executions of one shape in one request that make it a suspect */
  public void setThreshold(int threshold) {
    this.threshold = threshold;
  }

  /** @return the most suspects kept */
  public int getMaxSuspects() {
    return maxSuspects;
  }

  /** @param maxSuspects the most suspects kept */
  public void setMaxSuspects(int maxSuspects) {
    this.maxSuspects = maxSuspects;
  }
}
