package io.tickflow.bench.harness;

/**
 * Whether a consumer kept up with a rate over a measured window, judged from lag samples taken once a second.
 * Bounded = the lag at the end is under one second's worth of messages AND it is not climbing steadily (least-squares
 * slope below 2% of the rate, i.e. the consumer is not falling behind by 2% of what it is fed). A transactional
 * consumer's lag saw-tooths with its commit interval; the slope test looks through that noise, the end test catches a
 * consumer that fell behind early and stayed there.
 */
final class LagVerdict {
    static final double MAX_END_LAG_SECONDS = 1.0;
    static final double MAX_GROWTH_FRACTION = 0.02;

    private LagVerdict() {
    }

    /**
     * @param lagSamples    lag in messages, one sample per {@code sampleSeconds}, oldest first (the measured window)
     * @param ratePerSecond the rate the consumer was fed
     */
    static boolean bounded(final long[] lagSamples, final double sampleSeconds, final double ratePerSecond) {
        if (lagSamples.length == 0) {
            return false;
        }
        final long endLag = lagSamples[lagSamples.length - 1];
        if (endLag > MAX_END_LAG_SECONDS * ratePerSecond) {
            return false;
        }
        return slopePerSecond(lagSamples, sampleSeconds) <= MAX_GROWTH_FRACTION * ratePerSecond;
    }

    /** Least-squares slope of the samples in messages per second (0 for fewer than two samples). */
    static double slopePerSecond(final long[] samples, final double sampleSeconds) {
        final int n = samples.length;
        if (n < 2) {
            return 0.0;
        }
        final double meanX = (n - 1) / 2.0;
        double meanY = 0.0;
        for (long s : samples) {
            meanY += s;
        }
        meanY /= n;
        double covariance = 0.0;
        double variance = 0.0;
        for (int i = 0; i < n; i++) {
            final double dx = i - meanX;
            covariance += dx * (samples[i] - meanY);
            variance += dx * dx;
        }
        return covariance / variance / sampleSeconds;
    }
}
