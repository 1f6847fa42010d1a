package io.tickflow.delivery;

import java.util.function.LongSupplier;

/**
 * Bytes handed to a socket and not yet written to the network: the sizes of the frames handed, in order, matched
 * against the socket's count of frames it still holds (Java-WebSocket keeps one buffer per frame and drops each once
 * written). The library's own frames (pings, close) count among the held ones, so this is an upper bound, and the
 * frame being written counts whole. Each frame's hand-over time is kept too: how long the oldest frame still held has
 * waited is how stale whatever is handed next will be when it reaches the network. O(1) per frame and per look, no
 * lock on the socket's queue. Confined to its outbox's monitor.
 */
final class InFlight {
    private int[] sizes = new int[16];
    private long[] handedNanos = new long[16];
    private int head;
    private int count;
    private long bytes;

    void handed(final int size, final long nowNanos) {
        if (count == sizes.length) {
            final int[] grown = new int[sizes.length * 2];
            final long[] grownNanos = new long[sizes.length * 2];
            for (int i = 0; i < count; i++) {
                grown[i] = sizes[(head + i) & (sizes.length - 1)];
                grownNanos[i] = handedNanos[(head + i) & (sizes.length - 1)];
            }
            sizes = grown;
            handedNanos = grownNanos;
            head = 0;
        }
        final int at = (head + count) & (sizes.length - 1);
        sizes[at] = size;
        handedNanos[at] = nowNanos;
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

    /** How long the oldest frame still held (as of the last {@link #bytes}) has waited; 0 when none is. */
    long oldestWaitNanos(final LongSupplier clock) {
        return count == 0 ? 0 : clock.getAsLong() - handedNanos[head];
    }
}
