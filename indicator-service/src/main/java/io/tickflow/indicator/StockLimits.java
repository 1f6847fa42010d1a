package io.tickflow.indicator;

import java.time.Duration;

/**
 * How many stocks one lane keeps and when an idle one is forgotten: {@code MAX_STOCKS} (per instance, split evenly over
 * the lanes) and {@code STOCK_IDLE_EVICT}. A tick of a new stock past the lane's share goes to the dead-letter topic
 * with reason {@code stock_limit}; a stock without a tick for the idle time (and without an open bar) is forgotten at a
 * commit barrier, and a tombstone on the state topic shrinks the changelog too — its next tick starts it afresh (seq 1).
 *
 * @param perLane   stocks one lane keeps at most
 * @param idleNanos forget a stock after this long without a tick; {@link Long#MAX_VALUE} = never
 */
record StockLimits(int perLane, long idleNanos) {
    static final StockLimits NONE = new StockLimits(Integer.MAX_VALUE, Long.MAX_VALUE);

    static StockLimits of(final int maxStocks, final Duration idle, final int lanes) {
        return new StockLimits(Math.max(1, maxStocks / Math.max(1, lanes)),
                idle.isZero() ? Long.MAX_VALUE : idle.toNanos());
    }
}
