package io.tickflow.delivery;

import io.tickflow.runtime.WarnLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every stock's latest result, bounded history and subscribers, plus the wildcard ({@code "*"}) subscribers who get
 * every stock, including stocks that appear later. Thread-safe: results arrive on the feed thread, subscription
 * changes on WebSocket worker threads, reads on HTTP threads.
 *
 * <p>Lock order: book → stock → subscriber's outbox. Entries are created under the book's lock (so a new stock starts
 * with exactly the wildcard subscribers of that moment) and retired under it when a subscription to a stock without
 * data ends, or when a stock without subscribers has had no result for the idle time.
 *
 * <p>Bounded for any input: at most {@code maxStocks} stocks hold data (a result of a new stock past it is dropped
 * and counted, reason {@code stock_limit}); a stock without subscribers and without a result for {@code idleNanos} is
 * forgotten (checked once a minute); a subscription to an id without data holds no history ring.
 */
public final class StockBook implements ResultSink {
    private static final Logger LOG = LoggerFactory.getLogger(StockBook.class);

    private static final long SWEEP_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final WarnLimiter regressionWarnings = new WarnLimiter(10, TimeUnit.SECONDS);
    private final WarnLimiter limitWarnings = new WarnLimiter(10, TimeUnit.SECONDS);
    private final int maxStocks;
    private final long idleNanos;
    private final AtomicInteger withData = new AtomicInteger();
    private volatile long nextSweepNanos = System.nanoTime() + SWEEP_EVERY_NANOS;
    private final int historySize;
    private final long historyBudget;
    private final DeliveryMetrics metrics;
    private final ConcurrentHashMap<String, StockHistory> stocks = new ConcurrentHashMap<>();
    private final Set<Subscriber> wildcard = new LinkedHashSet<>();
    /** Stocks whose fan-out {@link #hold} kept back since the last {@link #release()}; the feed thread's alone. */
    private final Set<StockHistory> holding = new LinkedHashSet<>(); // identity: histories are not values

    /**
     * @param historySize   results kept per stock
     * @param historyBudget results kept in all, shared evenly by the stocks (each keeps at least its latest)
     * @param maxStocks     stocks holding data at most ({@code HISTORY_MAX_STOCKS})
     * @param idle          a stock without subscribers and results for this long is forgotten; zero = never
     */
    public StockBook(final int historySize, final long historyBudget, final int maxStocks, final Duration idle,
                     final DeliveryMetrics metrics) {
        this.historySize = historySize;
        this.historyBudget = historyBudget;
        this.maxStocks = maxStocks;
        this.idleNanos = idle.isZero() ? Long.MAX_VALUE : idle.toNanos();
        this.metrics = metrics;
    }

    @Override
    public boolean accept(final byte[] resultJson) {
        return accept(parse(resultJson), false);
    }

    /**
     * Records a result like {@link #accept(byte[])} but keeps its fan-out back until {@link #release()}, so that only
     * the newest result of each stock goes out (the feed is behind). Only from the thread that calls release.
     */
    @Override
    public boolean hold(final byte[] resultJson) {
        return accept(parse(resultJson), true);
    }

    /** The result, or IllegalArgumentException naming the problem (counted as rejected). */
    private Result parse(final byte[] resultJson) {
        try {
            return Result.parse(resultJson);
        } catch (IllegalArgumentException e) {
            metrics.resultsRejected.inc();
            throw e;
        }
    }

    /** Fans out each held stock's newest result, in the order the stocks were first held. */
    @Override
    public void release() {
        for (StockHistory stock : holding) {
            stock.release();
        }
        holding.clear();
    }

    boolean accept(final Result result) {
        return accept(result, false);
    }

    private boolean accept(final Result result, final boolean hold) {
        sweepIfDue(); // outside any stock's lock: the sweep takes the book's lock first
        while (true) {
            final StockHistory stock = entry(result.stockId());
            synchronized (stock) {
                if (stock.isRetired()) {
                    continue;
                }
                final boolean first = !stock.hasData();
                if (first && withData.get() >= maxStocks) {
                    metrics.resultsDropped.labelValues("stock_limit").inc();
                    final long suppressed = limitWarnings.tryAcquire();
                    if (suppressed >= 0) {
                        LOG.warn("result dropped stock={}: HISTORY_MAX_STOCKS={} stocks already hold data "
                                + "suppressedSinceLast={}", result.stockId(), maxStocks, suppressed);
                    }
                    retireIfUnused(stock);
                    return false;
                }
                final StockHistory.Appended appended = stock.append(result, hold);
                if (hold && appended == StockHistory.Appended.NEW) {
                    holding.add(stock);
                }
                if (first && appended != StockHistory.Appended.DUPLICATE) {
                    withData.incrementAndGet();
                }
                if (appended == StockHistory.Appended.SEQ_REGRESSED) {
                    metrics.seqRegressions.inc();
                    final long suppressed = regressionWarnings.tryAcquire();
                    if (suppressed >= 0) {
                        LOG.warn("seq went backwards stock={} seq={}: the indicator's state was reset (state topic "
                                + "recreated or unreadable); history dropped, subscribers reset "
                                + "suppressedSinceLast={}", result.stockId(), result.seq(), suppressed);
                    }
                }
                final boolean fresh = appended != StockHistory.Appended.DUPLICATE;
                if (fresh) {
                    metrics.resultsIn.inc();
                    if (result.ingestMicros() > 0) {
                        final long nowMicros = System.currentTimeMillis() * 1_000L;
                        metrics.tickToDeliveryLatency.observe(Math.max(0L, nowMicros - result.ingestMicros()) / 1e6);
                    }
                } else {
                    metrics.resultsDuplicate.inc();
                }
                return fresh;
            }
        }
    }

    public Optional<byte[]> latest(final String stockId) {
        return Optional.ofNullable(latestResult(stockId)).map(Result::raw);
    }

    Result latestResult(final String stockId) {
        final StockHistory stock = stocks.get(stockId);
        return stock == null ? null : stock.latest();
    }

    /** The last {@code limit} results of a stock, oldest first; empty if the stock is unknown. */
    public List<byte[]> history(final String stockId, final int limit) {
        final StockHistory stock = stocks.get(stockId);
        return stock == null ? List.of() : stock.last(limit).stream().map(Result::raw).toList();
    }

    /** Ids of the stocks that have at least one result, sorted. */
    public List<String> stockIds() {
        return stocks.values().stream().filter(StockHistory::hasData).map(StockHistory::stockId).sorted().toList();
    }

    public int historySize() {
        return historySize;
    }

    void subscribe(final Subscriber subscriber, final String stockId) {
        while (!entry(stockId).subscribe(subscriber)) {
            Thread.onSpinWait(); // retired concurrently: look it up again
        }
    }

    void resume(final Subscriber subscriber, final String stockId, final long fromSeq) {
        while (!entry(stockId).resume(subscriber, fromSeq)) {
            Thread.onSpinWait();
        }
    }

    void unsubscribe(final Subscriber subscriber, final String stockId) {
        final StockHistory stock = stocks.get(stockId);
        if (stock != null) {
            stock.unsubscribe(subscriber);
            retireIfUnused(stock);
        }
    }

    /** Subscribes to every stock, present and future; a snapshot of each present stock it did not have yet. */
    void subscribeAll(final Subscriber subscriber) {
        final List<StockHistory> present;
        synchronized (this) {
            wildcard.add(subscriber);
            present = new ArrayList<>(stocks.values());
        }
        for (StockHistory stock : present) {
            stock.subscribe(subscriber); // a retired entry had no data; its successor starts with the wildcard set
        }
    }

    /** Ends a wildcard subscription, keeping the stocks in {@code keep} (subscribed by name). */
    void unsubscribeAll(final Subscriber subscriber, final Set<String> keep) {
        final List<StockHistory> present;
        synchronized (this) {
            wildcard.remove(subscriber);
            present = new ArrayList<>(stocks.values());
        }
        for (StockHistory stock : present) {
            if (!keep.contains(stock.stockId())) {
                stock.unsubscribe(subscriber);
                retireIfUnused(stock);
            }
        }
    }

    private StockHistory entry(final String stockId) {
        final StockHistory stock = stocks.get(stockId);
        if (stock != null) {
            return stock;
        }
        synchronized (this) {
            return stocks.computeIfAbsent(stockId,
                    id -> new StockHistory(id, historySize, this::historyPerStock,
                            wildcard.toArray(new Subscriber[0]), metrics.resultsConflated));
        }
    }

    private int historyPerStock() {
        return (int) Math.min(historySize, historyBudget / Math.max(1, stocks.size()));
    }

    /** Stocks holding data now (at most {@code maxStocks}). */
    int stocksWithData() {
        return withData.get();
    }

    /** Forgets the stocks idle past {@code idleNanos} without subscribers, at most once a minute. */
    void sweepIfDue() {
        final long now = System.nanoTime();
        if (now - nextSweepNanos < 0) {
            return;
        }
        nextSweepNanos = now + SWEEP_EVERY_NANOS;
        sweep(now);
    }

    void sweep(final long nowNanos) {
        for (StockHistory stock : stocks.values()) {
            synchronized (this) {
                if (stock.retireIfIdle(nowNanos, idleNanos) && stocks.remove(stock.stockId(), stock)) {
                    withData.decrementAndGet();
                }
            }
        }
    }

    private void retireIfUnused(final StockHistory stock) {
        synchronized (this) {
            if (stock.retireIfUnused()) {
                stocks.remove(stock.stockId(), stock);
            }
        }
    }
}
