package io.tickflow.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IsoInstantsTest {
    private static final long YEAR_0 = -62_167_219_200L;
    private static final long YEAR_10000 = 253_402_300_800L;

    @Test
    void formatsEveryInstantOfYears0To9999AsIsoInstantDoes() {
        final SplittableRandom random = new SplittableRandom(17);
        final char[] out = new char[IsoInstants.MAX_LENGTH];
        for (int i = 0; i < 200_000; i++) {
            final long second = random.nextLong(YEAR_0, YEAR_10000);
            final int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            final Instant instant = Instant.ofEpochSecond(second, nano);
            final String expected = DateTimeFormatter.ISO_INSTANT.format(instant);
            assertEquals(expected, new String(out, 0, IsoInstants.format(instant, out)));
            assertEquals(instant, parse(expected), expected);
        }
    }

    @Test
    void formatsAndParsesTheEdgesOfTheFastRangeAndBeyond() {
        final char[] out = new char[40];
        for (long second : new long[] {YEAR_0, YEAR_0 - 1, YEAR_10000 - 1, YEAR_10000, 0L, -1L, 951_782_400L}) {
            final Instant instant = Instant.ofEpochSecond(second, 5);
            final String expected = DateTimeFormatter.ISO_INSTANT.format(instant);
            assertEquals(expected, new String(out, 0, IsoInstants.format(instant, out)));
            assertEquals(instant, parse(expected), expected);
        }
    }

    /** Not the canonical form, yet ISO_INSTANT reads them: the formatter's answer. */
    @ParameterizedTest
    @ValueSource(strings = {"2024-06-02T12:34:56.1Z", "2024-06-02t12:34:56z", "2024-06-02T12:34:56.12345Z",
            "2024-06-02T12:34:56+02:00", "+12024-06-02T12:34:56Z", "2016-12-31T23:59:60Z",
            "2024-06-02T24:00:00Z"})
    void readsOtherFormsAsTheFormatterDoes(final String text) {
        assertEquals(DateTimeFormatter.ISO_INSTANT.parse(text, Instant::from), parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z",
            "2024-06-02T12:60:00Z", "2024-06-02T12:34:56", "2024-06-02 12:34:56Z",
            "2024-06-02T12:34:5xZ", "yesterday", ""})
    void rejectsWhatTheFormatterRejects(final String text) {
        assertThrows(DateTimeException.class, () -> DateTimeFormatter.ISO_INSTANT.parse(text, Instant::from));
        assertThrows(DateTimeException.class, () -> parse(text));
    }

    @Test
    void readsLeapDaysAndMonthEnds() {
        for (String text : new String[] {"2024-02-29T23:59:59.999Z", "2000-02-29T00:00:00Z", "1999-12-31T23:59:59Z",
                "0000-03-01T00:00:00.000001Z", "9999-12-31T23:59:59.999999999Z"}) {
            assertEquals(DateTimeFormatter.ISO_INSTANT.parse(text, Instant::from), parse(text), text);
        }
    }

    private static Instant parse(final String text) {
        final char[] padded = ("##" + text + "#").toCharArray();
        return IsoInstants.parse(padded, 2, text.length());
    }
}
