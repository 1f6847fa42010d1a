package io.tickflow.delivery;

/**
 * Bytes handed to a socket and not yet written to the network: the sizes of the frames handed, in order, matched
 * against the socket's count of frames it still holds (Java-WebSocket keeps one buffer per frame and drops each once
 * written). The library's own frames (pings, close) count among the held ones, so this is an upper bound, and the
 * frame being written counts whole. O(1) per frame and per look, no lock on the socket's queue.
 * Confined to its outbox's monitor.
 */
final class InFlight {
    private int[] sizes = new int[16];
    private int head;
    private int count;
    private long bytes;

    void handed(final int size) {
        if (count == sizes.length) {
            final int[] grown = new int[sizes.length * 2];
            for (int i = 0; i < count; i++) {
                grown[i] = sizes[(head + i) & (sizes.length - 1)];
            }
            sizes = grown;
            head = 0;
        }
        sizes[(head + count) & (sizes.length - 1)] = size;
        count++;
        bytes += size;
    }

    /** @param heldFrames frames the socket still holds: the last ones handed, unless some are the library's own */
    long bytes(final int heldFrames) {
        while (count > heldFrames) {
            bytes -= sizes[head];
            head = (head + 1) & (sizes.length - 1);
            count--;
        }
        return bytes;
    }
}
