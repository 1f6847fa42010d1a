package io.tickflow.indicator.bars;

import java.util.ArrayList;
import java.util.List;

/** Records every bar record as one line of exact values (doubles as their bits), and keeps the final bars' fields. */
final class Recorder implements BarListener {
    /** One final bar: its fields and indicator values, copied. */
    record Final(String stockId, String interval, long seq, long start, long end, double open, double high,
                 double low, double close, double volume, long trades, double vwap, double[] indicators) {
    }

    final List<String> lines = new ArrayList<>();
    final List<Final> finals = new ArrayList<>();
    final List<Final> forming = new ArrayList<>();

    @Override public void onBar(final BarSeries series, final Bar bar, final boolean isFinal, final long seq,
                                final double[] indicators) {
        final StringBuilder line = new StringBuilder()
                .append(series.stockId()).append(' ').append(series.interval()).append(isFinal ? " final " : " forming ")
                .append(seq).append(' ').append(bar.start()).append(' ').append(bar.end()).append(' ').append(bar.trades());
        for (final double v : new double[] {bar.open(), bar.high(), bar.low(), bar.close(), bar.volume(), bar.vwap()}) {
            line.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(v)));
        }
        for (final double v : indicators) line.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(v)));
        lines.add(line.toString());
        final Final f = new Final(series.stockId(), series.interval().name(), seq, bar.start(), bar.end(), bar.open(),
                bar.high(), bar.low(), bar.close(), bar.volume(), bar.trades(), bar.vwap(), indicators.clone());
        (isFinal ? finals : forming).add(f);
    }

    void clear() {
        lines.clear();
        finals.clear();
        forming.clear();
    }
}
