package io.tickflow.delivery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The outbound budget of one connection, in front of the socket's own (unbounded) send queue.
 *
 * <p>The socket is given at most {@code window} bytes it has not written to the network yet, and nothing while the
 * oldest frame it holds has waited {@code windowAge} or longer (a connection slower than its stream would otherwise
 * get values a whole window of reading old); everything else waits here, where it can still be conflated. A live
 * update that cannot go at once waits in the <em>pending</em> map, one per stock: a newer update of the stock
 * replaces it (and is then sent marked {@code "conflated":true}), so a client that cannot keep up receives the latest
 * value of each stock as fast as it reads, never a backlog of old ones; the map holds at most one update per
 * subscription. Every other frame (replies, snapshots, final bars, a resume replay) waits in order in the queue,
 * which drains first; a replay past {@code highWater} queued bytes is conflated too. Data frames that waited leave as
 * one array frame of up to {@code batchMax} of them: batches form only while the socket is behind, or when the feed
 * hands out a conflated batch ({@link #deliverSoon}). Updates a subscription's throttle holds back wait in
 * {@link Throttles} until their period ends.
 * Past {@code limit} bytes waiting in all, the connection gets error 407 and is closed with 1008.
 *
 * <p>Thread-safe: the feed thread, WebSocket workers and the drainer all call in; every method holds the monitor
 * briefly and never blocks (the socket's {@code send} only enqueues).
 */
final class Outbox implements Subscriber {
    /** The socket under the outbox. */
    interface Socket {
        /** Hands one UTF-8 text frame to the socket's own queue. Never blocks. */
        void send(byte[] utf8);

        /** Frames the socket still holds, not yet (fully) written to the network. Cheap: no lock. */
        int heldFrames();

        /** Closes the connection (closing handshake, forced after a grace period). */
        void close(int code, String reason);
    }

    /** What a drained outbox still waits for. */
    enum Waiting {
        /** Nothing: the drainer may forget it until it schedules itself again. */
        NOTHING,
        /** Frames wait for the socket: look again soon. */
        SOCKET,
        /** Only a throttle holds updates back: look again when a period may have ended. */
        THROTTLE
    }

    private final Socket socket;
    private final DeliveryMetrics metrics;
    private final int highWater;
    private final int limit;
    private final int window;
    private final long windowAgeNanos;
    private final LongSupplier clock;
    private final int batchMax;
    private final Consumer<Outbox> schedule;
    private final ArrayDeque<Frame> queue = new ArrayDeque<>();
    private final Map<String, Frame> pending = new LinkedHashMap<>();
    private final List<Frame> batch = new ArrayList<>();
    private final InFlight inFlight = new InFlight();
    private final Throttles throttles;
    private long queuedBytes;
    private long pendingBytes;
    /** What the drainer was last told (or told by {@link #drain()}) this outbox waits for. */
    private Waiting registered = Waiting.NOTHING;
    private boolean closed;
    private volatile long lastWriteNanos = System.nanoTime();

    /**
     * @param window    bytes the socket may hold unwritten before frames wait here
     * @param windowAge how long the oldest frame the socket holds may have waited before frames wait here; zero = no
     *                  bound
     * @param schedule  called (under the monitor) when frames start waiting here or a throttle starts holding one:
     *                  the drainer must then call {@link #drain()} until it returns {@link Waiting#NOTHING}
     * @param clock     nanos, for the throttles and the window's age
     */
    Outbox(final Socket socket, final DeliveryMetrics metrics, final int highWater, final int limit, final int window,
           final Duration windowAge, final int batchMax, final Consumer<Outbox> schedule, final LongSupplier clock) {
        this.socket = socket;
        this.metrics = metrics;
        this.highWater = highWater;
        this.limit = limit;
        this.window = window;
        this.windowAgeNanos = windowAge.isZero() ? Long.MAX_VALUE : windowAge.toNanos();
        this.clock = clock;
        this.batchMax = batchMax;
        this.schedule = schedule;
        this.throttles = new Throttles(clock, metrics.conflations);
    }

    /** A live frame. */
    @Override
    public synchronized void deliver(final Frame frame) {
        if (closed) {
            return;
        }
        if (!frame.isUpdate()) {
            enqueue(frame);
        } else {
            final Frame admitted = throttles.admit(frame);
            if (admitted != null) {
                sendOrPend(admitted);
            } else {
                wake(Waiting.THROTTLE);
            }
        }
        checkLimit();
    }

    /**
     * A live update of a conflated batch: it waits in the pending map for the drainer, which sends it with the other
     * stocks' in one array frame, instead of costing the feed thread a socket write of its own.
     */
    @Override
    public synchronized void deliverSoon(final Frame frame) {
        if (closed || !frame.isUpdate()) {
            deliver(frame); // only updates can wait in the pending map
            return;
        }
        final Frame admitted = throttles.admit(frame);
        if (admitted != null) {
            pend(admitted);
        } else {
            wake(Waiting.THROTTLE);
        }
        checkLimit();
    }

    /** A past update replayed on {@code resume}: queued in order, conflated only past the high-water mark. */
    @Override
    public synchronized void replay(final Frame frame) {
        if (closed) {
            return;
        }
        if (frame.isUpdate() && queuedBytes > highWater) {
            pend(frame);
        } else {
            enqueue(frame);
        }
        checkLimit();
    }

    /** Sets the throttle of the stocks just subscribed (or of {@code "*"}); 0 = every update. */
    synchronized void throttle(final List<String> symbols, final long periodMillis) {
        for (String s : symbols) {
            throttles.set(s, periodMillis * 1_000_000L);
        }
        throttles.release(this::sendOrPend, true);
    }

    /**
     * Forgets the throttles of the subscriptions just ended (by name, or {@code "*"}), sending at once what they held
     * of stocks still subscribed otherwise: call after {@link #retain}.
     */
    synchronized void unthrottle(final List<String> symbols) {
        for (String s : symbols) {
            throttles.unset(s);
        }
        throttles.release(this::sendOrPend, true);
    }

    /**
     * Moves waiting frames into the socket as far as its window allows, after releasing the updates whose throttle
     * period has ended, and says what still waits.
     */
    synchronized Waiting drain() {
        if (closed) {
            registered = Waiting.NOTHING;
            return Waiting.NOTHING;
        }
        throttles.release(this::sendOrPend, false);
        while (!(queue.isEmpty() && pending.isEmpty()) && socketHasRoom()) {
            if (!queue.isEmpty()) {
                writeBatch(queue.iterator(), false);
            } else {
                writeBatch(pending.values().iterator(), true);
            }
        }
        final Waiting waiting = !queue.isEmpty() || !pending.isEmpty() ? Waiting.SOCKET
                : throttles.holding() ? Waiting.THROTTLE : Waiting.NOTHING;
        registered = waiting;
        return waiting;
    }

    /** Drops what waits for conflation keys (a stock, or a stock and bar interval) no longer subscribed. */
    synchronized void retain(final Predicate<String> subscribed) {
        final Iterator<Frame> it = pending.values().iterator();
        while (it.hasNext()) {
            final Frame f = it.next();
            if (!subscribed.test(f.result().conflationKey())) {
                pendingBytes -= f.size();
                it.remove();
            }
        }
        throttles.retain(subscribed);
    }

    /** Nanos timestamp of the last frame handed to the socket. */
    long lastWriteNanos() {
        return lastWriteNanos;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** The connection is gone: drops whatever waits and takes nothing more (the drainer forgets it). */
    synchronized void discard() {
        closed = true;
        queue.clear();
        pending.clear();
        queuedBytes = 0;
        pendingBytes = 0;
    }

    /** Closes with a control frame sent first, dropping whatever waits (auth failures and the like). */
    synchronized void closeWith(final Frame last, final int code, final String reason) {
        if (closed) {
            return;
        }
        discard();
        write(last.bytes());
        socket.close(code, reason);
    }

    /** A live update that passed its throttle: to the socket if nothing waits and it has room, else pending. */
    private void sendOrPend(final Frame update) {
        if (queue.isEmpty() && pending.isEmpty() && socketHasRoom()) {
            write(update.bytes());
        } else {
            pend(update);
        }
    }

    private void pend(final Frame update) {
        final Conflatable result = update.result();
        final Frame previous = pending.get(result.conflationKey());
        if (previous != null) {
            if (!result.supersedes(previous.result())) {
                return;
            }
            pendingBytes -= previous.size();
            metrics.conflations.inc();
            final Frame conflated = result.conflated();
            pending.put(result.conflationKey(), conflated);
            pendingBytes += conflated.size();
        } else {
            pending.put(result.conflationKey(), update);
            pendingBytes += update.size();
        }
        wake(Waiting.SOCKET);
    }

    /** Into the queue, in order, unless nothing waits and the socket has room. */
    private void enqueue(final Frame frame) {
        if (frame.result() != null) {
            dropSuperseded(frame.result()); // e.g. a final bar: its pending forming update must not follow it
        }
        if (queue.isEmpty() && pending.isEmpty() && socketHasRoom()) {
            write(frame.bytes());
            return;
        }
        queue.add(frame);
        queuedBytes += frame.size();
        wake(Waiting.SOCKET);
    }

    private void dropSuperseded(final Conflatable queued) {
        final Frame waiting = pending.get(queued.conflationKey());
        if (waiting != null && queued.supersedes(waiting.result())) {
            pending.remove(queued.conflationKey());
            pendingBytes -= waiting.size();
        }
        throttles.dropSuperseded(queued);
    }

    /** Tells the drainer, unless it already looks at this outbox at least as often as {@code need} wants. */
    private void wake(final Waiting need) {
        if (registered == Waiting.SOCKET || registered == need) {
            return;
        }
        registered = need;
        schedule.accept(this);
    }

    private void checkLimit() {
        if (!closed && queuedBytes + pendingBytes + throttles.heldBytes() > limit) {
            closeSlow();
        }
    }

    /** Writes the next frame of {@code from}, or, when it is a data frame, it and the data frames after it as one array. */
    private void writeBatch(final Iterator<Frame> from, final boolean fromPending) {
        final Frame head = from.next();
        from.remove();
        forget(head, fromPending);
        if (batchMax == 1 || !head.isData()) {
            write(head.bytes());
            return;
        }
        batch.add(head);
        int bytes = head.size() + 2;
        while (batch.size() < batchMax && from.hasNext()) {
            final Frame f = from.next();
            if (!f.isData()) {
                break;
            }
            from.remove();
            forget(f, fromPending);
            batch.add(f);
            bytes += f.size() + 1;
        }
        if (batch.size() == 1) {
            batch.clear();
            write(head.bytes());
            return;
        }
        final byte[] out = new byte[bytes];
        out[0] = '[';
        int at = 1;
        for (int i = 0; i < batch.size(); i++) {
            final Frame f = batch.get(i);
            if (i > 0) {
                out[at++] = ',';
            }
            System.arraycopy(f.bytes(), 0, out, at, f.size());
            at += f.size();
        }
        out[at] = ']';
        batch.clear();
        write(out);
    }

    private void forget(final Frame f, final boolean fromPending) {
        if (fromPending) {
            pendingBytes -= f.size();
        } else {
            queuedBytes -= f.size();
        }
    }

    private boolean socketHasRoom() {
        return inFlight.bytes(socket.heldFrames()) < window && inFlight.oldestWaitNanos(clock) < windowAgeNanos;
    }

    private void write(final byte[] utf8) {
        socket.send(utf8);
        inFlight.handed(utf8.length, clock.getAsLong());
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
