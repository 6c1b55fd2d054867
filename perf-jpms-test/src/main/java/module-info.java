/**
 * A consumer of perfkit on the module path: it requires perfkit's modules only (and its own JDBC
 * driver), never their dependencies, as README tells users to.
 */
module io.github.perfkit.jpms {
  requires io.github.perfkit.core;
  requires io.github.perfkit.junit;
  requires io.github.perfkit.cache;
  requires io.github.perfkit.cache.redis;
  requires io.github.perfkit.parallel;
  requires io.github.perfkit.parallel.redis;
  requires io.github.perfkit.jdbc;
}
