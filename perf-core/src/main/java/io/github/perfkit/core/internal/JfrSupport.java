package io.github.perfkit.core.internal;

import java.lang.reflect.Method;

/**
 * Whether JDK Flight Recorder can be used in this JVM. Refers to no {@code jdk.jfr} type, so it loads
 * even where that module is missing. Stateless and thread-safe.
 */
public final class JfrSupport {

  private static final String REASON = probe();

  private JfrSupport() {}

  /** @return why JFR cannot be used here, or {@code null} when it can */
  public static String unavailableReason() {
    return REASON;
  }

  private static String probe() {
    try {
      Class<?> recorder = Class.forName("jdk.jfr.FlightRecorder");
      Method available = recorder.getMethod("isAvailable");
      if (!(Boolean) available.invoke(null)) {
        return "JDK Flight Recorder is not available in this JVM (disabled with"
            + " -XX:-FlightRecorder, or not built into this VM)";
      }
      return null;
    } catch (ClassNotFoundException | NoClassDefFoundError e) {
      return "the jdk.jfr module is not in this runtime (a jlink image without it, or"
          + " --limit-modules leaving it out); add jdk.jfr to the image or the module graph";
    } catch (ReflectiveOperationException | LinkageError e) {
      return "JDK Flight Recorder cannot be loaded: " + e;
    }
  }
}
