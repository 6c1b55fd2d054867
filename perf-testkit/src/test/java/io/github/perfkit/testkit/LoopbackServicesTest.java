package io.github.perfkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class LoopbackServicesTest {

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort(); // closed again: nothing listens there now
    }
  }

  @Test
  void aMissingServerSkipsWithAMessageThatSaysHowToStartIt() throws Exception {
    LoopbackServices.Service nothing = LoopbackServices.service("fake", "127.0.0.1", freePort());
    assertThatThrownBy(() -> LoopbackServices.require(nothing, "start-fake", null, false))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("fake is not reachable at 127.0.0.1:")
        .hasMessageContaining("Start it with: start-fake");
  }

  @Test
  void aMissingServerFailsWhenServicesAreRequired() throws Exception {
    LoopbackServices.Service nothing = LoopbackServices.service("fake", "127.0.0.1", freePort());
    assertThatThrownBy(() -> LoopbackServices.require(nothing, "start-fake", null, true))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("PERFKIT_REQUIRE_SERVICES=true and fake is not reachable");
  }

  @Test
  void aListeningServerIsReturned() throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      LoopbackServices.Service up =
          LoopbackServices.service("up", "127.0.0.1", server.getLocalPort());
      assertThat(LoopbackServices.require(up, "-", null, true)).isSameAs(up);
    }
  }

  @Test
  void theLoopbackServersAnswerWhenPresent() {
    assertThat(LoopbackServices.postgres().jdbcUrl()).startsWith("jdbc:postgresql://");
    assertThat(LoopbackServices.mariadb().jdbcUrl()).startsWith("jdbc:mariadb://");
    assertThat(LoopbackServices.redis().port()).isPositive();
  }
}
