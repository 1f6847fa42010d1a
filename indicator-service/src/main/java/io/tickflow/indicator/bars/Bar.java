package io.tickflow.indicator.bars;

import io.tickflow.model.BarRecord;

/**
 * One OHLCV bar of one stock and interval, {@code [start, end)} in epoch milliseconds by the ticks' own timestamps:
 * open = first tick by arrival, high, low, close = last tick by arrival, volume = sum, trades = tick count,
 * VWAP = {@code sum(price * volume) / volume} (summed in arrival order). A mutable holder owned by its
 * {@link BarSeries} and reused for later bars: read it during {@link BarListener#onBar}, never keep it.
 * Confined to the series' thread.
 */
public final class Bar implements BarRecord {
    long start;
    long end;
    double open;
    double high;
    double low;
    double close;
    double volume;
    double priceVolume;
    long trades;

    Bar() {
    }

    void begin(final long start, final long end, final double price, final double volume) {
        this.start = start;
        this.end = end;
        this.open = price;
        this.high = price;
        this.low = price;
        this.close = price;
        this.volume = volume;
        this.priceVolume = price * volume;
        this.trades = 1;
    }

    void add(final double price, final double volume) {
        if (price > high) high = price;
        if (price < low) low = price;
        close = price;
        this.volume += volume;
        priceVolume += price * volume;
        trades++;
    }

    boolean contains(final long timestamp) {
        return timestamp >= start && timestamp < end;
    }

    @Override public long start() { return start; }

    @Override public long end() { return end; }

    @Override public double open() { return open; }

    @Override public double high() { return high; }

    @Override public double low() { return low; }

    @Override public double close() { return close; }

    @Override public double volume() { return volume; }

    @Override public long trades() { return trades; }

    /** {@code sum(price * volume) / volume}; NaN (absent) when every tick had volume 0. */
    @Override public double vwap() {
        return volume == 0.0 ? Double.NaN : priceVolume / volume;
    }

    /** The running {@code sum(price * volume)} behind {@link #vwap()} (plain data for the snapshot). */
    double priceVolume() { return priceVolume; }
}
