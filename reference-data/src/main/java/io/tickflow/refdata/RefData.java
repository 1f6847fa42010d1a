package io.tickflow.refdata;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A real price series with TA-Lib's outputs per row, read from this module's classpath (see the module's README for
 * sources and columns). Numeric cells parse to the exact double TA-Lib wrote; empty cells (TA-Lib's look-back) are NaN.
 */
public final class RefData {
    /** Every series the module holds, by file name. */
    public static final List<String> FILES = List.of("AAPL_1m_2019.csv", "MSFT_1d.csv", "SPY_1m_2025.csv");

    private static final String FOLDER = "/io/tickflow/refdata/";
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final String name;
    private final List<String> columns;
    private final double[][] values;
    private final List<Instant> times;

    private RefData(final String name, final List<String> columns, final double[][] values, final List<Instant> times) {
        this.name = name;
        this.columns = columns;
        this.values = values;
        this.times = times;
    }

    /** One of {@link #FILES}. */
    public static RefData load(final String file) {
        final List<String> lines = lines(file);
        final List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        final int time = header.indexOf("time");
        final List<String> columns = List.copyOf(header.subList(0, time));
        final int rows = lines.size() - 1;
        final double[][] values = new double[columns.size()][rows];
        final List<Instant> times = new ArrayList<>(rows);
        for (int row = 0; row < rows; row++) {
            final String[] cells = lines.get(row + 1).split(",", -1);
            for (int c = 0; c < columns.size(); c++) {
                values[c][row] = cells[c].isEmpty() ? Double.NaN : Double.parseDouble(cells[c]);
            }
            times.add(parseTime(cells[time]));
        }
        return new RefData(file, columns, values, List.copyOf(times));
    }

    /**
     * Copies {@code file} into {@code dir} and returns the copy: for code under test that reads a path (CSV replay).
     */
    public static Path copyTo(final String file, final Path dir) {
        try (InputStream in = open(file)) {
            final Path target = dir.resolve(file);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + file + " to " + dir, e);
        }
    }

    public String name() {
        return name;
    }

    /** The numeric columns in file order: {@code index, price, volume, sma20, …, stoch_d}. */
    public List<String> columns() {
        return columns;
    }

    public int rows() {
        return times.size();
    }

    /** The whole column (the array itself: do not modify it). */
    public double[] column(final String column) {
        final int c = columns.indexOf(column);
        if (c < 0) {
            throw new IllegalArgumentException(name + " has no column " + column + "; it has " + columns);
        }
        return values[c];
    }

    /** The value of {@code column} at {@code row}; NaN where TA-Lib has no value yet. */
    public double value(final int row, final String column) {
        return column(column)[row];
    }

    /** The row's time as UTC: minute series carry {@code yyyy-MM-dd HH:mm:ss}, daily ones a date (midnight). */
    public Instant time(final int row) {
        return times.get(row);
    }

    private static Instant parseTime(final String cell) {
        return cell.length() == 10 ? LocalDate.parse(cell).atStartOfDay().toInstant(ZoneOffset.UTC)
                : LocalDateTime.parse(cell, MINUTE).toInstant(ZoneOffset.UTC);
    }

    private static List<String> lines(final String file) {
        try (InputStream in = open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static InputStream open(final String file) {
        final InputStream in = RefData.class.getResourceAsStream(FOLDER + file);
        if (in == null) {
            throw new IllegalArgumentException("no reference series " + file + "; there are " + FILES);
        }
        return in;
    }
}
