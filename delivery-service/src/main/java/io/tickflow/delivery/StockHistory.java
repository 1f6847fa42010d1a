package io.tickflow.delivery;

import java.util.ArrayList;
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
    private final String stockId;
    private final SeqRing<Result> ring;
    private final Subscribers subscribers;
    private boolean retired;

    StockHistory(final String stockId, final int capacity, final IntSupplier retain, final Subscriber[] subscribers) {
        this.stockId = stockId;
        this.ring = new SeqRing<>(new Result[capacity], retain);
        this.subscribers = new Subscribers(subscribers);
    }

    String stockId() {
        return stockId;
    }

    /** Appends and fans out a result unless its seq is not above the latest; returns whether it was new. */
    synchronized boolean append(final Result result) {
        final Result latest = latest();
        if (latest != null && result.seq() <= latest.seq()) {
            return false;
        }
        ring.append(result);
        subscribers.deliver(result.update());
        return true;
    }

    synchronized Result latest() {
        return ring.latest();
    }

    /** The last {@code limit} results, oldest first. */
    synchronized List<Result> last(final int limit) {
        final int n = Math.min(limit, ring.size());
        final List<Result> out = new ArrayList<>(n);
        for (int i = ring.size() - n; i < ring.size(); i++) {
            out.add(ring.at(i));
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
        if (subscribers.add(subscriber)) {
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
        subscribers.add(subscriber);
        final int start = ring.replayStart(fromSeq);
        if (start < 0) {
            final Result latest = ring.latest();
            subscriber.deliver(Messages.reset(stockId, fromSeq, ring.at(0).seq(), latest.seq()));
            subscriber.deliver(latest.snapshot());
            return true;
        }
        for (int i = start; i < ring.size(); i++) {
            subscriber.deliver(ring.at(i).update());
        }
        return true;
    }

    synchronized void unsubscribe(final Subscriber subscriber) {
        subscribers.remove(subscriber);
    }

    /** Retires an entry that holds no data and has no subscribers (it was created by a subscription only). */
    synchronized boolean retireIfUnused() {
        if (ring.size() == 0 && subscribers.isEmpty()) {
            retired = true;
        }
        return retired;
    }

    synchronized boolean isRetired() {
        return retired;
    }

    synchronized boolean hasData() {
        return ring.size() > 0;
    }
}
