package io.tickflow.delivery;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The outbound budget of one connection, in front of the socket's own (unbounded) send queue.
 *
 * <p>A frame goes straight to the socket while the socket holds fewer than {@code window} unwritten frames (counted
 * here: frames handed since the socket last reported nothing buffered) and
 * nothing waits here; otherwise it waits in this outbox, which the drainer empties into the socket as it frees up.
 * Data frames that waited leave as one array frame of up to {@code batchMax} of them: batches form only while the
 * socket is behind, so a client that keeps up gets every update at once, alone, and a busy one gets fewer, larger
 * frames instead of a growing queue.
 * Past {@code highWater} queued bytes the outbox conflates: each new update only replaces the pending update of its
 * stock (delivered later marked {@code "conflated":true}), so a slow client costs at most one update per stock.
 * Past {@code limit} bytes (queued plus conflated) the connection gets error 407 and is closed with 1008.
 *
 * <p>Thread-safe: the feed thread, WebSocket workers and the drainer all call in; every method holds the monitor
 * briefly and never blocks (the socket's {@code send} only enqueues).
 */
final class Outbox implements Subscriber {
    /** The socket under the outbox. */
    interface Socket {
        /** Hands one UTF-8 text frame to the socket's own queue. Never blocks. */
        void send(byte[] utf8);

        /** Whether the socket still holds bytes it has not written to the network ({@code WebSocket.hasBufferedData}). */
        boolean hasBufferedData();

        /** Closes the connection (closing handshake, forced after a grace period). */
        void close(int code, String reason);
    }

    private final Socket socket;
    private final DeliveryMetrics metrics;
    private final int highWater;
    private final int limit;
    private final int window;
    private final int batchMax;
    private final Consumer<Outbox> schedule;
    private final ArrayDeque<Frame> queue = new ArrayDeque<>();
    private final Map<String, Conflatable> conflated = new LinkedHashMap<>();
    private long queuedBytes;
    private long conflatedBytes;
    private boolean conflating;
    private boolean scheduled;
    private boolean closed;
    /** Frames handed to the socket since it was last seen with nothing buffered: at least the frames it still holds. */
    private int handedSinceIdle;
    private volatile long lastWriteNanos = System.nanoTime();

    /**
     * @param schedule called (under the monitor) when frames start waiting here: the drainer must then call
     *                 {@link #drain()} until it returns {@code true}
     */
    Outbox(final Socket socket, final DeliveryMetrics metrics, final int highWater, final int limit, final int window,
           final int batchMax, final Consumer<Outbox> schedule) {
        this.socket = socket;
        this.metrics = metrics;
        this.highWater = highWater;
        this.limit = limit;
        this.window = window;
        this.batchMax = batchMax;
        this.schedule = schedule;
    }

    @Override
    public synchronized void deliver(final Frame frame) {
        if (closed) {
            return;
        }
        if (conflating && frame.isUpdate()) {
            conflate(frame.result());
        } else if (queue.isEmpty() && !conflating && socketFrames() < window) {
            write(frame.bytes());
            return;
        } else {
            if (conflating && frame.result() != null) {
                dropSuperseded(frame.result()); // e.g. a final bar: its pending forming update must not follow it
            }
            queue.add(frame);
            queuedBytes += frame.size();
            conflating |= queuedBytes > highWater;
            if (!scheduled) {
                scheduled = true;
                schedule.accept(this);
            }
        }
        if (queuedBytes + conflatedBytes > limit) {
            closeSlow();
        }
    }

    /**
     * Moves waiting frames into the socket as far as its window allows; leaves conflation once the backlog has
     * halved. Returns {@code true} when nothing waits any more (the drainer may forget this outbox).
     */
    synchronized boolean drain() {
        if (closed) {
            scheduled = false;
            return true;
        }
        while (true) {
            while (!queue.isEmpty() && socketFrames() < window) {
                writeNext();
            }
            if (!conflating || queuedBytes > highWater / 2) {
                break;
            }
            conflating = false;
            for (Conflatable r : conflated.values()) {
                final Frame f = r.conflated();
                queue.add(f);
                queuedBytes += f.size();
            }
            conflated.clear();
            conflatedBytes = 0;
        }
        final boolean idle = queue.isEmpty() && !conflating;
        scheduled = !idle;
        return idle;
    }

    /** Drops pending updates whose conflation key (a stock, or a stock and bar interval) is no longer subscribed. */
    synchronized void retain(final Predicate<String> subscribed) {
        final Iterator<Conflatable> it = conflated.values().iterator();
        while (it.hasNext()) {
            final Conflatable r = it.next();
            if (!subscribed.test(r.conflationKey())) {
                conflatedBytes -= r.conflated().size();
                it.remove();
            }
        }
    }

    /** Nanos timestamp of the last frame handed to the socket. */
    long lastWriteNanos() {
        return lastWriteNanos;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Closes with a control frame sent first, dropping whatever waits (auth failures and the like). */
    synchronized void closeWith(final Frame last, final int code, final String reason) {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        conflated.clear();
        write(last.bytes());
        socket.close(code, reason);
    }

    private void conflate(final Conflatable result) {
        final Conflatable previous = conflated.get(result.conflationKey());
        if (previous != null) {
            if (!result.supersedes(previous)) {
                return;
            }
            conflatedBytes -= previous.conflated().size();
            metrics.conflations.inc();
        }
        conflated.put(result.conflationKey(), result);
        conflatedBytes += result.conflated().size();
    }

    private void dropSuperseded(final Conflatable queued) {
        final Conflatable pending = conflated.get(queued.conflationKey());
        if (pending != null && queued.supersedes(pending)) {
            conflated.remove(queued.conflationKey());
            conflatedBytes -= pending.conflated().size();
        }
    }

    private void writeNext() {
        final Frame head = queue.poll();
        queuedBytes -= head.size();
        if (batchMax == 1 || !head.isData()) {
            write(head.bytes());
            return;
        }
        int n = 1;
        int bytes = head.size() + 1;
        for (Iterator<Frame> it = queue.iterator(); it.hasNext() && n < batchMax; n++) {
            final Frame f = it.next();
            if (!f.isData()) {
                break;
            }
            bytes += f.size() + 1;
        }
        final byte[] batch = new byte[bytes + 1];
        batch[0] = '[';
        int at = 1;
        for (int i = 0; i < n; i++) {
            final Frame f = i == 0 ? head : queue.poll();
            if (i > 0) {
                queuedBytes -= f.size();
                batch[at++] = ',';
            }
            System.arraycopy(f.bytes(), 0, batch, at, f.size());
            at += f.size();
        }
        batch[at] = ']';
        write(batch);
    }

    /**
     * Frames handed to the socket and possibly not yet written: our own count, reset whenever the library reports
     * nothing buffered. An upper bound (a frame counts until the socket has written everything), so the window never
     * lets more than {@code window} frames pile up in the library's unbounded queue.
     */
    private int socketFrames() {
        if (handedSinceIdle > 0 && !socket.hasBufferedData()) {
            handedSinceIdle = 0;
        }
        return handedSinceIdle;
    }

    private void write(final byte[] utf8) {
        socket.send(utf8);
        handedSinceIdle++;
        lastWriteNanos = System.nanoTime();
        metrics.framesOut.inc();
    }

    private void closeSlow() {
        metrics.slowClientCloses.inc();
        closeWith(Messages.error(null, Messages.SLOW_CLIENT,
                        "slow client: outbound backlog exceeded " + limit + " bytes"),
                1008, "slow client");
    }
}
