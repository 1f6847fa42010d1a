package io.tickflow.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * One stock's bars of one interval: a ring of its last final bars ordered by {@code seq}, its forming bar, and its
 * subscribers. The ring is allocated with the first bar (a subscription alone allocates none) and keeps at most
 * {@code retain.getAsInt()} bars, never more than its capacity: the {@link BarBook} shares one budget among all
 * series. The ring always holds consecutive seqs (a gap, e.g. after a warm-up that started mid-stream, restarts it),
 * so "the ring reaches back to seq n" is one comparison.
 *
 * <p>De-duplication (bars are deterministic, read {@code read_uncommitted}): a final bar whose seq is not above the
 * latest final is a duplicate; a forming bar that does not start after the latest final, or is older than the current
 * forming bar (earlier start, or the same start with fewer trades), is stale. Every method runs under the instance's
 * monitor, which makes subscribe-with-snapshot atomic against live bars, as in {@link StockHistory}.
 */
final class BarSeries {
    enum Outcome { NEW, DUPLICATE, STALE }

    private final String stockId;
    private final String interval;
    private final int capacity;
    private final IntSupplier retain;
    private SeqRing<Bar> ring;
    private Bar forming;
    private final Subscribers subscribers = new Subscribers();
    private boolean retired;

    BarSeries(final String stockId, final String interval, final int capacity, final IntSupplier retain) {
        this.stockId = stockId;
        this.interval = interval;
        this.capacity = capacity;
        this.retain = retain;
    }

    String key() {
        return Bar.key(stockId, interval);
    }

    /** Takes a bar unless it is a duplicate or stale, and fans it out to the subscribers. */
    synchronized Outcome append(final Bar bar) {
        final Bar latest = latestFinal();
        if (bar.isFinal()) {
            if (latest != null && bar.seq() <= latest.seq()) {
                return Outcome.DUPLICATE;
            }
            allocate();
            if (latest != null && bar.seq() != latest.seq() + 1) {
                ring.clear(); // a gap in seq: keep the ring consecutive
            }
            ring.append(bar);
            if (forming != null && forming.startMillis() <= bar.startMillis()) {
                forming = null;
            }
        } else {
            if (latest != null && bar.startMillis() <= latest.startMillis()
                    || forming != null && !bar.supersedes(forming)) {
                return Outcome.STALE;
            }
            allocate();
            forming = bar;
        }
        subscribers.deliver(bar.live());
        return Outcome.NEW;
    }

    synchronized Bar latestFinal() {
        return ring == null ? null : ring.latest();
    }

    synchronized Bar forming() {
        return forming;
    }

    synchronized boolean hasData() {
        return size() > 0 || forming != null;
    }

    /**
     * The last {@code limit} final bars with {@code seq < beforeSeq} and {@code start < beforeStartMillis}, oldest
     * first (pass {@link Long#MAX_VALUE} for no bound).
     */
    synchronized List<Bar> finals(final int limit, final long beforeSeq, final long beforeStartMillis) {
        int end = size(); // bars [0, end) of the ring in age order: drop the newest that are not before
        while (end > 0) {
            final Bar b = ring.at(end - 1);
            if (b.seq() < beforeSeq && b.startMillis() < beforeStartMillis) {
                break;
            }
            end--;
        }
        final int n = Math.min(limit, end);
        final List<Bar> out = new ArrayList<>(n + 1);
        for (int i = end - n; i < end; i++) {
            out.add(ring.at(i));
        }
        return out;
    }

    /** Adds a subscriber and, if it is new and there is data, sends a {@code bars} snapshot of {@code limit} bars. */
    synchronized boolean subscribe(final Subscriber subscriber, final int limit) {
        if (retired) {
            return false;
        }
        if (subscribers.add(subscriber) && hasData()) {
            subscriber.deliver(snapshot(limit));
        }
        return true;
    }

    /**
     * Adds a subscriber (if absent) and replays what followed final bar {@code fromSeq}: the final bars from the ring
     * and then the forming bar when the ring still reaches back to {@code fromSeq + 1}, otherwise {@code reset} and a
     * snapshot of {@code limit} bars. Returns {@code false} if retired.
     */
    synchronized boolean resume(final Subscriber subscriber, final long fromSeq, final int limit) {
        if (retired) {
            return false;
        }
        subscribers.add(subscriber);
        final int start = ring == null ? 0 : ring.replayStart(fromSeq);
        if (start < 0) {
            subscriber.deliver(Messages.barsReset(stockId, interval, fromSeq, ring.at(0).seq(), ring.latest().seq()));
            subscriber.deliver(snapshot(limit));
            return true;
        }
        for (int i = start; i < size(); i++) {
            subscriber.deliver(ring.at(i).live());
        }
        if (forming != null) {
            subscriber.deliver(forming.live());
        }
        return true;
    }

    synchronized void unsubscribe(final Subscriber subscriber) {
        subscribers.remove(subscriber);
    }

    /** Retires a series that holds no bar and has no subscribers (it was created by a subscription only). */
    synchronized boolean retireIfUnused() {
        if (ring == null && subscribers.isEmpty()) {
            retired = true;
        }
        return retired;
    }

    synchronized boolean isRetired() {
        return retired;
    }

    /** {@code {"type":"bars","symbol":…,"interval":…,"data":[…last finals…, forming]}}. */
    private Frame snapshot(final int limit) {
        final List<Bar> bars = finals(limit, Long.MAX_VALUE, Long.MAX_VALUE);
        if (forming != null) {
            bars.add(forming);
        }
        return Messages.bars(stockId, interval, bars);
    }

    /** Final bars kept. */
    private int size() {
        return ring == null ? 0 : ring.size();
    }

    /** The ring comes with the first bar, final or forming: a subscription alone allocates none. */
    private void allocate() {
        if (ring == null) {
            ring = new SeqRing<>(new Bar[capacity], retain);
        }
    }
}
