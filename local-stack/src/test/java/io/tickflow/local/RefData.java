package io.tickflow.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A series of {@code shared/refdata}: real prices with TA-Lib's output per row. Empty cells (TA-Lib's look-back) read
 * as NaN. The folder is found by walking up from the working directory, so it works from a module, the repo root,
 * or a fresh clone with {@code shared/} beside it.
 */
public record RefData(List<String> columns, List<double[]> rows) {

    public static RefData load(final String fileName) {
        final Path file = folder().resolve(fileName);
        try {
            final List<String> lines = Files.readAllLines(file);
            final List<String> columns = Arrays.asList(lines.get(0).split(","));
            final int time = columns.indexOf("time");
            final List<double[]> rows = new ArrayList<>(lines.size() - 1);
            for (String line : lines.subList(1, lines.size())) {
                final String[] cells = line.split(",", -1);
                final double[] row = new double[columns.size()];
                for (int c = 0; c < row.length; c++) {
                    row[c] = c == time || cells[c].isEmpty() ? Double.NaN : Double.parseDouble(cells[c]);
                }
                rows.add(row);
            }
            return new RefData(columns, rows);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static Path folder() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("shared/refdata"), dir.resolve("../shared/refdata"))) {
                if (Files.isDirectory(candidate)) {
                    return candidate.normalize();
                }
            }
        }
        throw new IllegalStateException("shared/refdata not found above " + Path.of("").toAbsolutePath());
    }

    public int size() {
        return rows.size();
    }

    /** The value of {@code column} at {@code row}; NaN where TA-Lib has no value yet. */
    public double value(final int row, final String column) {
        final int c = columns.indexOf(column);
        if (c < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        return rows.get(row)[c];
    }
}
