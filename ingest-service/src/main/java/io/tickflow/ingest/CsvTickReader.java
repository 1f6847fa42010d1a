package io.tickflow.ingest;

import io.tickflow.model.InvalidTickException;
import io.tickflow.model.Tick;
import io.tickflow.model.TickValidator;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads OHLCV CSV files as ticks, the close being the price. Recognised by the header (case-insensitive):
 * <ul>
 *   <li>time: {@code time}, {@code timestamp}, {@code date} or {@code datetime} (ISO-8601 instant or offset date-time;
 *       local {@code yyyy-MM-dd[ HH:mm[:ss[.fff]]]} with a space or {@code T}, read in {@code zone}; or epoch seconds
 *       (up to 11 digits) / milliseconds (more));</li>
 *   <li>price: {@code close}, else {@code price} (refdata's layout, where {@code price} is the close);</li>
 *   <li>volume: {@code volume} (0 when the file has none);</li>
 *   <li>stock: {@code symbol}, {@code ticker} or {@code stock_id}; without one, the file's stock id is
 *       {@link #stockIdOf(Path)} or the one given.</li>
 * </ul>
 * A bar file — one with {@code open}, {@code high}, {@code low} and {@code close} columns, the common vendor format —
 * becomes four ticks per row that rebuild the same bar: open, then low and high in the order the bar implies (low
 * first when it closed at or above its open, high first otherwise), close last, at the row's time plus 0, ¼, ½ and ¾ of
 * the file's bar length (the smallest gap between a stock's consecutive rows; 1 minute when there is one row), the
 * volume split so that the parts sum to the row's. Other columns are ignored. Anything unreadable is a
 * {@link CsvFormatException} naming file, line and column.
 */
final class CsvTickReader {
    private static final DateTimeFormatter LOCAL_TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm")
            .optionalStart().appendPattern(":ss").optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .toFormatter(Locale.ROOT);

    private CsvTickReader() {
    }

    /** A CSV that cannot be read; the message names file, line and column. */
    static final class CsvFormatException extends IllegalArgumentException {
        CsvFormatException(final Path file, final int line, final String column, final String problem) {
            super(file + ":" + line + (column == null ? "" : ": column " + column) + ": " + problem);
        }
    }

    /**
     * The stock id a file stands for: its name without the extension, up to the first {@code _}, upper-cased
     * ({@code AAPL_1m_2019.csv} → {@code AAPL}, {@code msft.csv} → {@code MSFT}, {@code BRK.B_daily.csv} →
     * {@code BRK.B}).
     */
    static String stockIdOf(final Path file) {
        String name = file.getFileName().toString();
        final int dot = name.lastIndexOf('.');
        if (dot > 0) {
            name = name.substring(0, dot);
        }
        final int underscore = name.indexOf('_');
        return (underscore > 0 ? name.substring(0, underscore) : name).toUpperCase(Locale.ROOT);
    }

    /**
     * The ticks of one file in file order. {@code symbol} (may be null) overrides the stock id of every row;
     * without it a symbol column or the file name gives it.
     */
    static List<Tick> read(final Path file, final String symbol, final ZoneId zone) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            final String header = in.readLine();
            if (header == null) {
                throw new CsvFormatException(file, 1, null, "empty file: expected a header line");
            }
            final String[] names = split(stripBom(header));
            final int time = column(names, "time", "timestamp", "date", "datetime");
            final int price = column(names, "close", "price");
            final int volume = column(names, "volume");
            final int stock = column(names, "symbol", "ticker", "stock_id");
            final int open = column(names, "open");
            final int high = column(names, "high");
            final int low = column(names, "low");
            final boolean bars = open >= 0 && high >= 0 && low >= 0 && column(names, "close") >= 0;
            if (time < 0) {
                throw new CsvFormatException(file, 1, null,
                        "no time column: expected one of time, timestamp, date, datetime in " + header);
            }
            if (price < 0) {
                throw new CsvFormatException(file, 1, null, "no price column: expected close or price in " + header);
            }
            final String fileStock = symbol != null ? symbol : stock < 0 ? stockIdOf(file) : null;
            if (fileStock != null) {
                try {
                    TickValidator.requireStockId(fileStock);
                } catch (InvalidTickException e) {
                    throw new CsvFormatException(file, 1, null, "stock id " + e.getMessage() + " (use --symbol)");
                }
            }
            final List<Tick> ticks = new ArrayList<>();
            final List<double[]> ohlc = new ArrayList<>(); // bar files: open, high, low of each row's tick
            int lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                final String[] cells = split(line);
                final String id = fileStock != null ? fileStock : cell(file, lineNo, names, cells, stock);
                final Instant at = parseTime(file, lineNo, names[time], cell(file, lineNo, names, cells, time), zone);
                final double close = number(file, lineNo, names[price], cell(file, lineNo, names, cells, price));
                final double vol = volume < 0 ? 0.0
                        : number(file, lineNo, names[volume], cell(file, lineNo, names, cells, volume));
                try {
                    ticks.add(Tick.of(id, at, close, vol));
                } catch (InvalidTickException e) {
                    final String column = switch (e.field()) {
                        case "price" -> names[price];
                        case "volume" -> names[volume < 0 ? price : volume];
                        case "stock_id" -> stock < 0 ? null : names[stock];
                        default -> names[time];
                    };
                    throw new CsvFormatException(file, lineNo, column, e.getMessage());
                }
                if (bars) {
                    final double[] row = new double[3];
                    final int[] columns = {open, high, low};
                    for (int c = 0; c < 3; c++) {
                        row[c] = number(file, lineNo, names[columns[c]], cell(file, lineNo, names, cells, columns[c]));
                        try {
                            TickValidator.requirePrice(row[c]);
                        } catch (InvalidTickException e) {
                            throw new CsvFormatException(file, lineNo, names[columns[c]], e.getMessage());
                        }
                    }
                    ohlc.add(row);
                }
            }
            return bars ? barTicks(ticks, ohlc) : ticks;
        }
    }

    /** Four ticks per bar row (see the class comment); {@code rows} hold each row's close tick. */
    private static List<Tick> barTicks(final List<Tick> rows, final List<double[]> ohlc) {
        final Duration length = barLength(rows);
        final List<Tick> out = new ArrayList<>(rows.size() * 4);
        for (int i = 0; i < rows.size(); i++) {
            final Tick row = rows.get(i);
            final double o = ohlc.get(i)[0];
            final double h = ohlc.get(i)[1];
            final double l = ohlc.get(i)[2];
            final boolean up = row.price() >= o;
            final double v = row.volume();
            final double part = v == Math.rint(v) ? Math.floor(v / 4) : v / 4;
            final Instant t = row.timestamp();
            out.add(Tick.of(row.stockId(), t, o, part));
            out.add(Tick.of(row.stockId(), t.plus(length.dividedBy(4)), up ? l : h, part));
            out.add(Tick.of(row.stockId(), t.plus(length.dividedBy(2)), up ? h : l, part));
            out.add(Tick.of(row.stockId(), t.plus(length.multipliedBy(3).dividedBy(4)), row.price(), v - 3 * part));
        }
        return out;
    }

    /** The smallest positive gap between a stock's consecutive rows: the file's bar length (1 minute if none). */
    private static Duration barLength(final List<Tick> rows) {
        Duration smallest = null;
        final java.util.Map<String, Instant> last = new java.util.HashMap<>();
        for (Tick row : rows) {
            final Instant previous = last.put(row.stockId(), row.timestamp());
            if (previous != null && row.timestamp().isAfter(previous)) {
                final Duration gap = Duration.between(previous, row.timestamp());
                if (smallest == null || gap.compareTo(smallest) < 0) {
                    smallest = gap;
                }
            }
        }
        return smallest == null ? Duration.ofMinutes(1) : smallest;
    }

    static Instant parseTime(final Path file, final int line, final String column, final String text,
                             final ZoneId zone) {
        final String t = text.trim();
        try {
            if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
                final long n = Long.parseLong(t);
                return t.length() <= 11 ? Instant.ofEpochSecond(n) : Instant.ofEpochMilli(n);
            }
            final String normal = t.length() > 10 && t.charAt(10) == 'T' ? t.substring(0, 10) + ' ' + t.substring(11) : t;
            if (t.endsWith("Z") || t.endsWith("z")) {
                return Instant.parse(t.replace(' ', 'T').toUpperCase(Locale.ROOT));
            }
            if (t.length() > 19 && (t.lastIndexOf('+') > 10 || t.lastIndexOf('-') > 10)) {
                return OffsetDateTime.parse(normal.replace(' ', 'T')).toInstant();
            }
            if (normal.length() == 10) {
                return LocalDate.parse(normal).atStartOfDay(zone).toInstant();
            }
            return LocalDateTime.parse(normal, LOCAL_TIME).atZone(zone).toInstant();
        } catch (DateTimeException | NumberFormatException e) {
            throw new CsvFormatException(file, line, column,
                    "not a time: \"" + t + "\" (use ISO-8601, yyyy-MM-dd[ HH:mm[:ss]], or epoch seconds/millis)");
        }
    }

    private static double number(final Path file, final int line, final String column, final String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new CsvFormatException(file, line, column, "not a number: \"" + text + "\"");
        }
    }

    private static String cell(final Path file, final int line, final String[] names, final String[] cells,
                               final int index) {
        if (index >= cells.length) {
            throw new CsvFormatException(file, line, names[index],
                    "missing: the line has " + cells.length + " of " + names.length + " columns");
        }
        return cells[index];
    }

    private static int column(final String[] names, final String... candidates) {
        for (String candidate : candidates) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equalsIgnoreCase(candidate)) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Splits on commas, trimming cells and removing surrounding double quotes (no embedded commas expected). */
    private static String[] split(final String line) {
        final String[] cells = line.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i].trim();
            if (c.length() >= 2 && c.charAt(0) == '"' && c.charAt(c.length() - 1) == '"') {
                c = c.substring(1, c.length() - 1).trim();
            }
            cells[i] = c;
        }
        return cells;
    }

    private static String stripBom(final String header) {
        return header.startsWith("\uFEFF") ? header.substring(1) : header;
    }
}
