package io.github.perfkit.cache.redis.internal;

import io.github.perfkit.cache.redis.RedisStatus;
import io.github.perfkit.cache.redis.RedisStatus.State;
import io.github.perfkit.cache.redis.TieredFunction;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Turns what a {@link RedisLink} saw into a {@link RedisStatus} and logs its changes: one
 * {@code WARNING} when Redis turns unreachable, refuses the credentials, or commands start failing,
 * and one {@code INFO} when it is back. A state that stays bad is not logged again, nor are moves
 * between "unreachable" and "failing" (Redis being down produces both); a move between unreachable
 * and refused credentials is, because the remedy differs. Reasons hold {@code host:port} and Redis
 * error codes only, never a message text (Redis echoes arguments, which may be keys). Thread-safe.
 */
final class RedisHealth {

  private static final System.Logger LOG = System.getLogger(TieredFunction.LOGGER_NAME);

  private final String name;
  private final String target;
  private RedisStatus reported;

  RedisHealth(String name, String target) {
    this.name = name;
    this.target = target;
    this.reported = new RedisStatus(State.CONNECTING, "connecting to " + target);
  }

  String target() {
    return target;
  }

  /** Records {@code now} as the current status, logging it if it is a change worth a line. */
  void report(RedisStatus now) {
    RedisStatus before;
    synchronized (this) {
      before = reported;
      reported = now;
    }
    State from = before.state();
    State to = now.state();
    if (from == to || to == State.CLOSED) {
      return;
    }
    boolean worse = to.isProblem() && (!from.isProblem()
        || (from != State.FAILING && to != State.FAILING));
    if (worse) {
      LOG.log(Level.WARNING, "perfkit cache '" + name + "': " + now.reason()
          + "; calls are served from the near cache and the loader until Redis is usable again");
    } else if (to == State.UP && from.isProblem()) {
      LOG.log(Level.INFO, "perfkit cache '" + name + "': Redis is usable again, " + now.reason()
          + " (it was " + from + ")");
    }
  }

  /** The status a failed connection attempt stands for. */
  RedisStatus connectFailure(Throwable failure) {
    String code = redisErrorCode(failure);
    if (code != null) {
      switch (code) {
        case "WRONGPASS":
          return auth(target + " refused the user name or password in the URI (WRONGPASS)");
        case "NOAUTH":
          return auth(target + " requires a password and the URI has none (NOAUTH)");
        case "NOPERM":
          return auth(target + " denies the URI's user a command the cache needs (NOPERM)");
        default:
          if (isAuthError(failure)) {
            return auth(target + " refused authentication (" + code + ")");
          }
          return new RedisStatus(State.UNREACHABLE, target + " refused the connection (" + code
              + ")");
      }
    }
    return new RedisStatus(State.UNREACHABLE, "cannot reach " + target + ": " + ioReason(failure));
  }

  /** A short, safe description of a failed command, for the reason of {@link State#FAILING}. */
  static String commandFailure(Throwable failure) {
    String code = redisErrorCode(failure);
    return code != null ? "Redis answered " + code : ioReason(failure);
  }

  private static RedisStatus auth(String reason) {
    return new RedisStatus(State.AUTHENTICATION_FAILED, reason);
  }

  /** The first word of a Redis error reply (WRONGPASS, NOAUTH, ERR...), or null. */
  private static String redisErrorCode(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RedisCommandExecutionException && t.getMessage() != null) {
        String message = t.getMessage();
        int end = 0;
        while (end < message.length() && Character.isUpperCase(message.charAt(end))) {
          end++;
        }
        return end > 0 ? message.substring(0, end) : "an error";
      }
    }
    return null;
  }

  private static boolean isAuthError(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RedisCommandExecutionException && t.getMessage() != null) {
        String m = t.getMessage().toLowerCase(java.util.Locale.ROOT);
        return m.contains("auth") || m.contains("password");
      }
    }
    return false;
  }

  private static String ioReason(Throwable failure) {
    Throwable deepest = failure;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof UnknownHostException) {
        return "unknown host";
      }
      if (t instanceof RedisCommandTimeoutException || t instanceof SocketTimeoutException
          || t instanceof TimeoutException
          || t.getClass().getSimpleName().contains("Timeout")) {
        return "timed out";
      }
      if (t instanceof SSLException) {
        return "TLS handshake failed";
      }
      deepest = t;
    }
    return deepest.getClass().getSimpleName();
  }
}
