/**
 * perfkit parallel on Redis: a rate limit shared by every instance. See
 * {@link io.github.perfkit.parallel.redis}.
 */
module io.github.perfkit.parallel.redis {
  requires transitive io.github.perfkit.parallel;
  requires transitive io.github.resilience4j.ratelimiter;
  requires io.github.resilience4j.core;
  requires lettuce.core;
  // Lettuce is an automatic module and cannot say that it needs these; Netty 4.2's are explicit
  // modules, which nothing else would resolve (ClientResources fails on DnsCnameCache without them)
  requires io.netty.common;
  requires io.netty.transport;
  requires io.netty.handler;
  requires io.netty.resolver.dns;

  exports io.github.perfkit.parallel.redis;
}
