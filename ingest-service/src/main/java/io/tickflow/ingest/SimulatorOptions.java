package io.tickflow.ingest;

import java.time.Duration;
import java.time.Instant;

/**
 * What the simulator produces: {@code stocks} stocks ({@code SIM000}…), {@code rate} ticks per second in total, random
 * numbers from {@code seed}. Limits: stop after {@code count} ticks (0 = no limit) or after {@code duration} of
 * scheduled time (null = no limit), whichever comes first. {@code start} is the first tick's timestamp (null = the
 * time {@link Simulator#run()} begins). The tick sequence is a pure function of these options.
 */
public record SimulatorOptions(int stocks, double rate, long seed, long count, Duration duration, Instant start) {

    public SimulatorOptions {
        if (stocks < 1 || stocks > 100_000) {
            throw new IllegalArgumentException("stocks must be 1-100000, was " + stocks);
        }
        if (!(rate > 0) || rate > 10_000_000 || Double.isNaN(rate)) {
            throw new IllegalArgumentException("rate must be > 0 and <= 10000000 ticks/s, was " + rate);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration must be > 0, was " + duration);
        }
    }

    /** Unlimited, starting now: what the local stack runs ({@code of(200, 20_000, 42)}). */
    public static SimulatorOptions of(final int stocks, final double rate, final long seed) {
        return new SimulatorOptions(stocks, rate, seed, 0L, null, null);
    }

    /** The number of ticks to send: the smaller of {@code count} and {@code duration × rate}; 0 = no limit. */
    public long limit() {
        final long byDuration = duration == null ? 0L : (long) Math.ceil(duration.toNanos() / 1e9 * rate);
        if (count == 0L) {
            return byDuration;
        }
        return byDuration == 0L ? count : Math.min(count, byDuration);
    }
}
