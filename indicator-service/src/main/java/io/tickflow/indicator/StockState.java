package io.tickflow.indicator;

import io.tickflow.indicator.bars.StockBars;
import io.tickflow.indicator.ta.StockEngine;

import java.nio.charset.StandardCharsets;

/**
 * Everything the service keeps for one stock: its engine, its {@code seq} (accepted ticks so far), where its last tick
 * came from (source partition and offset: the replay boundary), that tick's timestamp (for out-of-order
 * detection), its price anchor (for the price-jump rule) and, with BARS, its bars. Confined to the lane thread that
 * owns the stock.
 */
final class StockState {
    final String stockId;
    final byte[] key;
    final StockEngine engine;
    long seq;
    int sourcePartition = -1;
    long sourceOffset = -1L;
    long lastEpochSecond = Long.MIN_VALUE;
    int lastNano;
    final PriceAnchor anchor = new PriceAnchor();
    /** Its bars; null when BARS is off. */
    StockBars bars;
    /** Changed since the last state record was written (at most one record per stock per commit). */
    boolean dirty;
    /**
     * The bar engines' record must go with the next stock record: one of its bars became final since the last one,
     * or what the changelog holds under its {@code #bars} key may not match it (a new stock, whose key may hold an
     * earlier life's; a restore from a snapshot that held the engines itself, or whose bars restarted; a stock whose
     * ticks moved to another partition). With BARS only.
     */
    boolean barClosed;
    /** When (lane clock, nanos) its last tick was applied or its state restored: for idle eviction. */
    long lastActiveNanos;

    StockState(final String stockId, final StockEngine engine) {
        this(stockId, engine, null);
    }

    StockState(final String stockId, final StockEngine engine, final StockBars bars) {
        this.stockId = stockId;
        this.key = stockId.getBytes(StandardCharsets.UTF_8);
        this.engine = engine;
        this.bars = bars;
    }
}
