package io.tickflow.indicator.bars;

import io.tickflow.indicator.ta.EngineSpec;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What bars to build for every stock: the intervals (BARS), the grace after a bar's end before it is final
 * (BAR_GRACE), the stream-time throttle of forming updates (BAR_UPDATE_INTERVAL) and the indicators on them
 * (BAR_INDICATORS, a spec from {@link EngineSpec#parseBars}). Immutable, thread-safe; makes {@link StockBars}.
 */
public record BarSpec(List<BarInterval> intervals, long graceMillis, long updateIntervalMillis, EngineSpec indicators) {
    /** BAR_GRACE's default: 2 s. */
    public static final long DEFAULT_GRACE_MILLIS = 2_000L;
    /**
     * BAR_UPDATE_INTERVAL's default: 1 s, a forming bar per second as Polygon's second aggregates. At 250 ms, 10,000
     * stocks trading 5 times a second sent more forming records than ticks (two intervals), a third of the lanes'
     * and of delivery's CPU (JFR, s3).
     */
    public static final long DEFAULT_UPDATE_INTERVAL_MILLIS = 1_000L;
    private static final Pattern UPDATE = Pattern.compile("\\|update=\\d+\\|");
    /** The largest grace accepted: a day. */
    public static final long MAX_GRACE_MILLIS = 86_400_000L;

    public BarSpec {
        intervals = List.copyOf(intervals);
        if (intervals.isEmpty() || intervals.size() > BarInterval.MAX_INTERVALS) {
            throw new IllegalArgumentException("BARS must name 1.." + BarInterval.MAX_INTERVALS + " intervals, has "
                    + intervals.size());
        }
        if (graceMillis < 0 || graceMillis > MAX_GRACE_MILLIS) {
            throw new IllegalArgumentException("BAR_GRACE must be 0.." + MAX_GRACE_MILLIS + " ms, was " + graceMillis);
        }
        if (updateIntervalMillis < 0) {
            throw new IllegalArgumentException("BAR_UPDATE_INTERVAL must be >= 0 ms, was " + updateIntervalMillis);
        }
        if (!indicators.bars()) {
            throw new IllegalArgumentException("BAR_INDICATORS spec '" + indicators + "' must come from "
                    + "EngineSpec.parseBars");
        }
    }

    /** Parses BARS and BAR_INDICATORS; IllegalArgumentException naming the key and the bad token. */
    public static BarSpec parse(final String bars, final ZoneId dayZone, final long graceMillis,
                                final long updateIntervalMillis, final String barIndicators) {
        return new BarSpec(BarInterval.parseList(bars, dayZone), graceMillis, updateIntervalMillis,
                EngineSpec.parseBars(barIndicators));
    }

    /** The defaults: {@code 1m,5m}, 1d in UTC, 2 s grace, 250 ms updates, {@link EngineSpec#DEFAULT_BARS}. */
    public static BarSpec defaults() {
        return parse(BarInterval.DEFAULT, ZoneId.of("UTC"), DEFAULT_GRACE_MILLIS, DEFAULT_UPDATE_INTERVAL_MILLIS,
                EngineSpec.DEFAULT_BARS);
    }

    /** The intervals of a late mask from {@link BarCloser#onTick}, e.g. {@code "1m,5m"} (for the DLQ record). */
    public String lateIntervals(final int lateMask) {
        final StringBuilder names = new StringBuilder();
        for (int i = 0; i < intervals.size(); i++) {
            if ((lateMask & (1 << i)) == 0) continue;
            if (names.length() > 0) names.append(',');
            names.append(intervals.get(i).name());
        }
        return names.toString();
    }

    /** Fresh, empty bars for one stock. */
    public StockBars newStockBars(final String stockId) {
        return new StockBars(stockId, this);
    }

    /**
     * Everything that shapes the bars and their indicators, e.g.
     * {@code "1m,5m|grace=2000|update=1000|sma:20,atr:14"}; a snapshot carries it and is restored only into a spec
     * that {@link #readsStateOf} it.
     */
    public String canonical() {
        return intervals.stream().map(BarInterval::canonical).collect(Collectors.joining(",")) + "|grace="
                + graceMillis + "|update=" + updateIntervalMillis + "|" + indicators.canonical();
    }

    /**
     * Whether state written under {@code canonical} (another spec's {@link #canonical()}) resumes under this one: the
     * same but for the forming-update throttle, which only spaces out forming records (its default changed from
     * 250 ms to 1 s; state written with the old one must not restart every stock's bars).
     */
    public boolean readsStateOf(final String canonical) {
        return UPDATE.matcher(canonical).replaceFirst("|").equals(UPDATE.matcher(canonical()).replaceFirst("|"));
    }
}
