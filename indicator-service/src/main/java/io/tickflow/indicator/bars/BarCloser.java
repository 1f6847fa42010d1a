package io.tickflow.indicator.bars;

import java.util.Arrays;

/**
 * Closes bars deterministically by stream time: one instance per input partition (or per partition and worker lane),
 * fed that partition's ticks in offset order. Stream time is the largest tick timestamp seen; a bar
 * {@code [start, end)} is final once stream time ≥ {@code end + grace}, whichever stock's tick moved it — so an
 * illiquid stock's bar closes when its partition's stream time moves, not by the wall clock. Replaying the same ticks
 * gives the same final bars in the same order, bit for bit (and the same forming updates when {@link #sendForming}
 * is called at the same points).
 *
 * <p>Open series sit in a binary heap keyed by {@code (deadline, interval, stock_id)} — a total order, so a closer
 * rebuilt from restored {@link StockBars} closes in the same order as one that never stopped. A tick costs O(1) plus
 * O(log n) per bar opened or closed; nothing is allocated in steady state (the heap's array grows with the number of
 * series, like a map of stocks). Confined to one thread: no locks, no volatile. A {@link StockBars} belongs to one
 * closer at a time.
 *
 * <p>For the changelog: a stock's state changes when one of its bars becomes final, and that can happen on another
 * stock's tick. The listener sees it ({@code isFinal}, {@code series.stockId()}) and must mark that stock dirty, so
 * every stock's record is current at a commit; then the stream time rebuilt by {@link #track} is the committed one.
 */
public final class BarCloser {
    private long streamTime = Long.MIN_VALUE;
    private BarSeries[] heap = new BarSeries[64];
    private int size;
    private BarSeries[] changed = new BarSeries[64]; // series with a tick since the last sendForming, in order
    private int changedCount;

    /** The partition's stream time: the largest tick timestamp seen (or passed to {@link #advance}). */
    public long streamTime() {
        return streamTime;
    }

    /**
     * One tick of {@code stock} from this closer's partition, in offset order: closes every bar (of any stock) that
     * the tick's timestamp makes final, adds the tick to the stock's bar of each interval and marks those series as
     * having a forming update, which {@link #sendForming} sends. Returns the late mask: bit {@code i} set when the
     * tick's bar of interval {@code i} was already final (it is in no bar of that interval; the caller sends it to the DLQ with reason
     * {@code late}); 0 when it went into a bar of every interval.
     */
    public int onTick(final StockBars stock, final long timestamp, final double price, final double volume,
                      final BarListener listener) {
        stock.observe(timestamp);
        advance(timestamp, listener); // the tick's own bars end after its timestamp: this closes none of them
        final BarSeries[] series = stock.all();
        int late = 0;
        for (int i = 0; i < series.length; i++) {
            final BarSeries s = series[i];
            if (s.isLate(timestamp, streamTime)) {
                late |= 1 << i;
                continue;
            }
            final Bar bar = s.add(timestamp, price, volume);
            if (s.heapIndex < 0) insert(s);
            else siftUp(s.heapIndex); // an out-of-order tick may have opened an older bar: an earlier deadline
            s.changed(bar);
            if (!s.queued) queue(s);
        }
        return late;
    }

    /**
     * Sends one forming update per series that had a tick since the last call — for the bar of its last tick, with
     * its current values — where BAR_UPDATE_INTERVAL of stream time allows (a throttled one is dropped, the next
     * tick sends). Conflation: a stock ticking 50 times between two calls sends one update per interval, not 50.
     * When to call is the caller's choice (after every tick, the updates are exactly those of each tick; the service
     * calls it when a lane has drained its queue and at each commit), so which forming updates are sent depends on
     * it; their content and the final bars do not.
     */
    public void sendForming(final BarListener listener) {
        for (int i = 0; i < changedCount; i++) {
            final BarSeries s = changed[i];
            s.sendForming(streamTime, listener);
            s.queued = false;
            changed[i] = null;
        }
        changedCount = 0;
    }

    /**
     * Moves stream time to {@code time} if that is later and makes final every bar it passes, in
     * {@code (deadline, interval, stock_id)} order. {@link #onTick} calls it; call it directly when the partition's
     * stream time is kept elsewhere (e.g. by a poll thread feeding several lanes), or for the explicit wall-clock idle
     * close (BAR_IDLE_CLOSE, which gives up determinism: a replay closes at other points). Each stock whose bar it
     * makes final records {@code time} in its {@link StockBars#maxTimestamp()}, so a time that came from no tick is
     * restored too, as far as it closed anything.
     */
    public void advance(final long time, final BarListener listener) {
        if (time > streamTime) streamTime = time;
        while (size > 0 && heap[0].deadline() <= streamTime) {
            final BarSeries s = heap[0];
            s.closeDue(streamTime, listener);
            if (s.openBars() > 0) siftDown(0);
            else removeAt(0);
        }
    }

    /**
     * Takes over a restored stock (e.g. after an assignment): its open bars join the heap and stream time moves to
     * at least its {@link StockBars#maxTimestamp()} without closing anything yet — the next tick or
     * {@link #advance} does, exactly where the interrupted run would have.
     */
    public void track(final StockBars stock) {
        if (stock.maxTimestamp() > streamTime) streamTime = stock.maxTimestamp();
        for (final BarSeries s : stock.all()) if (s.openBars() > 0 && s.heapIndex < 0) insert(s);
    }

    /** Forgets a stock (e.g. its partition was revoked); its state stays as it is. */
    public void untrack(final StockBars stock) {
        for (final BarSeries s : stock.all()) {
            if (s.heapIndex >= 0) removeAt(s.heapIndex);
            if (s.queued) unqueue(s);
        }
    }

    /** Series with open bars. */
    public int openSeries() {
        return size;
    }

    private void queue(final BarSeries s) {
        if (changedCount == changed.length) changed = Arrays.copyOf(changed, changedCount * 2);
        changed[changedCount++] = s;
        s.queued = true;
    }

    private void unqueue(final BarSeries s) {
        int i = 0;
        while (changed[i] != s) i++;
        System.arraycopy(changed, i + 1, changed, i, changedCount - i - 1);
        changed[--changedCount] = null;
        s.queued = false;
        s.discardChanges();
    }

    private void insert(final BarSeries s) {
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        heap[size] = s;
        s.heapIndex = size++;
        siftUp(s.heapIndex);
    }

    private void removeAt(final int i) {
        final BarSeries removed = heap[i];
        removed.heapIndex = -1;
        final BarSeries last = heap[--size];
        heap[size] = null;
        if (i == size) return;
        heap[i] = last;
        last.heapIndex = i;
        siftDown(i);
        siftUp(last.heapIndex);
    }

    private void siftUp(int i) {
        final BarSeries s = heap[i];
        while (i > 0) {
            final int parent = (i - 1) >>> 1;
            final BarSeries p = heap[parent];
            if (p.compareTo(s) <= 0) break;
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = s;
        s.heapIndex = i;
    }

    private void siftDown(int i) {
        final BarSeries s = heap[i];
        final int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            final int right = child + 1;
            if (right < size && heap[right].compareTo(heap[child]) < 0) child = right;
            if (s.compareTo(heap[child]) <= 0) break;
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = s;
        s.heapIndex = i;
    }
}
