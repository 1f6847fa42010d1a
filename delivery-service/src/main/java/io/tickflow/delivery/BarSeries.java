package io.tickflow.delivery;

import java.util.ArrayList;
import java.util.Arrays;
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

    private static final Subscriber[] NONE = new Subscriber[0];

    private final String stockId;
    private final String interval;
    private final int capacity;
    private final IntSupplier retain;
    private Bar[] ring;
    private int next;
    private int size;
    private Bar forming;
    private Subscriber[] subscribers = NONE;
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
            if (ring == null) {
                ring = new Bar[capacity];
            }
            if (latest != null && bar.seq() != latest.seq() + 1) {
                Arrays.fill(ring, null); // a gap in seq: keep the ring consecutive
                size = 0;
            }
            ring[next] = bar;
            next = (next + 1) % ring.length;
            size = Math.min(size + 1, ring.length);
            for (int keep = Math.max(1, retain.getAsInt()); size > keep; size--) {
                ring[(next - size + ring.length) % ring.length] = null;
            }
            if (forming != null && forming.startMillis() <= bar.startMillis()) {
                forming = null;
            }
        } else {
            if (latest != null && bar.startMillis() <= latest.startMillis()
                    || forming != null && !bar.supersedes(forming)) {
                return Outcome.STALE;
            }
            if (ring == null) {
                ring = new Bar[capacity];
            }
            forming = bar;
        }
        final Frame frame = bar.live();
        for (Subscriber s : subscribers) {
            s.deliver(frame);
        }
        return Outcome.NEW;
    }

    synchronized Bar latestFinal() {
        return size == 0 ? null : ring[(next - 1 + ring.length) % ring.length];
    }

    synchronized Bar forming() {
        return forming;
    }

    synchronized boolean hasData() {
        return size > 0 || forming != null;
    }

    /**
     * The last {@code limit} final bars with {@code seq < beforeSeq} and {@code start < beforeStartMillis}, oldest
     * first (pass {@link Long#MAX_VALUE} for no bound).
     */
    synchronized List<Bar> finals(final int limit, final long beforeSeq, final long beforeStartMillis) {
        int end = size; // bars [size - end, size) of the ring in age order: drop the newest that are not before
        while (end > 0) {
            final Bar b = at(end - 1);
            if (b.seq() < beforeSeq && b.startMillis() < beforeStartMillis) {
                break;
            }
            end--;
        }
        final int n = Math.min(limit, end);
        final List<Bar> out = new ArrayList<>(n + 1);
        for (int i = end - n; i < end; i++) {
            out.add(at(i));
        }
        return out;
    }

    /** Adds a subscriber and, if it is new and there is data, sends a {@code bars} snapshot of {@code limit} bars. */
    synchronized boolean subscribe(final Subscriber subscriber, final int limit) {
        if (retired) {
            return false;
        }
        if (add(subscriber) && hasData()) {
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
        add(subscriber);
        final Bar latest = latestFinal();
        if (latest != null && latest.seq() > fromSeq) {
            final Bar oldest = at(0);
            if (oldest.seq() > fromSeq + 1) {
                subscriber.deliver(Messages.barsReset(stockId, interval, fromSeq, oldest.seq(), latest.seq()));
                subscriber.deliver(snapshot(limit));
                return true;
            }
            for (int i = 0; i < size; i++) {
                if (at(i).seq() > fromSeq) {
                    subscriber.deliver(at(i).live());
                }
            }
        }
        if (forming != null) {
            subscriber.deliver(forming.live());
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

    /** Retires a series that holds no bar and has no subscribers (it was created by a subscription only). */
    synchronized boolean retireIfUnused() {
        if (ring == null && subscribers.length == 0) {
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

    /** The i-th final bar in age order, 0 = oldest kept. */
    private Bar at(final int i) {
        return ring[(next - size + i + ring.length) % ring.length];
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
