package io.tickflow.refdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RefDataTest {

    @Test
    void shouldReadEveryRowWithLookBackCellsAsNaN() {
        final RefData aapl = RefData.load("AAPL_1m_2019.csv");

        assertEquals(1948, aapl.rows());
        assertEquals(170.97, aapl.value(0, "price"));
        assertEquals(619925, aapl.value(0, "volume"));
        assertTrue(Double.isNaN(aapl.value(18, "sma20")));
        assertTrue(Double.isFinite(aapl.value(19, "sma20")));
        assertEquals(Instant.parse("2019-02-11T09:31:00Z"), aapl.time(0));
    }

    @Test
    void shouldReadDailyDatesAsMidnightUtc() {
        assertEquals(Instant.parse("1986-03-13T00:00:00Z"), RefData.load("MSFT_1d.csv").time(0));
    }

    @Test
    void shouldHoldTheHighLowColumnsTheRangeIndicatorsNeed() {
        for (String file : RefData.FILES) {
            final RefData series = RefData.load(file);
            for (String column : new String[] {"high", "low", "atr14", "stoch_k", "stoch_d"}) {
                assertEquals(series.rows(), series.column(column).length, file + " " + column);
            }
        }
    }

    @Test
    void shouldNameTheKnownSeriesWhenAskedForAnUnknownOne() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RefData.load("X.csv"));
        assertTrue(e.getMessage().contains("AAPL_1m_2019.csv"), e.getMessage());
    }

    @Test
    void shouldCopyASeriesToAFileForCodeThatReadsPaths(@TempDir final Path dir) throws Exception {
        final Path copy = RefData.copyTo("MSFT_1d.csv", dir);
        assertEquals(RefData.load("MSFT_1d.csv").rows() + 1, Files.readAllLines(copy).size());
    }
}
