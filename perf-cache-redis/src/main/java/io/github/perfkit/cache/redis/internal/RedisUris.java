package io.github.perfkit.cache.redis.internal;

import io.lettuce.core.RedisURI;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a Redis URI strictly and describes a server without its credentials. Error messages name
 * the parameter ({@code uri}) and the part that is wrong, and never repeat the URI: it may hold a
 * password.
 */
public final class RedisUris {

  private static final Set<String> HOST_SCHEMES = Set.of("redis", "rediss", "redis+ssl",
      "redis+tls");
  private static final Set<String> OTHER_SCHEMES = Set.of("redis-socket", "redis+socket",
      "redis-sentinel", "rediss-sentinel");

  private RedisUris() {}

  /**
   * @param uri e.g. {@code redis://:password@127.0.0.1:6379/0}
   * @return the parsed URI (a new, mutable Lettuce object)
   * @throws IllegalArgumentException naming {@code uri} and what is wrong with it
   */
  public static RedisURI parse(String uri) {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      throw invalid("is not a valid URI (an illegal character, such as a space, or a stray '@')");
    }
    String scheme = parsed.getScheme() == null ? null : parsed.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null || !(HOST_SCHEMES.contains(scheme) || OTHER_SCHEMES.contains(scheme))) {
      throw invalid("must start with redis://, rediss://, redis-socket:// or redis-sentinel://");
    }
    if (HOST_SCHEMES.contains(scheme)) {
      if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
        throw invalid("must name a host and an optional numeric port, as in "
            + "redis://[[user]:password@]host[:port][/database]");
      }
      int port = parsed.getPort();
      if (port != -1 && (port < 1 || port > 65_535)) {
        throw invalid("has a port outside 1..65535");
      }
    }
    try {
      return RedisURI.create(uri);
    } catch (RuntimeException e) {
      throw invalid("could not be read by Lettuce (" + e.getClass().getSimpleName()
          + "; check the database number and the query parameters)");
    }
  }

  private static IllegalArgumentException invalid(String what) {
    return new IllegalArgumentException("uri " + what);
  }

  /**
   * @param uri a parsed URI
   * @return {@code host:port}, a socket path or the sentinel master: never credentials
   */
  public static String describe(RedisURI uri) {
    if (uri.getSocket() != null) {
      return "unix socket " + uri.getSocket();
    }
    if (uri.getHost() != null) {
      return hostPort(uri.getHost(), uri.getPort());
    }
    if (!uri.getSentinels().isEmpty()) {
      RedisURI first = uri.getSentinels().get(0);
      return "master " + uri.getSentinelMasterId() + " via sentinel "
          + (first.getHost() == null ? "?" : hostPort(first.getHost(), first.getPort()));
    }
    return "Redis";
  }

  private static String hostPort(String host, int port) {
    return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }
}
