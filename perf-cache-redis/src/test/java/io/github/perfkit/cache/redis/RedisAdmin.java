package io.github.perfkit.cache.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/** A plain Lettuce connection for a test to look at (or change) what Redis holds. */
final class RedisAdmin implements AutoCloseable {

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  RedisAdmin(String uri) {
    this.client = RedisClient.create(uri);
    this.connection = client.connect();
  }

  RedisCommands<String, String> sync() {
    return connection.sync();
  }

  /** The Redis key under which a cache keeps an encoded key's value. */
  static String dataKey(String cache, Object key) {
    return "perfkit:cache:" + cache + ":v:" + key;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
