package io.github.perfkit.spring.boot;

import io.github.perfkit.parallel.BoundedExecutor;
import io.github.perfkit.parallel.Parallel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Executors declared through {@code perfkit.executors.<name>.*} as {@link BoundedExecutor} beans
 * ({@code <name>Executor}, qualifier {@code <name>}, closed with the context), with their
 * {@code executor.*} meters (tag {@code name}). Runs after Boot's task execution
 * auto-configuration, so Boot's {@code applicationTaskExecutor} and {@code @Async} keep working
 * beside them. Off with {@code perfkit.executors-enabled=false}.
 */
@AutoConfiguration(after = TaskExecutionAutoConfiguration.class)
@ConditionalOnClass(BoundedExecutor.class)
@ConditionalOnProperty(prefix = "perfkit", name = "executors-enabled", matchIfMissing = true)
@Import(PerfkitExecutorAutoConfiguration.Registrar.class)
public class PerfkitExecutorAutoConfiguration {

  /** The bean definition attribute that marks an executor made from properties. */
  static final String FROM_PROPERTIES = "perfkit.executor";

  /** Creates the auto-configuration; Spring calls it. */
  public PerfkitExecutorAutoConfiguration() {}

  /**
   * Binds the meters of the executors made from properties.
   *
   * @param beans where they are found
   * @return the binder
   */
  @Bean
  @ConditionalOnClass(MeterRegistry.class)
  public static MeterBinder perfkitExecutorMetrics(ConfigurableListableBeanFactory beans) {
    return registry -> {
      for (String name : beans.getBeanNamesForType(BoundedExecutor.class, false, false)) {
        if (beans.containsBeanDefinition(name)
            && beans.getBeanDefinition(name).getAttribute(FROM_PROPERTIES) != null) {
          beans.getBean(name, BoundedExecutor.class).metrics().bindTo(registry);
        }
      }
    };
  }

  /** Builds one executor from its properties; the builder's errors name the setting. */
  static BoundedExecutor build(String name, PerfkitExecutorProperties p) {
    Parallel.Builder b = p.getKind() == PerfkitExecutorProperties.Kind.CPU
        ? Parallel.cpu(name) : Parallel.io(name);
    if (p.getMaxConcurrency() != null) {
      b.maxConcurrency(p.getMaxConcurrency());
    }
    if (p.getQueueCapacity() != null) {
      b.queueCapacity(p.getQueueCapacity());
    }
    if (p.getBackpressure() != null) {
      b.backpressure(p.getBackpressure());
    }
    if (p.isPlatformThreads()) {
      b.platformThreads();
    }
    return b.build();
  }

  /** Registers one bean definition per {@code perfkit.executors.<name>}. */
  static final class Registrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {
    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
      this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata,
        BeanDefinitionRegistry registry) {
      Map<String, PerfkitExecutorProperties> executors = Binder.get(environment)
          .bind("perfkit.executors", Bindable.mapOf(String.class, PerfkitExecutorProperties.class))
          .orElse(Map.of());
      executors.forEach((name, properties) -> {
        RootBeanDefinition definition = new RootBeanDefinition(BoundedExecutor.class,
            () -> build(name, properties));
        definition.setDestroyMethodName("close");
        definition.setAttribute(FROM_PROPERTIES, name);
        definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
        registry.registerBeanDefinition(name + "Executor", definition);
      });
    }
  }
}
