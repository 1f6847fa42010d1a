package io.tickflow.ingest;

import io.tickflow.model.Tick;
import io.tickflow.runtime.PacingSchedule;

import java.time.Instant;
import java.util.SplittableRandom;

/**
 * A deterministic synthetic market: {@code stocks} stocks, each a geometric Brownian motion with its own start price
 * (log-uniform 5–500), annual volatility (15–80 %) and drift; each tick advances its stock by one simulated trading
 * minute. Prices are on the 0.01 grid and never below 0.01; volumes are Pareto-distributed (α 1.5, minimum 100 shares:
 * mostly small prints, occasionally huge). Tick {@code i} is stamped {@code start + i / rate}, so timestamps are
 * monotonic. The sequence is a pure function of (stocks, rate, seed, start). Confined to one thread.
 */
final class SimulatedMarket {
    private static final double MINUTE_IN_YEARS = 1.0 / (252 * 390);
    private static final double SQRT_DT = Math.sqrt(MINUTE_IN_YEARS);
    private static final double PARETO_ALPHA = 1.5;
    private static final double MIN_VOLUME = 100;
    private static final double MAX_VOLUME = 10_000_000;

    private final SplittableRandom random;
    private final String[] ids;
    private final double[] price;
    private final double[] driftStep;
    private final double[] volStep;
    private final long startSecond;
    private final int startNano;
    private final PacingSchedule timestamps; // tick i is stamped start + i / rate: the same spacing the feed is sent at
    private long index;
    private double spareGaussian = Double.NaN;

    SimulatedMarket(final int stocks, final double rate, final long seed, final Instant start) {
        this.random = new SplittableRandom(seed);
        this.ids = new String[stocks];
        this.price = new double[stocks];
        this.driftStep = new double[stocks];
        this.volStep = new double[stocks];
        final String format = "SIM%0" + Math.max(3, Integer.toString(stocks - 1).length()) + "d";
        for (int s = 0; s < stocks; s++) {
            ids[s] = String.format(format, s);
            price[s] = Math.exp(Math.log(5) + random.nextDouble() * (Math.log(500) - Math.log(5)));
            final double sigma = 0.15 + random.nextDouble() * 0.65;
            final double mu = -0.05 + random.nextDouble() * 0.20;
            driftStep[s] = (mu - 0.5 * sigma * sigma) * MINUTE_IN_YEARS;
            volStep[s] = sigma * SQRT_DT;
        }
        this.startSecond = start.getEpochSecond();
        this.startNano = start.getNano();
        this.timestamps = new PacingSchedule(0L, rate);
    }

    /** The stock ids, in order. */
    String[] stockIds() {
        return ids.clone();
    }

    /** The next tick. */
    Tick next() {
        final int s = random.nextInt(ids.length);
        price[s] *= Math.exp(driftStep[s] + volStep[s] * gaussian());
        final double shown = Math.max(0.01, Math.round(price[s] * 100.0) / 100.0);
        final double volume = Math.min(MAX_VOLUME,
                Math.floor(MIN_VOLUME / Math.pow(1.0 - random.nextDouble(), 1.0 / PARETO_ALPHA)));
        final long offset = timestamps.dueNanos(index++);
        final Instant timestamp = Instant.ofEpochSecond(startSecond, startNano + offset);
        return new Tick(ids[s], timestamp, shown, volume, 0L);
    }

    /** Standard normal by the Marsaglia polar method: defined here, so a seed means the same series on every JDK. */
    private double gaussian() {
        if (!Double.isNaN(spareGaussian)) {
            final double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u;
        double v;
        double s;
        do {
            u = random.nextDouble() * 2 - 1;
            v = random.nextDouble() * 2 - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        final double m = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * m;
        return u * m;
    }
}
