/** perfkit cache on Redis: a shared second tier. See {@link io.github.perfkit.cache.redis}. */
module io.github.perfkit.cache.redis {
  requires transitive io.github.perfkit.cache;
  requires transitive lettuce.core;
  requires io.github.resilience4j.circuitbreaker;
  requires io.github.resilience4j.core;
  requires reactor.core;
  // Lettuce is an automatic module and cannot say that it needs these; Netty 4.2's are explicit
  // modules, which nothing else would resolve (ClientResources fails on DnsCnameCache without them)
  requires io.netty.common;
  requires io.netty.transport;
  requires io.netty.handler;
  requires io.netty.resolver.dns;

  exports io.github.perfkit.cache.redis;
}
