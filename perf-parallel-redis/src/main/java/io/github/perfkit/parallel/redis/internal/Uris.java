package io.github.perfkit.parallel.redis.internal;

import io.lettuce.core.RedisURI;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a Redis URI strictly and names a server without its credentials. Messages name the
 * parameter ({@code uri}) and what is wrong, and never repeat the URI: it may hold a password.
 * (perf-cache-redis has the same rules; this module does not depend on the cache modules.)
 */
public final class Uris {

  private static final Set<String> SCHEMES = Set.of("redis", "rediss", "redis+ssl", "redis+tls");

  private Uris() {}

  /**
   * @param uri e.g. {@code redis://:password@127.0.0.1:6379/0}
   * @return the parsed URI
   * @throws IllegalArgumentException naming {@code uri} and what is wrong
   */
  public static RedisURI parse(String uri) {
    if (uri == null) {
      throw new NullPointerException("uri must not be null");
    }
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      throw invalid("is not a valid URI (an illegal character, such as a space, or a stray '@')");
    }
    String scheme = parsed.getScheme() == null ? null : parsed.getScheme().toLowerCase(Locale.ROOT);
    if (scheme == null || !SCHEMES.contains(scheme)) {
      throw invalid("must start with redis:// or rediss://");
    }
    if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
      throw invalid("must name a host and an optional numeric port, as in "
          + "redis://[[user]:password@]host[:port][/database]");
    }
    int port = parsed.getPort();
    if (port != -1 && (port < 1 || port > 65_535)) {
      throw invalid("has a port outside 1..65535");
    }
    try {
      return RedisURI.create(uri);
    } catch (RuntimeException e) {
      throw invalid("could not be read by Lettuce (" + e.getClass().getSimpleName()
          + "; check the database number and the query parameters)");
    }
  }

  /**
   * @param uri a parsed URI
   * @return {@code host:port}, never credentials
   */
  public static String describe(RedisURI uri) {
    String host = uri.getHost();
    return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":"
        + uri.getPort();
  }

  private static IllegalArgumentException invalid(String what) {
    return new IllegalArgumentException("uri " + what);
  }
}
