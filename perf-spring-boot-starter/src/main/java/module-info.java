/**
 * perfkit Spring Boot starter. Spring's jars are automatic modules (named in their manifests); the
 * auto-configuration package is opened to Spring, which instantiates its classes reflectively.
 */
module io.github.perfkit.spring.boot {
  requires transitive io.github.perfkit.cache;
  requires transitive io.github.perfkit.jdbc;
  requires transitive io.github.perfkit.parallel;
  requires transitive spring.boot.autoconfigure;
  requires transitive spring.boot;
  requires transitive spring.context;
  requires transitive spring.beans;
  requires transitive spring.core;
  requires java.sql;
  // the endpoint only when the application has the actuator
  requires static transitive spring.boot.actuator;
  requires static spring.boot.actuator.autoconfigure;
  // Redis-tier caches only when the application has perf-cache-redis
  requires static transitive io.github.perfkit.cache.redis;
  // the N+1 request filter only in a servlet application
  requires static spring.web;
  requires static jakarta.servlet;

  exports io.github.perfkit.spring.boot;
  opens io.github.perfkit.spring.boot to spring.core, spring.beans, spring.context;
}
