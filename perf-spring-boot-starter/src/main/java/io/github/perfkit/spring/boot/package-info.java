/**
 * perfkit in a Spring Boot 3.5 application with no glue code. Add the starter, and:
 *
 * <ul>
 *   <li>{@code @Cacheable}/{@code @CachePut}/{@code @CacheEvict} caches are perfkit caches
 *       ({@link io.github.perfkit.spring.boot.PerfkitCacheManager}), one spec per cache from
 *       {@code perfkit.cache.specs.<name>}, with meters for caches made at run time;</li>
 *   <li>the auto-configured DataSource is a {@link io.github.perfkit.jdbc.TimedDataSource}
 *       ({@code perfkit.jdbc.timing.*});</li>
 *   <li>{@code perfkit.executors.<name>.*} become {@link io.github.perfkit.parallel.BoundedExecutor}
 *       beans beside Boot's {@code applicationTaskExecutor};</li>
 *   <li>the actuator endpoint {@code perfkit} ({@link io.github.perfkit.spring.boot.PerfkitEndpoint})
 *       lists caches, executors and the slowest SQL shapes, and profiles on demand.</li>
 * </ul>
 *
 * <p>Each part has its own auto-configuration and switch; each backs off when the application
 * defines its own bean.
 */
package io.github.perfkit.spring.boot;
