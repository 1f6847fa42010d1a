package io.tickflow.indicator.bars;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One bar length from BARS: {@code Ns}, {@code Nm} or {@code Nh} whose length divides a day (so buckets are aligned
 * to UTC midnight: {@code 5m} bars start at :00, :05, …), or {@code 1d}, a calendar day in a configured zone (23 or
 * 25 hours on a daylight-saving change). A bucket is {@code [start, end)} in epoch milliseconds. Immutable,
 * thread-safe.
 */
public final class BarInterval {
    /** BARS' default. */
    public static final String DEFAULT = "1m,5m";
    static final int MAX_INTERVALS = 16;
    private static final long DAY_MILLIS = 86_400_000L;
    private static final String ALLOWED = "allowed: Ns, Nm, Nh whose length divides a day (e.g. 1s, 1m, 5m, 15m, 1h)"
            + " or 1d, at most " + MAX_INTERVALS + ", separated by commas";

    private final String name;
    private final long length; // 0 for a calendar day
    private final ZoneId zone; // null unless a calendar day

    private BarInterval(final String name, final long length, final ZoneId zone) {
        this.name = name;
        this.length = length;
        this.zone = zone;
    }

    /** One token, e.g. {@code "5m"}; {@code dayZone} aligns {@code 1d}. IllegalArgumentException naming the token. */
    public static BarInterval parse(final String token, final ZoneId dayZone) {
        Objects.requireNonNull(dayZone, "dayZone");
        final String t = token.trim().toLowerCase(Locale.ROOT);
        if (t.length() < 2) throw bad(token, "expected a number and a unit");
        final char unit = t.charAt(t.length() - 1);
        final long n;
        try {
            n = Long.parseLong(t.substring(0, t.length() - 1));
        } catch (NumberFormatException e) {
            throw bad(token, "'" + t.substring(0, t.length() - 1) + "' is not a whole number");
        }
        if (n < 1) throw bad(token, "the number must be >= 1");
        final long unitMillis = switch (unit) {
            case 's' -> 1_000L;
            case 'm' -> 60_000L;
            case 'h' -> 3_600_000L;
            case 'd' -> DAY_MILLIS;
            default -> throw bad(token, "unknown unit '" + unit + "'");
        };
        if (unit == 'd') {
            if (n != 1) throw bad(token, "only 1d is supported for days");
            return new BarInterval("1d", 0L, dayZone);
        }
        if (n > DAY_MILLIS / unitMillis || DAY_MILLIS % (n * unitMillis) != 0) {
            throw bad(token, "the length must divide a day");
        }
        return new BarInterval(n + String.valueOf(unit), n * unitMillis, null);
    }

    /** BARS, e.g. {@code "1m,5m"}: in the given order, no duplicates (e.g. {@code 60s} and {@code 1m}). */
    public static List<BarInterval> parseList(final String list, final ZoneId dayZone) {
        if (list == null || list.isBlank()) throw new IllegalArgumentException("BARS is empty; " + ALLOWED);
        final List<BarInterval> intervals = new ArrayList<>();
        final Set<Long> lengths = new HashSet<>();
        for (final String token : list.split(",", -1)) {
            final BarInterval interval = parse(token, dayZone);
            if (!lengths.add(interval.daily() ? -1L : interval.length)) {
                throw bad(token, "the same length as an earlier token");
            }
            intervals.add(interval);
        }
        if (intervals.size() > MAX_INTERVALS) {
            throw new IllegalArgumentException("BARS has " + intervals.size() + " intervals; " + ALLOWED);
        }
        return List.copyOf(intervals);
    }

    private static IllegalArgumentException bad(final String token, final String reason) {
        return new IllegalArgumentException("bad BARS token '" + token.trim() + "': " + reason + "; " + ALLOWED);
    }

    /** The normalised token, e.g. {@code "5m"}: the {@code interval} field of a bar record. */
    public String name() {
        return name;
    }

    /** True for {@code 1d} (a calendar day in {@link #zone()}). */
    public boolean daily() {
        return length == 0L;
    }

    /** The zone a {@code 1d} bar is aligned in; null for the fixed lengths (aligned in UTC). */
    public ZoneId zone() {
        return zone;
    }

    /** The start of the bucket holding {@code epochMillis}. Allocation-free except for {@code 1d}. */
    public long startOf(final long epochMillis) {
        if (length != 0L) return Math.floorDiv(epochMillis, length) * length;
        return Instant.ofEpochMilli(epochMillis).atZone(zone).toLocalDate().atStartOfDay(zone).toInstant().toEpochMilli();
    }

    /** The end (exclusive) of the bucket that starts at {@code start}. Allocation-free except for {@code 1d}. */
    public long endOf(final long start) {
        if (length != 0L) return start + length;
        final ZonedDateTime day = Instant.ofEpochMilli(start).atZone(zone);
        return day.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    /** A lower bound of any bucket's length (for {@code 1d} a conservative 12 hours: zones have skipped whole days). */
    long minLength() {
        return length != 0L ? length : DAY_MILLIS / 2;
    }

    /** Normalised form, with the zone for {@code 1d} (e.g. {@code "1d@America/New_York"}): snapshots check it. */
    String canonical() {
        return zone == null ? name : name + "@" + zone.getId();
    }

    @Override public boolean equals(final Object o) {
        return o instanceof BarInterval other && canonical().equals(other.canonical());
    }

    @Override public int hashCode() {
        return canonical().hashCode();
    }

    @Override public String toString() {
        return name;
    }
}
