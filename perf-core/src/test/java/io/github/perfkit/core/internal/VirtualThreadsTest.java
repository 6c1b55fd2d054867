package io.github.perfkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class VirtualThreadsTest {

  private static final boolean JAVA_21 = Runtime.version().feature() >= 21;

  @Test
  void supportFollowsTheRunningJdk() {
    assertThat(VirtualThreads.isSupported()).isEqualTo(JAVA_21);
    assertThat(VirtualThreads.factory("t-").isPresent()).isEqualTo(JAVA_21);
  }

  @Test
  void factoryCreatesVirtualThreadsWithThePrefixOnJava21() throws Exception {
    if (!JAVA_21) {
      assertThat(VirtualThreads.factory("t-")).isEmpty();
      assertThat(VirtualThreads.newThreadPerTaskExecutor("t-")).isEmpty();
      assertThat(VirtualThreads.isVirtual(Thread.currentThread())).isFalse();
      return;
    }
    Thread thread = VirtualThreads.factory("probe-").orElseThrow().newThread(() -> { });
    assertThat(VirtualThreads.isVirtual(thread)).isTrue();
    assertThat(thread.getName()).isEqualTo("probe-0");
    ExecutorService executor = VirtualThreads.newThreadPerTaskExecutor("x-").orElseThrow();
    try {
      Future<Boolean> ranVirtual = executor.submit(() -> VirtualThreads.isVirtual(Thread.currentThread()));
      assertThat(ranVirtual.get()).isTrue();
    } finally {
      executor.shutdown();
    }
    assertThat(VirtualThreads.isVirtual(Thread.currentThread())).isFalse();
  }

  @Test
  void nullArgumentsAreNamed() {
    assertThatNullPointerException().isThrownBy(() -> VirtualThreads.factory(null))
        .withMessage("namePrefix");
    assertThatNullPointerException().isThrownBy(() -> VirtualThreads.isVirtual(null))
        .withMessage("thread");
  }
}
