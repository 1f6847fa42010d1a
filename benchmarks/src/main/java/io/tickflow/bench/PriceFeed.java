package io.tickflow.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Real prices for benchmarks: the SPY 1-minute series of {@code shared/refdata} (found by walking up from the working
 * directory, or {@code -Dtickflow.refdata=DIR}). Stock {@code s} of {@code n} reads it from its own offset, wrapping.
 */
final class PriceFeed {
    final double[] price;
    final double[] volume;

    private PriceFeed(final double[] price, final double[] volume) {
        this.price = price;
        this.volume = volume;
    }

    static PriceFeed spy() {
        final Path csv = refdataDir().resolve("SPY_1m_2025.csv");
        try {
            final List<String> lines = Files.readAllLines(csv);
            final double[] price = new double[lines.size() - 1];
            final double[] volume = new double[lines.size() - 1];
            for (int i = 1; i < lines.size(); i++) {
                final String[] cells = lines.get(i).split(",", 4);
                price[i - 1] = Double.parseDouble(cells[1]);
                volume[i - 1] = Double.parseDouble(cells[2]);
            }
            return new PriceFeed(price, volume);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
    }

    private static Path refdataDir() {
        final String override = System.getProperty("tickflow.refdata");
        if (override != null) return Path.of(override);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            final Path candidate = p.resolve("shared").resolve("refdata");
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new IllegalStateException("no shared/refdata above " + Path.of("").toAbsolutePath()
                + "; run from the repository or set -Dtickflow.refdata=DIR");
    }

    int length() {
        return price.length;
    }

    /** Where stock {@code stock} of {@code stocks} starts reading, spread evenly over the series. */
    int offset(final int stock, final int stocks) {
        return (int) ((long) stock * price.length / stocks);
    }
}
