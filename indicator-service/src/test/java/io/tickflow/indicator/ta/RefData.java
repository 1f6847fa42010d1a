package io.tickflow.indicator.ta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** The real series of {@code ../shared/refdata} with TA-Lib's outputs per row (NaN where the cell is empty). */
final class RefData {
    private RefData() {
    }

    record Series(String name, List<String> header, double[][] columns) {
        double[] column(final String name) {
            final int i = header.indexOf(name);
            if (i < 0) throw new IllegalArgumentException(this.name + " has no column " + name);
            return columns[i];
        }

        int rows() {
            return columns[0].length;
        }
    }

    /**
     * {@code shared/refdata} found by walking up from the working directory: {@code /work/shared/refdata} next to a
     * worktree, {@code <clone>/../shared/refdata} in CI. {@code -Dtickflow.refdata=DIR} overrides.
     */
    static Path dir() {
        final String override = System.getProperty("tickflow.refdata");
        if (override != null) return Path.of(override);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            final Path candidate = p.resolve("shared").resolve("refdata");
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new IllegalStateException("no shared/refdata above " + Path.of("").toAbsolutePath()
                + "; set -Dtickflow.refdata=DIR");
    }

    static List<Path> csvFiles() {
        try (Stream<Path> files = Files.list(dir())) {
            final List<Path> csvs = files.filter(f -> f.toString().endsWith(".csv")).sorted().toList();
            if (csvs.isEmpty()) throw new IllegalStateException("no CSV in " + dir());
            return csvs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Series load(final Path csv) {
        try {
            final List<String> lines = Files.readAllLines(csv);
            final List<String> header = Arrays.asList(lines.get(0).split(",", -1));
            final int numeric = header.indexOf("time") < 0 ? header.size() : header.indexOf("time");
            final double[][] columns = new double[numeric][lines.size() - 1];
            for (int row = 1; row < lines.size(); row++) {
                final String[] cells = lines.get(row).split(",", -1);
                for (int c = 0; c < numeric; c++) {
                    columns[c][row - 1] = cells[c].isEmpty() ? Double.NaN : Double.parseDouble(cells[c]);
                }
            }
            return new Series(csv.getFileName().toString(), new ArrayList<>(header.subList(0, numeric)), columns);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
