package io.tickflow.bench;

import io.tickflow.refdata.RefData;

/**
 * Real prices for benchmarks: the SPY 1-minute series of the {@code reference-data} module. Stock {@code s} of
 * {@code n} reads it from its own offset, wrapping.
 */
final class PriceFeed {
    final double[] price;
    final double[] volume;

    private PriceFeed(final double[] price, final double[] volume) {
        this.price = price;
        this.volume = volume;
    }

    static PriceFeed spy() {
        final RefData spy = RefData.load("SPY_1m_2025.csv");
        return new PriceFeed(spy.column("price"), spy.column("volume"));
    }

    int length() {
        return price.length;
    }

    /** Where stock {@code stock} of {@code stocks} starts reading, spread evenly over the series. */
    int offset(final int stock, final int stocks) {
        return (int) ((long) stock * price.length / stocks);
    }
}
