package io.tickflow.delivery;

import io.tickflow.runtime.HeldSockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.tickflow.runtime.HeldSockets.closedByServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The WebSocket port against clients that never finish, or overdo, the opening handshake: real sockets. */
class HandshakeGuardTest {
    private static final String HANDSHAKE = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

    private DeliveryMain service;
    private final HeldSockets sockets = new HeldSockets();

    @AfterEach
    void stop() throws IOException {
        sockets.close();
        if (service != null) {
            service.close();
        }
    }

    private int start(final String... pairs) {
        service = DeliveryMain.startWithoutFeed(DeliveryConfig.fromEnv(DeliveryFixture.env(pairs)));
        return service.wsPort();
    }

    @Test
    void shouldCloseConnectionWhenHandshakeNeverArrivesWithinDeadline() throws Exception {
        final int port = start("WS_HANDSHAKE_TIMEOUT", "300ms");
        final Socket silent = sockets.open(port);
        final Socket half = sockets.open(port);
        half.getOutputStream().write(HANDSHAKE.getBytes(StandardCharsets.US_ASCII)); // no blank line: never complete
        final long began = System.nanoTime();
        assertTrue(closedByServer(silent, Duration.ofSeconds(5)), "silent connection still open after 5 s");
        assertTrue(closedByServer(half, Duration.ofSeconds(5)), "half handshake still open after 5 s");
        final long millis = (System.nanoTime() - began) / 1_000_000;
        System.out.printf("connections without a complete handshake closed after %d ms (deadline 300 ms)%n", millis);
        assertEquals(0, service.metrics().connections.get());
        // a real client is not affected
        try (WsClient c = WsClient.connect(port)) {
            c.send("{\"op\":\"list\",\"id\":\"1\"}");
            assertEquals("1", c.nextMatching(m -> "1".equals(m.path("id").asText())).path("id").asText());
        }
    }

    @Test
    void shouldRefuseHandshakeWith431WhenLargerThanLimit() throws Exception {
        final int port = start("WS_MAX_HANDSHAKE_BYTES", "2048");
        final Socket big = sockets.open(port);
        big.getOutputStream().write((HANDSHAKE + "X-Filler: " + "a".repeat(4_096) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        final String answer = readUntilClosed(big, Duration.ofSeconds(5));
        assertFalse(answer.startsWith("HTTP/1.1 101"), answer);
        assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 431"), answer); // a reset may beat the 431
        assertEquals(0, service.metrics().connections.get());
        // a handshake within the limit still opens
        final Socket fine = sockets.open(port);
        fine.getOutputStream().write((HANDSHAKE + "\r\n").getBytes(StandardCharsets.US_ASCII));
        fine.setSoTimeout(5_000);
        final byte[] head = new byte[12];
        assertEquals(12, fine.getInputStream().readNBytes(head, 0, 12));
        assertEquals("HTTP/1.1 101", new String(head, StandardCharsets.US_ASCII));
    }

    @Test
    void shouldCloseAtAcceptWhenHandshakingConnectionsFillTheLimit() throws Exception {
        final int port = start("WS_MAX_CONNECTIONS", "3", "WS_HANDSHAKE_TIMEOUT", "10s");
        for (int i = 0; i < 3; i++) {
            sockets.open(port);
        }
        final Socket fourth = sockets.open(port);
        assertTrue(closedByServer(fourth, Duration.ofSeconds(5)), "a fourth handshaking connection was kept");
    }

    /** What the server sent before closing ("" if it reset first); fails if it is still open after the timeout. */
    private static String readUntilClosed(final Socket s, final Duration timeout) throws IOException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        s.setSoTimeout(100);
        final InputStream in = s.getInputStream();
        final StringBuilder text = new StringBuilder();
        final byte[] buf = new byte[1_024];
        while (System.nanoTime() < deadline) {
            try {
                final int n = in.read(buf);
                if (n < 0) {
                    return text.toString();
                }
                text.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            } catch (SocketTimeoutException e) {
                // look at the deadline again
            } catch (SocketException e) {
                return text.toString();
            }
        }
        throw new AssertionError("still open after " + timeout + ": " + text);
    }
}
