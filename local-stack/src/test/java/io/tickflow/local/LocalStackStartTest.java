package io.tickflow.local;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A failing start names its cause in one line, before the broker or any service starts. */
class LocalStackStartTest {
    @Test
    void shouldNameThePortAndItsKeyWhenAFixedPortIsInUse() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            final LocalStackOptions options = new LocalStackOptions(0, 0, 0, taken.getLocalPort(), 0, 0, 0, 1, 1,
                    null, Map.of());
            final IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> LocalStack.requireFreePorts(options));
            assertTrue(e.getMessage().startsWith("port " + taken.getLocalPort() + " (DELIVERY_HTTP_PORT) is in use"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("set DELIVERY_HTTP_PORT to a free port"), e.getMessage());
        }
    }
}
