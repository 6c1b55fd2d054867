package io.github.perfkit.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code perfkit.cache.*}: the perfkit {@code CacheManager}. Mutable, as Spring binds it; read once
 * at start-up.
 */
@ConfigurationProperties("perfkit.cache")
public class PerfkitCacheProperties {

  /** Whether the perfkit CacheManager replaces Boot's (on by default when caching is enabled). */
  private boolean enabled = true;

  /** The spec of caches without a spec of their own, such as {@code maximumSize=1000}. */
  private String defaultSpec = "";

  /** Spec by cache name, such as {@code users -> maximumSize=10000,expireAfterWrite=10m}. */
  private Map<String, String> specs = new LinkedHashMap<>();

  /** Whether a null result is cached (Spring's managers do by default). */
  private boolean allowNullValues = true;

  /** Redis-tier caches ({@code perfkit.cache.redis.*}). */
  private final Redis redis = new Redis();

  /** @return {@code perfkit.cache.redis.*} */
  public Redis getRedis() {
    return redis;
  }

  /** @return whether the manager is on */
  public boolean isEnabled() {
    return enabled;
  }

  /** @param enabled whether the manager is on */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** @return the default spec */
  public String getDefaultSpec() {
    return defaultSpec;
  }

  /** @param defaultSpec the default spec */
  public void setDefaultSpec(String defaultSpec) {
    this.defaultSpec = defaultSpec;
  }

  /** @return spec by cache name */
  public Map<String, String> getSpecs() {
    return specs;
  }

  /** @param specs spec by cache name */
  public void setSpecs(Map<String, String> specs) {
    this.specs = specs;
  }

  /** @return whether nulls are cached */
  public boolean isAllowNullValues() {
    return allowNullValues;
  }

  /** @param allowNullValues whether nulls are cached */
  public void setAllowNullValues(boolean allowNullValues) {
    this.allowNullValues = allowNullValues;
  }

  /**
   * {@code perfkit.cache.redis.*}: tiered caches (a perfkit near cache per instance, Redis shared by
   * every instance, invalidations published to all) when perf-cache-redis is on the class path.
   * The connection comes from Boot's {@code spring.data.redis.*}. Mutable, as Spring binds it.
   */
  public static class Redis {

    /** Whether the manager's caches get a Redis tier (off by default). */
    private boolean enabled;

    /** Caches that stay local to each instance (no Redis tier). */
    private List<String> exclude = new ArrayList<>();

    /** What the caches' Redis keys start with, before the cache name. */
    private String keyPrefix = "perfkit:cache:";

    /** How long a value lives in Redis. */
    private Duration timeToLive = Duration.ofMinutes(10);

    /** The longest a Redis command may take before the call falls back to the method. */
    private Duration commandTimeout = Duration.ofMillis(250);

    /** Creates the default settings; Spring binds the properties onto them. */
    public Redis() {}

    /** @return whether caches get a Redis tier */
    public boolean isEnabled() {
      return enabled;
    }

    /** @param enabled whether caches get a Redis tier */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** @return the caches that stay local */
    public List<String> getExclude() {
      return exclude;
    }

    /** @param exclude the caches that stay local */
    public void setExclude(List<String> exclude) {
      this.exclude = exclude;
    }

    /** @return the Redis key prefix */
    public String getKeyPrefix() {
      return keyPrefix;
    }

    /** @param keyPrefix the Redis key prefix */
    public void setKeyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }

    /** @return how long a value lives in Redis */
    public Duration getTimeToLive() {
      return timeToLive;
    }

    /** @param timeToLive how long a value lives in Redis */
    public void setTimeToLive(Duration timeToLive) {
      this.timeToLive = timeToLive;
    }

    /** @return the Redis command timeout */
    public Duration getCommandTimeout() {
      return commandTimeout;
    }

    /** @param commandTimeout the Redis command timeout */
    public void setCommandTimeout(Duration commandTimeout) {
      this.commandTimeout = commandTimeout;
    }
  }
}
