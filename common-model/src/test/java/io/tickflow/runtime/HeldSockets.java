package io.tickflow.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Test fixture: raw client connections to 127.0.0.1 that a test opens and holds (silent, or stalled after part of a
 * request), all closed by {@link #close()}. Used by the tests of servers that must shed such clients.
 */
public final class HeldSockets implements AutoCloseable {
    private final List<Socket> sockets = new ArrayList<>();

    /** Opens a connection and sends nothing. */
    public Socket open(final int port) throws IOException {
        final Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return s;
    }

    /** Opens a connection, writes {@code head} and leaves it there. */
    public Socket open(final int port, final String head) throws IOException {
        final Socket s = open(port);
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** Whether the server closed (or reset) {@code s} within {@code timeout}; whatever it sent is discarded. */
    public static boolean closedByServer(final Socket s, final Duration timeout) throws IOException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        s.setSoTimeout(100);
        final byte[] sink = new byte[1_024];
        while (System.nanoTime() < deadline) {
            try {
                if (s.getInputStream().read(sink) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // nothing yet: look at the deadline again
            } catch (SocketException e) {
                return true; // reset
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        sockets.clear();
    }
}
