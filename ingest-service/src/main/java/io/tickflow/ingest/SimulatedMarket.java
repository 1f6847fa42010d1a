package io.tickflow.ingest;

import io.tickflow.model.Tick;
import io.tickflow.runtime.PacingSchedule;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A deterministic synthetic market of {@code stocks} stocks. Each has a mid price following a geometric Brownian
 * motion in event time: between two of its ticks it moves by the volatility times the square root of the time between
 * their timestamps, so a 1-minute bar spans one minute of volatility however many ticks fall in it. Each stock draws
 * a start price (log-uniform 5–500), an annual volatility (15–80 %, trading time: 252 days of 6.5 h), a drift, a
 * spread of one or two cents and an activity weight (log-uniform over 10×: how often it is the one that trades).
 * A trade prints at the bid or the ask (a coin flip: the bid/ask bounce), on the 0.01 grid and never below 0.01;
 * volumes are Pareto-distributed (α 1.5, minimum 100 shares: mostly small prints, occasionally huge). Volatility
 * follows a U-shaped profile over the New York regular session (about 2.5× midday at the open, 1.5× at the close;
 * the session as a whole at the stock's volatility, midday at 0.8× of it, as outside the session), every day, at the
 * UTC minutes the session has on the date of {@code start}.
 *
 * <p>Tick {@code i} is stamped {@code start + i / rate}, so timestamps are monotonic. The sequence is a pure function
 * of (stocks, rate, seed, start). Nothing is allocated per tick but the tick. Confined to one thread.
 */
final class SimulatedMarket {
    private static final double NANOS_IN_TRADING_YEARS = 1.0 / (252 * 390 * 60 * 1e9);
    private static final long NANOS_PER_MINUTE = 60_000_000_000L;
    private static final int MINUTES_PER_DAY = 1440;
    private static final ZoneId SESSION_ZONE = ZoneId.of("America/New_York");
    private static final LocalTime SESSION_OPEN = LocalTime.of(9, 30);
    private static final int SESSION_MINUTES = 390;
    private static final double PARETO_ALPHA = 1.5;
    private static final double MIN_VOLUME = 100;
    private static final double MAX_VOLUME = 10_000_000;

    private final SplittableRandom random;
    private final String[] ids;
    private final double[] keep;      // activity by Vose's alias method: stock s keeps a draw of s with keep[s],
    private final int[] alias;        // else hands it to alias[s]; O(1) per tick whatever the number of stocks
    private final double[] mid;
    private final double[] drift;     // mu per trading year
    private final double[] sigma;     // volatility per √trading year
    private final int[] spreadCents;
    private final long[] lastNanos;   // offset from start of each stock's previous tick
    private final double[] profile;   // volatility multiplier by minute of the UTC day
    private final long startSecond;
    private final int startNano;
    private final long startNanoOfDay;
    private final PacingSchedule timestamps; // tick i is stamped start + i / rate: the same spacing the feed is sent at
    private long index;
    private double spareGaussian = Double.NaN;

    SimulatedMarket(final int stocks, final double rate, final long seed, final Instant start) {
        this.random = new SplittableRandom(seed);
        this.ids = new String[stocks];
        final double[] weight = new double[stocks];
        this.mid = new double[stocks];
        this.drift = new double[stocks];
        this.sigma = new double[stocks];
        this.spreadCents = new int[stocks];
        this.lastNanos = new long[stocks];
        final String format = "SIM%0" + Math.max(3, Integer.toString(stocks - 1).length()) + "d";
        for (int s = 0; s < stocks; s++) {
            ids[s] = String.format(format, s);
            mid[s] = Math.exp(Math.log(5) + random.nextDouble() * (Math.log(500) - Math.log(5)));
            sigma[s] = 0.15 + random.nextDouble() * 0.65;
            drift[s] = -0.05 + random.nextDouble() * 0.20;
            spreadCents[s] = random.nextDouble() < 0.35 ? 2 : 1;
            weight[s] = Math.exp(random.nextDouble() * Math.log(10));
        }
        this.keep = new double[stocks];
        this.alias = new int[stocks];
        buildAliasTable(weight, keep, alias);
        this.startSecond = start.getEpochSecond();
        this.startNano = start.getNano();
        this.startNanoOfDay = Math.floorMod(startSecond, 86_400L) * 1_000_000_000L + startNano;
        this.profile = sessionProfile(start);
        this.timestamps = new PacingSchedule(0L, rate);
    }

    /** The stock ids, in order. */
    String[] stockIds() {
        return ids.clone();
    }

    /** The next tick. */
    Tick next() {
        final int s = nextStock();
        final long offset = timestamps.dueNanos(index++);
        final double years = (offset - lastNanos[s]) * NANOS_IN_TRADING_YEARS;
        lastNanos[s] = offset;
        final double vol = sigma[s] * profile[(int) (((startNanoOfDay + offset) / NANOS_PER_MINUTE) % MINUTES_PER_DAY)];
        mid[s] *= Math.exp((drift[s] - 0.5 * vol * vol) * years + vol * Math.sqrt(years) * gaussian());
        final int spread = spreadCents[s];
        final long bid = Math.max(1L, (long) Math.floor(mid[s] * 100.0 - 0.5 * spread + 0.5));
        final double price = (random.nextBoolean() ? bid + spread : bid) / 100.0;
        final double volume = Math.min(MAX_VOLUME,
                Math.floor(MIN_VOLUME / Math.pow(1.0 - random.nextDouble(), 1.0 / PARETO_ALPHA)));
        final Instant timestamp = Instant.ofEpochSecond(startSecond, startNano + offset);
        return new Tick(ids[s], timestamp, price, volume, 0L);
    }

    /** The stock that trades next, drawn by activity weight. */
    private int nextStock() {
        final int s = random.nextInt(keep.length);
        return random.nextDouble() < keep[s] ? s : alias[s];
    }

    /** Vose's alias method: fills {@code keep} and {@code alias} so that {@link #nextStock} draws by {@code weight}. */
    private static void buildAliasTable(final double[] weight, final double[] keep, final int[] alias) {
        final int n = weight.length;
        final double total = Arrays.stream(weight).sum();
        final double[] scaled = new double[n];
        final int[] small = new int[n];
        final int[] large = new int[n];
        int smalls = 0;
        int larges = 0;
        for (int s = 0; s < n; s++) {
            scaled[s] = weight[s] * n / total;
            if (scaled[s] < 1.0) {
                small[smalls++] = s;
            } else {
                large[larges++] = s;
            }
        }
        while (smalls > 0 && larges > 0) {
            final int less = small[--smalls];
            final int more = large[--larges];
            keep[less] = scaled[less];
            alias[less] = more;
            scaled[more] += scaled[less] - 1.0;
            if (scaled[more] < 1.0) {
                small[smalls++] = more;
            } else {
                large[larges++] = more;
            }
        }
        while (larges > 0) {
            keep[large[--larges]] = 1.0;
        }
        while (smalls > 0) { // only rounding leaves one here
            keep[small[--smalls]] = 1.0;
        }
    }

    /**
     * Volatility by minute of the UTC day: inside New York's regular session an opening surge (2.5× midday) that decays
     * over the first hour or so and a smaller rise into the close (1.5×) — the U shape of real intraday 1-minute ranges
     * (the reference AAPL and SPY series: the first half hour about 2–4× midday, the last about 1.3–1.6×); outside
     * the session the midday level.
     */
    private static double[] sessionProfile(final Instant start) {
        final double[] profile = new double[MINUTES_PER_DAY];
        final int open = start.atZone(SESSION_ZONE).with(SESSION_OPEN).withZoneSameInstant(ZoneOffset.UTC)
                .toLocalTime().toSecondOfDay() / 60;
        final double[] shape = new double[SESSION_MINUTES];
        double variance = 0;
        for (int m = 0; m < SESSION_MINUTES; m++) {
            shape[m] = 1.0 + 1.5 * Math.exp(-m / 45.0) + 0.5 * Math.exp(-(SESSION_MINUTES - 1 - m) / 20.0);
            variance += shape[m] * shape[m] / SESSION_MINUTES;
        }
        // scaled so the session as a whole runs at the stock's volatility, as a real series annualised from its bars
        final double scale = 1.0 / Math.sqrt(variance);
        Arrays.fill(profile, scale);
        for (int m = 0; m < SESSION_MINUTES; m++) {
            profile[(open + m) % MINUTES_PER_DAY] = shape[m] * scale;
        }
        return profile;
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
