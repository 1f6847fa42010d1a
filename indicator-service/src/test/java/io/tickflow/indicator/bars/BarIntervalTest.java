package io.tickflow.indicator.bars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BarIntervalTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static long at(final String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void shouldParseTheDesignIntervalsInOrderWhenListed() {
        final List<BarInterval> all = BarInterval.parseList(" 1s,1M , 5m,15m,1h,1d", UTC);
        assertEquals(List.of("1s", "1m", "5m", "15m", "1h", "1d"), all.stream().map(BarInterval::name).toList());
        assertTrue(all.get(5).daily());
        assertFalse(all.get(4).daily());
        assertEquals(List.of("1m", "5m"), BarInterval.parseList(BarInterval.DEFAULT, UTC).stream()
                .map(BarInterval::toString).toList());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "7m|the length must divide a day", "0m|>= 1", "2d|only 1d", "1w|unknown unit", "m|expected a number",
        "1.5m|not a whole number", "25h|divide a day", "-1s|>= 1"})
    void shouldNameTheTokenAndTheReasonWhenATokenIsBad(final String token, final String reason) {
        final String message = assertThrows(IllegalArgumentException.class, () -> BarInterval.parse(token, UTC))
                .getMessage();
        assertTrue(message.startsWith("bad BARS token '" + token + "'") && message.contains(reason), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "1m,", "60s,1m", "1m,1m"})
    void shouldRejectTheListWhenEmptyOrRepeatingALength(final String list) {
        assertThrows(IllegalArgumentException.class, () -> BarInterval.parseList(list, UTC));
    }

    @Test
    void shouldAlignFixedBucketsToUtcWhenGivenAnyTimestamp() {
        final BarInterval five = BarInterval.parse("5m", UTC);
        assertEquals(at("2024-06-02T12:30:00Z"), five.startOf(at("2024-06-02T12:34:56.789Z")));
        assertEquals(at("2024-06-02T12:35:00Z"), five.startOf(at("2024-06-02T12:35:00Z")));
        assertEquals(at("2024-06-02T12:35:00Z"), five.endOf(five.startOf(at("2024-06-02T12:34:59.999Z"))));
        final BarInterval second = BarInterval.parse("1s", UTC);
        assertEquals(-1_000L, second.startOf(-1L)); // before 1970: floor, not truncation
        assertEquals(0L, second.endOf(second.startOf(-1L)));
        assertEquals(at("2024-06-02T00:00:00Z"), BarInterval.parse("1h", UTC).startOf(at("2024-06-02T00:59:59Z")));
    }

    @Test
    void shouldAlignDailyBucketsInTheConfiguredZoneWhenTheDayHas23Or25Hours() {
        final BarInterval day = BarInterval.parse("1d", NEW_YORK);
        final long start = day.startOf(at("2024-06-02T03:59:59Z")); // still June 1st in New York
        assertEquals(at("2024-06-01T04:00:00Z"), start);
        assertEquals(at("2024-06-02T04:00:00Z"), day.endOf(start));
        final long spring = day.startOf(at("2024-03-10T12:00:00Z"));
        assertEquals(23 * 3_600_000L, day.endOf(spring) - spring);
        final long autumn = day.startOf(at("2024-11-03T12:00:00Z"));
        assertEquals(25 * 3_600_000L, day.endOf(autumn) - autumn);
        assertEquals(at("2024-06-02T00:00:00Z"), BarInterval.parse("1d", UTC).startOf(at("2024-06-02T23:59:59Z")));
    }
}
