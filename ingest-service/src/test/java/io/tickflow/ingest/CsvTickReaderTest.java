package io.tickflow.ingest;

import io.tickflow.model.Tick;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvTickReaderTest {
    @TempDir
    Path dir;

    private Path write(final String name, final String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void shouldReadRefdataLayoutWithPriceAsCloseAndIdFromFileName() throws IOException {
        final Path file = write("AAPL_1m_2019.csv",
                "index,price,volume,sma20,ema20,rsi14,high,low,time\n"
                        + "0,170.97,619925,,,,171.2,170.7,2019-02-11 09:31:00\n"
                        + "1,170.7701,123138,,,,170.92,170.6755,2019-02-11 09:32:00\n");
        final List<Tick> ticks = CsvTickReader.read(file, null, ZoneOffset.UTC);
        assertEquals(List.of(
                Tick.of("AAPL", Instant.parse("2019-02-11T09:31:00Z"), 170.97, 619925),
                Tick.of("AAPL", Instant.parse("2019-02-11T09:32:00Z"), 170.7701, 123138)), ticks);
    }

    @Test
    void shouldTurnEachBarOfAVendorFileIntoFourTicksThatRebuildIt() throws IOException {
        final Path file = write("msft.csv", "Date,Open,High,Low,Close,Volume\n"
                + "1986-03-13,0.0672,0.07533,0.0672,0.07533,1371330506\n\n"
                + "\"1986-03-14\",0.07533,0.07533,0.0700,0.0701,409569463\n");
        final List<Tick> ticks = CsvTickReader.read(file, null, ZoneId.of("America/New_York"));
        assertEquals(8, ticks.size());
        assertEquals("MSFT", ticks.get(0).stockId());
        // an up bar: open, low, high, close; the day split in quarters from the row's time
        assertEquals(List.of(0.0672, 0.0672, 0.07533, 0.07533), ticks.subList(0, 4).stream().map(Tick::price).toList());
        assertEquals(List.of(Instant.parse("1986-03-13T05:00:00Z"), Instant.parse("1986-03-13T11:00:00Z"),
                        Instant.parse("1986-03-13T17:00:00Z"), Instant.parse("1986-03-13T23:00:00Z")),
                ticks.subList(0, 4).stream().map(Tick::timestamp).toList());
        assertEquals(1371330506.0, ticks.subList(0, 4).stream().mapToDouble(Tick::volume).sum(), "volume kept");
        // a down bar: open, high, low, close
        assertEquals(List.of(0.07533, 0.07533, 0.0700, 0.0701), ticks.subList(4, 8).stream().map(Tick::price).toList());
    }

    @Test
    void shouldTakeStockFromSymbolColumnWhenPresent() throws IOException {
        final Path file = write("mixed.csv", "timestamp,symbol,open,high,low,close,volume\n"
                + "2024-06-02T12:34:56Z,AAPL,1,1,1,150.25,1000\n"
                + "1717331697,MSFT,1,1,1,410.5,20\n"
                + "1717331698000,MSFT,1,1,1,410.75,30\n"
                + "2024-06-02T14:34:59+02:00,AAPL,1,1,1,150.5,10\n");
        final List<Tick> ticks = CsvTickReader.read(file, null, ZoneOffset.UTC);
        final List<Tick> closes = java.util.stream.IntStream.range(0, ticks.size()).filter(i -> i % 4 == 3)
                .mapToObj(ticks::get).toList(); // four ticks a bar row, the close last
        assertEquals(List.of("AAPL", "MSFT", "MSFT", "AAPL"), closes.stream().map(Tick::stockId).toList());
        assertEquals(List.of(150.25, 410.5, 410.75, 150.5), closes.stream().map(Tick::price).toList());
        assertEquals(Instant.parse("2024-06-02T12:34:56Z"), ticks.get(0).timestamp(), "the open at the row's time");
    }

    @Test
    void shouldUseSymbolOptionWhenGiven() throws IOException {
        final Path file = write("data.csv", "timestamp,symbol,close,volume\n2024-06-02T12:34:56Z,AAPL,1,1\n");
        assertEquals("XYZ", CsvTickReader.read(file, "XYZ", ZoneOffset.UTC).get(0).stockId());
    }

    @Test
    void shouldDeriveStockIdFromFileNameUpToFirstUnderscore() {
        assertEquals("AAPL", CsvTickReader.stockIdOf(Path.of("/x/AAPL_1m_2019.csv")));
        assertEquals("BRK.B", CsvTickReader.stockIdOf(Path.of("brk.b_daily.csv")));
        assertEquals("SPY", CsvTickReader.stockIdOf(Path.of("spy")));
    }

    @Test
    void shouldNameFileLineAndColumnWhenACellIsBad() throws IOException {
        final Path file = write("AAPL.csv", "Date,Open,High,Low,Close,Volume\n"
                + "2024-06-03,1,1,1,2,3\n"
                + "2024-06-04,1,1,1,abc,3\n");
        final Exception e = assertThrows(CsvTickReader.CsvFormatException.class,
                () -> CsvTickReader.read(file, null, ZoneOffset.UTC));
        assertEquals(file + ":3: column Close: not a number: \"abc\"", e.getMessage());
    }

    @Test
    void shouldNameColumnWhenPriceIsNotPositiveOrTimeUnreadable() throws IOException {
        final Path zero = write("A.csv", "time,price,volume\n2024-06-03,0,3\n");
        final Exception e1 = assertThrows(CsvTickReader.CsvFormatException.class,
                () -> CsvTickReader.read(zero, null, ZoneOffset.UTC));
        assertTrue(e1.getMessage().startsWith(zero + ":2: column price: price must be finite and > 0"), e1.getMessage());
        final Path time = write("B.csv", "time,price,volume\n06/03/2024,1,3\n");
        final Exception e2 = assertThrows(CsvTickReader.CsvFormatException.class,
                () -> CsvTickReader.read(time, null, ZoneOffset.UTC));
        assertTrue(e2.getMessage().startsWith(time + ":2: column time: not a time"), e2.getMessage());
    }

    @Test
    void shouldFailWithHeaderLineWhenNoPriceColumn() throws IOException {
        final Path file = write("A.csv", "time,open,volume\n2024-06-03,1,3\n");
        final Exception e = assertThrows(CsvTickReader.CsvFormatException.class,
                () -> CsvTickReader.read(file, null, ZoneOffset.UTC));
        assertTrue(e.getMessage().startsWith(file + ":1: no price column"), e.getMessage());
    }

    @Test
    void shouldFailNamingColumnWhenLineIsShort() throws IOException {
        final Path file = write("A.csv", "time,close,volume\n2024-06-03,1\n");
        final Exception e = assertThrows(CsvTickReader.CsvFormatException.class,
                () -> CsvTickReader.read(file, null, ZoneOffset.UTC));
        assertEquals(file + ":2: column volume: missing: the line has 2 of 3 columns", e.getMessage());
    }

    @Test
    void shouldMergeFilesInTimeOrderWhenReplaying() throws IOException {
        final Path a = write("A.csv", "time,close,volume\n2024-06-03 10:00,1,1\n2024-06-03 10:02,2,1\n");
        final Path b = write("B.csv", "time,close,volume\n2024-06-03 10:01,3,1\n2024-06-03 10:02,4,1\n");
        final List<Tick> ticks = CsvReplay.load(List.of(a, b), null, ZoneOffset.UTC);
        assertEquals(List.of(1.0, 3.0, 2.0, 4.0), ticks.stream().map(Tick::price).toList());
    }
}
