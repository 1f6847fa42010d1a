package io.tickflow.model;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * {@link DateTimeFormatter#ISO_INSTANT}'s text, written and read without the formatter's per-call objects (they were
 * among the largest allocations per tick: a parse context with its maps, a LocalDateTime and a StringBuilder per
 * instant). The fast paths cover the canonical form {@code uuuu-MM-ddTHH:mm:ss[.SSS|.SSSSSS|.SSSSSSSSS]Z} of years
 * 0000–9999, which is what the pipeline writes and feeds send; anything else — other fraction lengths, offsets,
 * years outside that range, leap seconds, malformed text — goes to the formatter itself, so results and error
 * messages are the formatter's. Stateless.
 */
public final class IsoInstants {
    /** The longest canonical text: {@code 2024-06-02T12:34:56.123456789Z}. */
    public static final int MAX_LENGTH = 30;
    private static final long SECONDS_PER_DAY = 86_400L;
    /** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z in epoch seconds: the fast paths' range. */
    private static final long MIN_FAST_SECOND = -62_167_219_200L;
    private static final long END_FAST_SECOND = 253_402_300_800L;

    private IsoInstants() {
    }

    /**
     * Writes {@code instant} as {@code ISO_INSTANT} formats it into {@code out} (at least {@link #MAX_LENGTH} long)
     * and returns the length written; outside years 0000–9999 the formatter's text is copied in.
     */
    public static int format(final Instant instant, final char[] out) {
        final long second = instant.getEpochSecond();
        if (second < MIN_FAST_SECOND || second >= END_FAST_SECOND) {
            final String text = DateTimeFormatter.ISO_INSTANT.format(instant);
            text.getChars(0, text.length(), out, 0);
            return text.length();
        }
        final long day = Math.floorDiv(second, SECONDS_PER_DAY);
        final int secondOfDay = (int) Math.floorMod(second, SECONDS_PER_DAY);
        // Days to civil date (Hinnant's algorithm, proleptic Gregorian as java.time), eras of 400 years from 0000-03-01.
        final long shifted = day + 719_468L;
        final long era = Math.floorDiv(shifted, 146_097L);
        final int dayOfEra = (int) (shifted - era * 146_097L);
        final int yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        final int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        final int mp = (5 * dayOfYear + 2) / 153;
        final int dayOfMonth = dayOfYear - (153 * mp + 2) / 5 + 1;
        final int month = mp < 10 ? mp + 3 : mp - 9;
        final int year = (int) (yearOfEra + era * 400) + (month <= 2 ? 1 : 0);
        digits(out, 0, year, 4);
        out[4] = '-';
        digits(out, 5, month, 2);
        out[7] = '-';
        digits(out, 8, dayOfMonth, 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3_600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        int at = 19;
        final int nano = instant.getNano();
        if (nano != 0) {
            out[at++] = '.';
            if (nano % 1_000_000 == 0) {
                digits(out, at, nano / 1_000_000, 3);
                at += 3;
            } else if (nano % 1_000 == 0) {
                digits(out, at, nano / 1_000, 6);
                at += 6;
            } else {
                digits(out, at, nano, 9);
                at += 9;
            }
        }
        out[at++] = 'Z';
        return at;
    }

    /**
     * The instant {@code text[offset, offset + length)} stands for, as {@code ISO_INSTANT} parses it; a
     * {@link DateTimeException} (the formatter's) when it is not one.
     */
    public static Instant parse(final char[] text, final int offset, final int length) {
        final Instant fast = parseCanonical(text, offset, length);
        return fast != null ? fast : DateTimeFormatter.ISO_INSTANT.parse(new String(text, offset, length), Instant::from);
    }

    /** The canonical form's instant, or null when the text is anything else (including out-of-range fields). */
    private static Instant parseCanonical(final char[] t, final int o, final int n) {
        if ((n != 20 && n != 24 && n != 27 && n != 30) || t[o + 4] != '-' || t[o + 7] != '-' || t[o + 10] != 'T'
                || t[o + 13] != ':' || t[o + 16] != ':' || t[o + n - 1] != 'Z' || (n > 20 && t[o + 19] != '.')) {
            return null;
        }
        final int year = number(t, o, 4);
        final int month = number(t, o + 5, 2);
        final int day = number(t, o + 8, 2);
        final int hour = number(t, o + 11, 2);
        final int minute = number(t, o + 14, 2);
        final int second = number(t, o + 17, 2);
        final int fraction = n > 20 ? number(t, o + 20, n - 21) : 0;
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month) || hour < 0
                || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || fraction < 0) {
            return null;
        }
        final int nano = n == 24 ? fraction * 1_000_000 : n == 27 ? fraction * 1_000 : fraction;
        return Instant.ofEpochSecond(epochDay(year, month, day) * SECONDS_PER_DAY + hour * 3_600L + minute * 60L
                + second, nano);
    }

    /** Days since 1970-01-01 of a civil date (Hinnant's inverse). */
    private static long epochDay(final int year, final int month, final int day) {
        final int y = month <= 2 ? year - 1 : year;
        final long era = Math.floorDiv(y, 400);
        final int yearOfEra = (int) (y - era * 400);
        final int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        final int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }

    private static int lengthOfMonth(final int year, final int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** The decimal value of {@code width} ASCII digits, -1 when any is not a digit. */
    private static int number(final char[] t, final int at, final int width) {
        int v = 0;
        for (int i = at; i < at + width; i++) {
            final int d = t[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static void digits(final char[] out, final int at, final int value, final int width) {
        int v = value;
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + v % 10);
            v /= 10;
        }
    }
}
