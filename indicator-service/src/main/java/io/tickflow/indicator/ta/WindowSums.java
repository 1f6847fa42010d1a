package io.tickflow.indicator.ta;

/**
 * Re-seeding of the running window totals that SMA, BBANDS, STDDEV, WMA and VWAP keep as TA-Lib does (add the new
 * input, subtract the leaving one). Adding and later subtracting a huge input leaves a rounding error of the order of
 * that input's ulp in the total for ever: one tick at 1e12 in a series around 100 collapses σ to 0, one at 1e155
 * overflows the sum of squares to NaN. So each total remembers the largest term it absorbed since it was last seeded
 * ({@code peak}); when that term exceeds the total's own magnitude by {@link #LOST_PRECISION_RATIO} (about 20 bits
 * lost, so the total is off by more than the 1e-9 the engine promises) or the total is no longer finite, the indicator re-sums its window from the ring, oldest first from 0 — which
 * is exactly how TA-Lib seeds its totals, so from then on it equals TA-Lib started on the ticks after the spike.
 * Below the ratio the engine keeps TA-Lib's bits, including TA-Lib's own rounding after a long decline (a price that
 * fell 10,000-fold over its history still matches TA-Lib run from the first tick, bit for bit). No real series comes
 * near the ratio, so the re-seed costs nothing in normal operation: one compare per tick, and an O(period) loop only
 * after such an input has left.
 */
final class WindowSums {
    static final double LOST_PRECISION_RATIO = 1 << 20;

    private WindowSums() {
    }

    /**
     * {@code peak} raised to {@code |input|}: a compare, cheaper per tick than Math.max with its NaN and -0.0 rules.
     * A NaN input leaves {@code peak} as it was, but it also makes the total NaN, which fails {@link #lostPrecision}
     * at the next check and re-seeds {@code peak} from the ring, as Math.max's NaN would have.
     */
    static double raise(final double peak, final double input) {
        final double magnitude = Math.abs(input);
        return magnitude > peak ? magnitude : peak;
    }

    /** True when a total that absorbed a term of magnitude {@code peak} can no longer be trusted at its value. */
    static boolean lostPrecision(final double peak, final double total) {
        return !(peak <= LOST_PRECISION_RATIO * Math.abs(total));
    }

    /** The same for a sum of squares, measured on the inputs' scale (so short windows do not re-seed needlessly). */
    static boolean lostPrecisionOfSquares(final double peak, final double sumOfSquares) {
        return !(peak * peak <= LOST_PRECISION_RATIO * LOST_PRECISION_RATIO * sumOfSquares);
    }

    /** {@code ring[from] + ring[from + 1] + …}, {@code n} entries wrapping around, added in that order from 0. */
    static double sum(final double[] ring, final int from, final int n) {
        double sum = 0.0;
        for (int i = 0, j = from; i < n; i++, j = next(ring, j)) sum += ring[j];
        return sum;
    }

    /** The sum of squares of the same entries, each squared as the indicators square their inputs. */
    static double sumOfSquares(final double[] ring, final int from, final int n) {
        double sum = 0.0;
        for (int i = 0, j = from; i < n; i++, j = next(ring, j)) {
            double t = ring[j];
            t *= t;
            sum += t;
        }
        return sum;
    }

    /** The largest magnitude among the same entries: the new {@code peak} after a re-seed or a restore. */
    static double maxAbs(final double[] ring, final int from, final int n) {
        double max = 0.0;
        for (int i = 0, j = from; i < n; i++, j = next(ring, j)) max = Math.max(max, Math.abs(ring[j]));
        return max;
    }

    /** The ring slot after {@code j}. */
    static int next(final double[] ring, final int j) {
        return j + 1 == ring.length ? 0 : j + 1;
    }
}
