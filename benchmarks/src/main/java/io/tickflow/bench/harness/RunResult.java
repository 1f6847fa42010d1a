package io.tickflow.bench.harness;

import org.HdrHistogram.Histogram;

/**
 * What one load path did at one rate: latency in microseconds (intended send → arrival), the produce rate actually
 * achieved, the arrival rate at the receivers, and the lag of the consumer that has to keep up.
 *
 * @param rate          intended messages per second
 * @param achievedRate  acknowledged messages per second over the whole run (warm-up included)
 * @param receivedRate  measured-window samples per second at the receivers (a client update or a sink record)
 * @param maxLag        largest lag sample in the measured window (messages)
 * @param endLag        last lag sample before the producer finished (messages)
 * @param lagBounded    the watched consumer kept up ({@link LagVerdict})
 * @param maxP99Millis  the p99 above which the tail is not keeping up, whatever the lag says
 * @param sendFailures  sends the broker refused or that timed out
 * @param sent          messages acknowledged in the whole run (what {@code cpuNanos} is divided by)
 * @param cpuNanos      CPU time of the path ({@link CpuAccount}) over the whole run
 * @param jitMicrosPerMessage CPU of the JIT's compiler threads over the run, per message sent (a warm JVM: little)
 * @param cores         cores the path kept busy over the run
 * @param loadAverage   the machine's one-minute load average at the end of the run
 * @param lastArrivalMillis first intended send → the last sample at the receivers (a burst: until all is out)
 */
record RunResult(String path, long rate, double measuredSeconds, Histogram latency, Histogram computeStage,
                 Histogram deliveryStage, double achievedRate,
                 double receivedRate, long maxLag, long endLag, boolean lagBounded, double maxP99Millis,
                 long sendFailures, long sent, long cpuNanos, double jitMicrosPerMessage, double cores,
                 double loadAverage,
                 double lastArrivalMillis) {

    static final double MIN_ACHIEVED_FRACTION = 0.95;

    /**
     * Kept up with the rate: every send acknowledged, at least 95% of the rate achieved, the watched consumer's lag
     * bounded, and the tail delivering within {@code maxP99Millis} at p99. The last condition catches a hop with no
     * consumer group to probe (the delivery service reads without one) falling behind.
     */
    boolean sustainable() {
        return sendFailures == 0
                && achievedRate >= MIN_ACHIEVED_FRACTION * rate
                && lagBounded
                && latency.getTotalCount() > 0
                && percentileMillis(99) <= maxP99Millis;
    }

    double percentileMillis(final double percentile) {
        return percentileMillis(latency, percentile);
    }

    static double percentileMillis(final Histogram histogram, final double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1_000.0;
    }

    /** CPU time of the path per message sent, microseconds. */
    double cpuMicrosPerMessage() {
        return sent == 0 ? Double.NaN : cpuNanos / 1_000.0 / sent;
    }

    double maxMillis() {
        return latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1_000.0;
    }

    String summary() {
        return String.format("%s rate=%d achieved=%.0f/s received=%.0f/s p50=%.2fms p99=%.2fms p99.9=%.2fms max=%.2fms"
                        + " lagMax=%d lagEnd=%d sustainable=%s sendFailures=%d cpuUsPerMsg=%.1f cores=%.2f load=%.2f",
                path, rate, achievedRate, receivedRate, percentileMillis(50), percentileMillis(99),
                percentileMillis(99.9), maxMillis(), maxLag, endLag, sustainable(), sendFailures,
                cpuMicrosPerMessage(), cores, loadAverage);
    }
}
