package io.tickflow.indicator.bars;

import java.util.Arrays;

/**
 * Closes bars deterministically by stream time: one instance per input partition (or per partition and worker lane),
 * fed that partition's ticks in offset order. Stream time is the largest tick timestamp seen; a bar
 * {@code [start, end)} is final once stream time ≥ {@code end + grace}, whichever stock's tick moved it — so an
 * illiquid stock's bar closes when its partition's stream time moves, not by the wall clock. Replaying the same ticks
 * gives the same bars, the same records in the same order, bit for bit.
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

    /** The partition's stream time: the largest tick timestamp seen (or passed to {@link #advance}). */
    public long streamTime() {
        return streamTime;
    }

    /**
     * One tick of {@code stock} from this closer's partition, in offset order: closes every bar (of any stock) that
     * the tick's timestamp makes final, adds the tick to the stock's bar of each interval, and sends a forming update
     * where BAR_UPDATE_INTERVAL allows. Returns the late mask: bit {@code i} set when the tick's bar of interval
     * {@code i} was already final (it is in no bar of that interval; the caller sends it to the DLQ with reason
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
            s.maybeUpdate(bar, streamTime, listener);
        }
        return late;
    }

    /**
     * Moves stream time to {@code time} if that is later and makes final every bar it passes, in
     * {@code (deadline, interval, stock_id)} order. {@link #onTick} calls it; call it directly when the partition's
     * stream time is kept elsewhere (e.g. by a poll thread feeding several lanes), or for an explicit wall-clock idle
     * close (which gives up determinism: a replay closes at other points). A time that did not come from a tick is
     * not in any {@link StockBars#maxTimestamp()}, so such a caller must persist it itself.
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
        for (final BarSeries s : stock.all()) if (s.heapIndex >= 0) removeAt(s.heapIndex);
    }

    /** Series with open bars. */
    public int openSeries() {
        return size;
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
