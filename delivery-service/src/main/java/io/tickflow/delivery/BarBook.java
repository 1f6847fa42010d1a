package io.tickflow.delivery;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every stock's bars per interval ({@link BarSeries}) and their subscribers. Thread-safe: bars arrive on the bar feed
 * thread, subscription changes on WebSocket worker threads, reads on HTTP threads. Lock order: book → series →
 * subscriber's outbox. Memory is bounded twice: {@code historySize} final bars per series and {@code historyBudget} in
 * all, shared evenly by the series; only intervals of the configured set are kept, and a series created by a
 * subscription alone holds no ring and is retired when its last subscriber leaves.
 */
public final class BarBook implements ResultSink {
    private final Set<String> intervals;
    private final String intervalList;
    private final int historySize;
    private final long historyBudget;
    private final BarMetrics metrics;
    private final ConcurrentHashMap<String, BarSeries> series = new ConcurrentHashMap<>();

    public BarBook(final List<String> intervals, final int historySize, final long historyBudget,
                   final BarMetrics metrics) {
        this.intervals = Set.copyOf(intervals);
        this.intervalList = String.join(", ", intervals);
        this.historySize = historySize;
        this.historyBudget = historyBudget;
        this.metrics = metrics;
    }

    /**
     * Takes one bar record value. Returns {@code true} if it was new; {@code false} for a duplicate or stale one.
     *
     * @throws IllegalArgumentException ({@link Bar.Malformed}) naming the field if the bytes are not a bar
     */
    @Override
    public boolean accept(final byte[] barJson) {
        final Bar bar;
        try {
            bar = Bar.parse(barJson);
            if (!intervals.contains(bar.interval())) {
                throw new Bar.Malformed("interval", "interval '" + bar.interval() + "' is not one of BARS: "
                        + intervalList);
            }
        } catch (Bar.Malformed e) {
            metrics.rejected(e.reason());
            throw e;
        }
        return accept(bar);
    }

    boolean accept(final Bar bar) {
        while (true) {
            final BarSeries s = entry(bar.stockId(), bar.interval());
            synchronized (s) {
                if (s.isRetired()) {
                    continue;
                }
                final BarSeries.Outcome outcome = s.append(bar);
                metrics.barIn(bar, outcome);
                return outcome == BarSeries.Outcome.NEW;
            }
        }
    }

    boolean knows(final String interval) {
        return intervals.contains(interval);
    }

    /** The accepted intervals as configured, for messages: "1s, 1m, 5m". */
    String intervalList() {
        return intervalList;
    }

    public int historySize() {
        return historySize;
    }

    /** The series of a stock and interval if it holds any bar, else {@code null}. */
    BarSeries series(final String stockId, final String interval) {
        final BarSeries s = series.get(Bar.key(stockId, interval));
        return s != null && s.hasData() ? s : null;
    }

    /**
     * The last {@code limit} final bars before the cursor, oldest first, then (without a cursor) the forming bar;
     * {@code null} if the stock has no bar of that interval.
     */
    public List<byte[]> bars(final String stockId, final String interval, final int limit, final long beforeSeq,
                             final long beforeStartMillis) {
        final BarSeries s = series(stockId, interval);
        if (s == null) {
            return null;
        }
        synchronized (s) {
            final List<Bar> bars = s.finals(limit, beforeSeq, beforeStartMillis);
            if (beforeSeq == Long.MAX_VALUE && beforeStartMillis == Long.MAX_VALUE && s.forming() != null) {
                bars.add(s.forming());
            }
            return bars.stream().map(Bar::raw).toList();
        }
    }

    void subscribe(final Subscriber subscriber, final String stockId, final String interval, final int limit) {
        while (!entry(stockId, interval).subscribe(subscriber, limit)) {
            Thread.onSpinWait(); // retired concurrently: look it up again
        }
    }

    void resume(final Subscriber subscriber, final String stockId, final String interval, final long fromSeq,
                final int limit) {
        while (!entry(stockId, interval).resume(subscriber, fromSeq, limit)) {
            Thread.onSpinWait();
        }
    }

    void unsubscribe(final Subscriber subscriber, final String stockId, final String interval) {
        final BarSeries s = series.get(Bar.key(stockId, interval));
        if (s != null) {
            s.unsubscribe(subscriber);
            synchronized (this) {
                if (s.retireIfUnused()) {
                    series.remove(s.key(), s);
                }
            }
        }
    }

    private BarSeries entry(final String stockId, final String interval) {
        final String key = Bar.key(stockId, interval);
        final BarSeries s = series.get(key);
        if (s != null) {
            return s;
        }
        synchronized (this) {
            return series.computeIfAbsent(key, k -> new BarSeries(stockId, interval, historySize, this::perSeries));
        }
    }

    private int perSeries() {
        return (int) Math.min(historySize, historyBudget / Math.max(1, series.size()));
    }
}
