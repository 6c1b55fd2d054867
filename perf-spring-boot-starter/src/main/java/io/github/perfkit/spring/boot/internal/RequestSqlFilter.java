package io.github.perfkit.spring.boot.internal;

import io.github.perfkit.jdbc.TimedDataSource;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.method.HandlerMethod;

/**
 * Counts the statements each servlet request runs on its own thread through any TimedDataSource,
 * by SQL shape ({@link TimedDataSource#countShapes()}), and hands the counts to
 * {@link RequestSqlSuspects} under the request's route (method and Spring MVC's URI pattern, never
 * the URI) and handler. Statements on other threads (async work) are not the request's. Thread-safe;
 * costs a thread-local map update per statement.
 */
public final class RequestSqlFilter extends OncePerRequestFilter implements Ordered {

  // Spring MVC's HandlerMapping attributes, by value: spring-webmvc is not needed to read them
  private static final String PATTERN =
      "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";
  private static final String HANDLER =
      "org.springframework.web.servlet.HandlerMapping.bestMatchingHandler";

  private final RequestSqlSuspects suspects;

  /** @param suspects where the counts go */
  public RequestSqlFilter(RequestSqlSuspects suspects) {
    this.suspects = suspects;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 20; // around (nearly) everything else
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws ServletException, IOException {
    TimedDataSource.ShapeCount count = TimedDataSource.countShapes();
    try {
      chain.doFilter(request, response);
    } finally {
      count.close();
      if (!count.counts().isEmpty()) {
        Object pattern = request.getAttribute(PATTERN);
        String route = request.getMethod() + " "
            + (pattern != null ? pattern : "(no handler pattern)");
        suspects.request(route, handler(request.getAttribute(HANDLER)), count.counts());
      }
    }
  }

  private static String handler(Object handler) {
    if (handler instanceof HandlerMethod m) {
      return m.getBeanType().getSimpleName() + "#" + m.getMethod().getName();
    }
    return handler == null ? "(none)" : handler.getClass().getSimpleName();
  }
}
