package io.github.perfkit.cache.redis;

import java.util.Objects;

/**
 * Whether a {@link TieredFunction} can use Redis now and, if not, why: what
 * {@link TieredFunction#redisStatus()} returns. The same reason goes to the log, once, when the
 * state turns bad ({@code WARNING}) and when it recovers ({@code INFO}), on the
 * {@code System.Logger} named {@value TieredFunction#LOGGER_NAME}. A reason names the server as
 * {@code host:port} and the Redis error code (such as {@code WRONGPASS}); never a password, a user
 * name, a key or the URI. Immutable.
 *
 * @param state what the tier can do
 * @param reason one sentence for an operator, e.g. {@code "127.0.0.1:6379 refused the password in
 *     the URI (WRONGPASS)"}
 */
public record RedisStatus(State state, String reason) {

  /** What the tier can do. */
  public enum State {
    /** The first connection attempt has not finished yet. */
    CONNECTING,
    /** Connected; the circuit breaker lets commands through. */
    UP,
    /** Redis cannot be reached (refused, timed out, unknown host, connection lost). */
    UNREACHABLE,
    /** Redis refused the credentials or their permissions (WRONGPASS, NOAUTH, NOPERM). */
    AUTHENTICATION_FAILED,
    /** Connected, but commands fail or time out, so the circuit breaker keeps them away. */
    FAILING,
    /** The cache was closed. */
    CLOSED;

    /** @return whether this state means Redis should work but does not */
    public boolean isProblem() {
      return this == UNREACHABLE || this == AUTHENTICATION_FAILED || this == FAILING;
    }
  }

  /**
   * @param state what the tier can do, not null
   * @param reason why, not null
   */
  public RedisStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
  }

  /** @return whether the tier uses Redis now ({@link State#UP}) */
  public boolean available() {
    return state == State.UP;
  }

  @Override
  public String toString() {
    return state + ": " + reason;
  }
}
