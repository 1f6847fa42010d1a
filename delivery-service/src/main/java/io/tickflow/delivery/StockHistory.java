package io.tickflow.delivery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * One stock: its latest result, a ring of its last results, and its subscribers. The ring keeps at most
 * {@code retain.getAsInt()} results (never more than its length): the book shares one history budget among all its
 * stocks, so a stock keeps fewer as the universe grows. Every method runs
 * under the instance's monitor, which is also what makes subscribe-with-snapshot atomic against live updates: a
 * subscriber sees the snapshot and then exactly the updates that follow it.
 */
final class StockHistory {
    private static final Subscriber[] NONE = new Subscriber[0];

    private final String stockId;
    private final int capacity;
    private Result[] ring; // allocated with the first result: a subscription to an id without data costs no ring
    private final IntSupplier retain;
    private int next;
    private int size;
    private long lastAppendNanos;
    private Subscriber[] subscribers;
    private boolean retired;

    StockHistory(final String stockId, final int capacity, final IntSupplier retain, final Subscriber[] subscribers) {
        this.stockId = stockId;
        this.capacity = capacity;
        this.retain = retain;
        this.subscribers = subscribers.length == 0 ? NONE : subscribers.clone();
    }

    String stockId() {
        return stockId;
    }

    /** What {@link #append} made of a result. */
    enum Appended { NEW, DUPLICATE, SEQ_REGRESSED }

    /**
     * Appends and fans out a result whose seq is above the latest. A seq at or below it is a redo of a result already
     * here (an aborted transaction's, read uncommitted) — unless it is not the same tick: then the indicator's
     * numbering went back (its state topic was recreated, a state record was unreadable), the old history is dropped
     * and subscribers get {@code reset} and the new result as a snapshot instead of every new result being swallowed
     * until the old seq is passed. The same tick means the same {@code ingest_us}, which the indicator copies from
     * the tick (or its record timestamp), so a redo repeats it; a seq older than the ring can only be told apart when
     * the numbering restarted, at seq 1.
     */
    synchronized Appended append(final Result result) {
        final Result latest = latest();
        if (latest != null && result.seq() <= latest.seq()) {
            final Result same = bySeq(result.seq());
            final boolean redo = same != null ? same.ingestMicros() == result.ingestMicros() : result.seq() > 1;
            if (redo) {
                return Appended.DUPLICATE;
            }
            ring = null;
            size = 0;
            next = 0;
            store(result);
            final Frame reset = Messages.reset(stockId, latest.seq(), result.seq(), result.seq());
            for (Subscriber s : subscribers) {
                s.deliver(reset);
                s.deliver(result.snapshot());
            }
            return Appended.SEQ_REGRESSED;
        }
        store(result);
        final Frame frame = result.update();
        for (Subscriber s : subscribers) {
            s.deliver(frame);
        }
        return Appended.NEW;
    }

    private Result bySeq(final long seq) {
        for (int i = 1; i <= size; i++) {
            final Result r = ring[(next - i + ring.length) % ring.length];
            if (r.seq() == seq) {
                return r;
            }
        }
        return null;
    }

    private void store(final Result result) {
        if (ring == null) {
            ring = new Result[capacity];
        }
        lastAppendNanos = System.nanoTime();
        ring[next] = result;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
        for (int keep = Math.max(1, retain.getAsInt()); size > keep; size--) {
            ring[(next - size + ring.length) % ring.length] = null; // the oldest, past this stock's share
        }
    }

    synchronized Result latest() {
        return size == 0 ? null : ring[(next - 1 + ring.length) % ring.length];
    }

    /** The last {@code limit} results, oldest first. */
    synchronized List<Result> last(final int limit) {
        final int n = Math.min(limit, size);
        final List<Result> out = new ArrayList<>(n);
        for (int i = n; i > 0; i--) {
            out.add(ring[(next - i + ring.length) % ring.length]);
        }
        return out;
    }

    /**
     * Adds a subscriber and sends it the latest result as a snapshot, atomically with respect to {@link #append}.
     * Returns {@code false} if this entry was retired (the caller looks the stock up again).
     */
    synchronized boolean subscribe(final Subscriber subscriber) {
        if (retired) {
            return false;
        }
        if (add(subscriber)) {
            final Result latest = latest();
            if (latest != null) {
                subscriber.deliver(latest.snapshot());
            }
        }
        return true;
    }

    /**
     * Adds a subscriber (if absent) and replays what followed {@code fromSeq}: the updates from the ring when it still
     * reaches back to {@code fromSeq + 1}, otherwise {@code reset} and a snapshot. Returns {@code false} if retired.
     */
    synchronized boolean resume(final Subscriber subscriber, final long fromSeq) {
        if (retired) {
            return false;
        }
        add(subscriber);
        final Result latest = latest();
        if (latest == null || latest.seq() <= fromSeq) {
            return true;
        }
        final Result oldest = ring[(next - size + ring.length) % ring.length];
        if (oldest.seq() <= fromSeq + 1) {
            for (int i = size; i > 0; i--) {
                final Result r = ring[(next - i + ring.length) % ring.length];
                if (r.seq() > fromSeq) {
                    subscriber.deliver(r.update());
                }
            }
        } else {
            subscriber.deliver(Messages.reset(stockId, fromSeq, oldest.seq(), latest.seq()));
            subscriber.deliver(latest.snapshot());
        }
        return true;
    }

    synchronized void unsubscribe(final Subscriber subscriber) {
        for (int i = 0; i < subscribers.length; i++) {
            if (subscribers[i] == subscriber) {
                final Subscriber[] copy = new Subscriber[subscribers.length - 1];
                System.arraycopy(subscribers, 0, copy, 0, i);
                System.arraycopy(subscribers, i + 1, copy, i, copy.length - i);
                subscribers = copy;
                return;
            }
        }
    }

    /** Retires an entry that holds no data and has no subscribers (it was created by a subscription only). */
    synchronized boolean retireIfUnused() {
        if (size == 0 && subscribers.length == 0) {
            retired = true;
        }
        return retired;
    }

    /**
     * Retires an entry with data but no subscribers that has had no result for {@code idleNanos}: an outsider can
     * post any number of stock ids once, and their histories must not stay for ever.
     */
    synchronized boolean retireIfIdle(final long nowNanos, final long idleNanos) {
        if (size > 0 && subscribers.length == 0 && nowNanos - lastAppendNanos >= idleNanos) {
            retired = true;
        }
        return retired;
    }

    synchronized boolean isRetired() {
        return retired;
    }

    synchronized boolean hasData() {
        return size > 0;
    }

    private boolean add(final Subscriber subscriber) {
        for (Subscriber s : subscribers) {
            if (s == subscriber) {
                return false;
            }
        }
        final Subscriber[] copy = Arrays.copyOf(subscribers, subscribers.length + 1);
        copy[subscribers.length] = subscriber;
        subscribers = copy;
        return true;
    }
}
