package io.tickflow.delivery;

import io.prometheus.metrics.core.metrics.Counter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * One stock: its latest result, a ring of its last results, and its subscribers. The ring keeps at most
 * {@code retain.getAsInt()} results (never more than its length): the book shares one history budget among all its
 * stocks, so a stock keeps fewer as the universe grows; it is allocated with the first result, so a subscription to
 * an id without data costs no ring. Every method runs under the instance's monitor, which is also what makes
 * subscribe-with-snapshot atomic against live updates: a subscriber sees the snapshot and then exactly the updates
 * that follow it.
 *
 * <p>A result appended with {@code hold} is recorded (history, latest, seq de-duplication) but its fan-out waits for
 * {@link #release()}: when the feed is behind, only the newest of a poll batch goes out, marked {@code "conflated"}
 * when it stands for several. A subscribe, a resume and a reset release first, so a held update never reaches a
 * subscriber that joined after it (its snapshot or replay already shows it) and never follows a reset.
 */
final class StockHistory {
    /** What {@link #append} made of a result. */
    enum Appended { NEW, DUPLICATE, SEQ_REGRESSED }

    private final String stockId;
    private final int capacity;
    private final IntSupplier retain;
    private final Subscribers subscribers;
    private final Counter conflated;
    private SeqRing<Result> ring;
    /** Results recorded since the last fan-out, the newest of them being the ring's latest. */
    private int held;
    private long lastAppendNanos;
    private boolean retired;

    /** @param conflated counts the results whose fan-out a newer one of the stock replaced ({@link #release()}) */
    StockHistory(final String stockId, final int capacity, final IntSupplier retain, final Subscriber[] subscribers,
                 final Counter conflated) {
        this.stockId = stockId;
        this.capacity = capacity;
        this.retain = retain;
        this.subscribers = new Subscribers(subscribers);
        this.conflated = conflated;
    }

    String stockId() {
        return stockId;
    }

    /**
     * Appends and fans out a result whose seq is above the latest. A seq at or below it is a redo of a result already
     * here (an aborted transaction's, read uncommitted) — unless it is not the same tick: then the indicator's
     * numbering went back (its state topic was recreated, a state record was unreadable), the old history is dropped
     * and subscribers get {@code reset} and the new result as a snapshot instead of every new result being swallowed
     * until the old seq is passed. The same tick means the same {@code ingest_us}, which the indicator copies from
     * the tick (or its record timestamp), so a redo repeats it; a seq older than the ring can only be told apart when
     * the numbering restarted, at seq 1. With {@code hold}, a new result's fan-out waits for {@link #release()}.
     */
    synchronized Appended append(final Result result, final boolean hold) {
        final Result latest = latest();
        if (latest != null && result.seq() <= latest.seq()) {
            final Result same = bySeq(result.seq());
            final boolean redo = same != null ? same.ingestMicros() == result.ingestMicros() : result.seq() > 1;
            if (redo) {
                return Appended.DUPLICATE;
            }
            fanOutHeld(false); // clients see the latest before the reset that names it
            ring.clear();
            store(result);
            final Frame reset = Messages.reset(stockId, latest.seq(), result.seq(), result.seq());
            subscribers.deliver(reset);
            subscribers.deliver(result.snapshot());
            return Appended.SEQ_REGRESSED;
        }
        store(result);
        held++;
        if (!hold) {
            fanOutHeld(false);
        }
        return Appended.NEW;
    }

    /**
     * Fans out the newest result recorded since the last fan-out, if any: as a plain update when it is the only one,
     * marked {@code "conflated"} when it replaces older ones the subscribers never got. It may wait in each outbox to
     * leave with the batch's other stocks in one frame ({@link Subscriber#deliverSoon}).
     */
    synchronized void release() {
        fanOutHeld(true);
    }

    private void fanOutHeld(final boolean soon) {
        if (held == 0) {
            return;
        }
        if (held > 1) {
            conflated.inc(held - 1);
        }
        final Result latest = ring.latest();
        final Frame update = held > 1 ? latest.conflated() : latest.update();
        held = 0;
        if (soon) {
            subscribers.deliverSoon(update);
        } else {
            subscribers.deliver(update);
        }
    }

    private void store(final Result result) {
        if (ring == null) {
            ring = new SeqRing<>(new Result[capacity], retain);
        }
        ring.append(result);
        lastAppendNanos = System.nanoTime();
    }

    private Result bySeq(final long seq) {
        for (int i = 0; i < size(); i++) {
            if (ring.at(i).seq() == seq) {
                return ring.at(i);
            }
        }
        return null;
    }

    private int size() {
        return ring == null ? 0 : ring.size();
    }

    synchronized Result latest() {
        return ring == null ? null : ring.latest();
    }

    /** The last {@code limit} results, oldest first. */
    synchronized List<Result> last(final int limit) {
        final int n = Math.min(limit, size());
        final List<Result> out = new ArrayList<>(n);
        for (int i = size() - n; i < size(); i++) {
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
        fanOutHeld(false); // the snapshot shows the held result: the newcomer must not get it twice
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
        fanOutHeld(false); // the replay ends at the held result: the resumer must not get it twice
        subscribers.add(subscriber);
        if (ring == null) {
            return true;
        }
        final int start = ring.replayStart(fromSeq);
        if (start < 0) {
            final Result latest = ring.latest();
            subscriber.deliver(Messages.reset(stockId, fromSeq, ring.at(0).seq(), latest.seq()));
            subscriber.deliver(latest.snapshot());
            return true;
        }
        for (int i = start; i < ring.size(); i++) {
            subscriber.replay(ring.at(i).update());
        }
        return true;
    }

    synchronized void unsubscribe(final Subscriber subscriber) {
        subscribers.remove(subscriber);
    }

    /** Retires an entry that holds no data and has no subscribers (it was created by a subscription only). */
    synchronized boolean retireIfUnused() {
        if (size() == 0 && subscribers.isEmpty()) {
            retired = true;
        }
        return retired;
    }

    /**
     * Retires an entry with data but no subscribers that has had no result for {@code idleNanos}: an outsider can
     * post any number of stock ids once, and their histories must not stay for ever.
     */
    synchronized boolean retireIfIdle(final long nowNanos, final long idleNanos) {
        if (size() > 0 && subscribers.isEmpty() && nowNanos - lastAppendNanos >= idleNanos) {
            retired = true;
        }
        return retired;
    }

    synchronized boolean isRetired() {
        return retired;
    }

    synchronized boolean hasData() {
        return size() > 0;
    }
}
