package io.tickflow.indicator.bars;

/**
 * Where bars go (the Kafka wiring encodes them to {@code indicator_bars}). Called on the thread that feeds the
 * {@link BarCloser}; {@code bar} and {@code indicators} are reused holders, valid only during the call.
 */
@FunctionalInterface
public interface BarListener {

    /**
     * One bar record.
     *
     * @param series     the stock and interval ({@link BarSeries#stockId()}, {@link BarSeries#interval()}); the
     *                   indicator layout is {@code series.indicators().outputs()}
     * @param bar        its fields
     * @param isFinal    true exactly once per bar: it is final; false for a forming update
     * @param seq        the bar's number among the stock's final bars of this interval (1, 2, …); a forming bar
     *                   carries the number it will have when final, so its updates share it
     * @param indicators BAR_INDICATORS: on a final bar the committed values, on a forming bar the values as if it
     *                   closed now; NaN = absent (JSON null)
     */
    void onBar(BarSeries series, Bar bar, boolean isFinal, long seq, double[] indicators);
}
