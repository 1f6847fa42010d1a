package io.tickflow.delivery;

import java.nio.ByteBuffer;

/**
 * A server-to-client WebSocket text frame on the wire (RFC 6455 §5.2: FIN, opcode 1, the payload length in 7, 16 or
 * 64 bits, no mask, no extension — the server negotiates none). Built here because Java-WebSocket 1.6.0's send path
 * ({@code WebSocketImpl.write}) decodes every frame of up to 1,000 bytes into a String for a TRACE line, whatever the
 * log level: the single largest allocation of the whole pipeline at 10k results/s.
 */
final class TextFrames {
    private static final int FIN_TEXT = 0x81;

    private TextFrames() {
    }

    /** The frame carrying {@code utf8}, ready for the socket's send queue. */
    static ByteBuffer frame(final byte[] utf8) {
        final int n = utf8.length;
        final int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        final ByteBuffer out = ByteBuffer.allocate(header + n);
        out.put((byte) FIN_TEXT);
        if (n < 126) {
            out.put((byte) n);
        } else if (n <= 0xFFFF) {
            out.put((byte) 126).putShort((short) n);
        } else {
            out.put((byte) 127).putLong(n);
        }
        return out.put(utf8).flip();
    }
}
