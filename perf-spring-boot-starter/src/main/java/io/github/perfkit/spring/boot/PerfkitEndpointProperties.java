package io.github.perfkit.spring.boot;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code perfkit.endpoint.*}: the {@code perfkit} actuator endpoint. Switch the endpoint itself on
 * or off, and expose it, as any actuator endpoint ({@code management.endpoint.perfkit.access},
 * {@code management.endpoints.web.exposure.include}). Mutable, as Spring binds it.
 */
@ConfigurationProperties("perfkit.endpoint")
public class PerfkitEndpointProperties {

  /** The longest profile POST /actuator/perfkit/profile may ask for. */
  private Duration profileMaxDuration = Duration.ofSeconds(60);

  /** How many of the slowest SQL shapes to list per data source. */
  private int sqlShapes = 10;

  /** @return the longest profile */
  public Duration getProfileMaxDuration() {
    return profileMaxDuration;
  }

  /** @param profileMaxDuration the longest profile */
  public void setProfileMaxDuration(Duration profileMaxDuration) {
    this.profileMaxDuration = profileMaxDuration;
  }

  /** @return how many SQL shapes to list */
  public int getSqlShapes() {
    return sqlShapes;
  }

  /** @param sqlShapes how many SQL shapes to list */
  public void setSqlShapes(int sqlShapes) {
    this.sqlShapes = sqlShapes;
  }
}
