package io.tickflow.delivery;

import io.tickflow.runtime.HeldSockets;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client that completes the handshake, may send frames, and reads only when told to: the slowest
 * possible client. Its receive buffer is tiny so the server's backlog builds quickly.
 */
final class RawSocketClient implements AutoCloseable {
    private final Socket socket = new Socket();

    RawSocketClient(final int port) throws IOException {
        socket.setReceiveBufferSize(4_096);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        final byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        final OutputStream out = socket.getOutputStream();
        out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        final InputStream in = socket.getInputStream();
        final StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            final int b = in.read();
            if (b < 0) {
                throw new IOException("closed during handshake: " + head);
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake refused: " + head);
        }
    }

    /** Sends one masked text frame (client frames must be masked). */
    void sendText(final String text) throws IOException {
        final byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length > 125) {
            throw new IllegalArgumentException("keep test frames short");
        }
        final byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        final byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        socket.getOutputStream().write(frame);
        socket.getOutputStream().flush();
    }

    /**
     * Reads the server's text frames until none has arrived for {@code quiet} (pings and other control frames are
     * skipped, never answered).
     */
    List<String> readTextFrames(final Duration quiet) throws IOException {
        final List<String> frames = new ArrayList<>();
        final DataInputStream in = new DataInputStream(socket.getInputStream());
        while (true) {
            socket.setSoTimeout((int) quiet.toMillis());
            final int first;
            try {
                first = in.read();
            } catch (SocketTimeoutException e) {
                return frames;
            }
            if (first < 0) {
                return frames;
            }
            socket.setSoTimeout(10_000); // the rest of a frame that has started
            final int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            final byte[] payload = new byte[(int) length];
            in.readFully(payload);
            if ((first & 0x0f) == 1) {
                frames.add(new String(payload, StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Reads and discards whatever the server sends (pings included: this client never answers them) until the server
     * closes the connection; false if it is still open after {@code timeout}.
     */
    boolean awaitClosedByServer(final Duration timeout) throws IOException {
        return HeldSockets.closedByServer(socket, timeout);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
