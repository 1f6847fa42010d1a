package io.tickflow.indicator.ta;

/** Feeds prices (volume 1) to an indicator and returns its first output after each tick. */
final class Ticks {
    private Ticks() {
    }

    static double[] feed(final Indicator indicator, final double... prices) {
        final double[] out = new double[indicator.width()];
        final double[] first = new double[prices.length];
        for (int i = 0; i < prices.length; i++) {
            indicator.update(prices[i], 1.0, out, 0);
            first[i] = out[0];
        }
        return first;
    }
}
